/**
The terminal side of the real binary in tmux: an unreachable engine that comes back, resizing down to
80x24, NO_COLOR, SIGTERM restoring the terminal, and stdin that is not a terminal.
*/
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {createConnection, createServer} from 'node:net';
import type {Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import test from 'ava';
import {TmuxSession} from '../support/tmux.js';
import {SERVER_NODE_FLAGS} from '../../rpc/client/node-flags.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const binary = join(root, 'dist/bcs-executor.mjs');
const dir = mkdtempSync(join(tmpdir(), 'bcs-tui-term-'));
const sessions: TmuxSession[] = [];
const servers: Server[] = [];

// An SGR sequence and its parameters; colour parameters are 30-38, 40-48, 90-97 and 100-107 (39 and 49 reset).
const SGR = new RegExp(`${String.fromCharCode(27)}\\[([\\d;]*)m`, 'g');
const COLOUR_PARAM = /^(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])$/;

async function start(args: readonly string[], options: Parameters<typeof TmuxSession.start>[1] = {}) {
  const session = await TmuxSession.start([process.execPath, ...SERVER_NODE_FLAGS, binary, ...args], options);
  sessions.push(session);
  return session;
}

/** A unix socket that forwards every connection to dockerd: "dockerd coming back" at a path we own. */
function dockerProxy(path: string): Promise<Server> {
  const server = createServer((client) => {
    const upstream = createConnection('/var/run/docker.sock');
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  });
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

test.before(() => {
  if (!existsSync(binary)) throw new Error(`build first (npm run build): ${binary} is missing`);
});

test.after.always(async () => {
  for (const session of sessions) await session.kill();
  for (const server of servers) server.close();
  rmSync(dir, {recursive: true, force: true});
});

test('an unreachable engine is shown, retried, and the TUI recovers when it answers', async (t) => {
  const socket = join(dir, 'docker.sock');
  const tui = await start(['--host', `unix://${socket}`]);
  const down = await tui.waitFor(/engine unreachable, retrying/);
  t.regex(down, new RegExp(`unix://${socket}`));
  t.regex(down, /engine unreachable at .*retrying/);
  await dockerProxy(socket);
  const up = await tui.waitFor(/● connected/, 20_000);
  t.regex(up, /API 1\.\d+/);
  t.notRegex(up, /engine unreachable at/);
  await tui.keys('q');
  await tui.waitFor(/\[exit 0\]/);
});

test('the frame fits 80x24 and follows a resize, never taller than rows - 1', async (t) => {
  const tui = await start([], {columns: 120, rows: 40});
  await tui.waitFor(/● connected/);
  await tui.resize(80, 24);
  const screen = await tui.waitFor((s) => /^ bcs-executor/.test(s) && /q quit|l logs/.test(s));
  const lines = screen.replace(/\n+$/, '').split('\n');
  t.true(lines.length <= 23, `${lines.length} lines`);
  t.true(lines.every((line) => line.length <= 80));
  t.regex(lines[0] ?? '', /^ bcs-executor │/);
  t.regex(screen, /PODS/);
  await tui.resize(120, 40);
  await tui.waitFor(/CONTAINERS.*STATUS.*HEALTH.*RESTARTS.*CPU%.*MEM.*PORTS.*UPTIME/);
  await tui.keys('q');
  await tui.waitFor(/\[exit 0\]/);
});

test('NO_COLOR leaves no colour in the frame; emphasis stays', async (t) => {
  // Without CI in the environment, so that colours would show if NO_COLOR did not remove them.
  const tui = await start([], {withoutCi: true, env: {NO_COLOR: '1'}});
  await tui.waitFor(/● connected/);
  const styled = await tui.captureStyled();
  const colours = [...styled.matchAll(SGR)]
    .map((match) => match[1] ?? '')
    .filter((params) => params.split(';').some((p) => COLOUR_PARAM.test(p)));
  t.deepEqual(colours, []);
  await tui.keys('q');
  await tui.waitFor(/\[exit 0\]/);

  const coloured = await start([], {withoutCi: true});
  await coloured.waitFor(/● connected/);
  const styledColours = [...(await coloured.captureStyled()).matchAll(SGR)].filter((match) =>
    (match[1] ?? '').split(';').some((p) => COLOUR_PARAM.test(p)),
  );
  t.true(styledColours.length > 0, 'without NO_COLOR there is colour');
  await coloured.keys('q');
});

test('SIGTERM restores the terminal (alternate screen off, cursor shown)', async (t) => {
  const tui = await start([]);
  await tui.waitFor(/● connected/);
  t.true(await tui.alternateOn());
  const shell = await tui.panePid();
  // The pane runs `sh -c 'env ... node ...; echo; sleep'`: the node process is the shell's child.
  const {stdout} = await promisify(execFile)('pgrep', ['-P', String(shell), '-f', 'bcs-executor.mjs']);
  const pid = Number(stdout.trim().split('\n')[0]);
  t.true(pid > 0);
  process.kill(pid, 'SIGTERM');
  const after = await tui.waitFor(/\[exit 143\]/);
  t.false(await tui.alternateOn());
  t.true(await tui.cursorVisible());
  t.notRegex(after, /PODS/);
});

test('stdin that is not a terminal: a clear message and exit code 2, no stack trace', async (t) => {
  const result = await new Promise<{code: number | null; stderr: string}>((resolve) => {
    const child = execFile(
      process.execPath,
      [binary],
      {env: {...process.env, CI: 'false'}},
      (error, _out, stderr) =>
        resolve({code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr}),
    );
    child.stdin?.end();
  });
  t.is(result.code, 2);
  t.regex(result.stderr, /needs an interactive terminal/);
  t.notRegex(result.stderr, /\n\s+at /);
});
