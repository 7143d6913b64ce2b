/**
The real binary in tmux against the real dockerd: launch the demo pod from the TUI, see it running, follow and
search its logs, open the help, run a one-off exec, open an interactive shell and come back, `docker kill` a
member from outside and see the status change, then quit and find the terminal restored.
*/
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import test from 'ava';
import {LABELS} from '../../src/constants.js';
import {realRuntime} from '../support/docker.js';
import {removeByRunId, runId} from '../support/run-id.js';
import {TmuxSession} from '../support/tmux.js';
import {SERVER_NODE_FLAGS} from '../../rpc/client/node-flags.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const binary = join(root, 'dist/bcs-executor.mjs');
const podName = `tui-e2e-${runId.replace(/[^a-z0-9]/g, '').slice(-10)}`;
const dir = mkdtempSync(join(tmpdir(), 'bcs-tui-e2e-'));
const sessions: TmuxSession[] = [];

/** The demo spec under this run's name and test label, without a host port (8080 may be taken). */
function demoCopy(): string {
  const text = readFileSync(join(root, 'examples/demo.yaml'), 'utf8')
    .replace(/^name: demo$/m, `name: ${podName}`)
    .replace(/^labels: \{(.*)\}$/m, `labels: {$1, ${LABELS.testRun}: '${runId}'}`)
    .replace(/hostPort: 8080/, 'hostPort: 0');
  if (!text.includes(runId) || !text.includes(podName))
    throw new Error('could not rewrite examples/demo.yaml');
  const file = join(dir, 'demo.yaml');
  writeFileSync(file, text);
  return file;
}

test.before(async () => {
  if (!existsSync(binary)) throw new Error(`build first (npm run build): ${binary} is missing`);
  await realRuntime();
});

test.after.always(async () => {
  for (const session of sessions) await session.kill();
  await removeByRunId(await realRuntime());
  rmSync(dir, {recursive: true, force: true});
});

test('launch the demo from the TUI, watch it, search its logs, exec, shell, see an outside kill, quit cleanly', async (t) => {
  const tui = await TmuxSession.start([process.execPath, ...SERVER_NODE_FLAGS, binary], {
    columns: 120,
    rows: 40,
    env: {BCS_EXECUTOR_DEMO_SPEC: demoCopy()},
  });
  sessions.push(tui);
  await tui.waitFor(/● connected/);
  t.true(await tui.alternateOn(), 'the TUI runs in the alternate screen');

  // D launches the demo pod (the pods pane offers it when there are none; it works with others around too).
  await tui.keys('D');
  // Other tests' pods may be listed: filter down to ours.
  await tui.keys('/');
  await tui.type(podName);
  await tui.keys('Enter');
  const running = await tui.waitFor(new RegExp(`${podName}\\s+running\\s+3/3`), 60_000);
  t.regex(running, /web\s+running\s+healthy|web\s+running/);
  t.regex(running, /logger\s+running/);

  // The help overlay lists every key.
  await tui.keys('?');
  const help = await tui.waitFor(/KEYS/);
  t.regex(help, /interactive shell/);
  await tui.keys('Escape');
  await tui.waitFor((screen) => !screen.includes('KEYS'));

  // Merged logs of the pod, then a search with its match count; n jumps to a match.
  await tui.keys('l');
  await tui.waitFor(/logger │ demo-logger: tick/, 20_000);
  await tui.waitFor(/every fifth tick/, 20_000);
  await tui.keys('/');
  await tui.type('fifth');
  await tui.keys('Enter');
  await tui.waitFor(/\/fifth [1-9]\d* match/);
  await tui.keys('n');
  await tui.waitFor(/match 1\/\d+ for "fifth"/);

  // A one-off exec in the selected container (web): output and exit code in the pane.
  await tui.keys('e');
  await tui.waitFor(/exec in .*\/web \$/);
  await tui.type('echo e2e-$((40+2)); exit 3');
  await tui.keys('Enter');
  const exec = await tui.waitFor(/exit code 3/, 20_000);
  t.regex(exec, /^e2e-42\s*$/m);

  // An interactive shell with the real terminal, then the TUI comes back as it was.
  await tui.keys('x');
  await tui.waitFor(/shell in .*\/web; exit it to return/, 20_000);
  await tui.type('echo in-shell-$((1+1)); stty size');
  await tui.keys('Enter');
  const shell = await tui.waitFor(/^in-shell-2\s*$/m, 20_000);
  t.regex(shell, /^40 120\s*$/m, 'the exec TTY has the terminal size');
  await tui.type('exit');
  await tui.keys('Enter');
  const back = await tui.waitFor(/shell in .*\/web exited/, 20_000);
  t.regex(back, new RegExp(`${podName}\\s+running`));
  t.regex(back, /exec/);

  // Killed from outside: Docker's event reaches the screen.
  await run('docker', ['kill', `${podName}-logger`]);
  const killed = await tui.waitFor(/logger\s+exited\(137\)/, 20_000);
  t.regex(killed, new RegExp(`${podName}\\s+(failed|killing)`));

  // q quits; the alternate screen is gone and the shell sees exit code 0.
  await tui.keys('q');
  const after = await tui.waitFor(/\[exit 0\]/, 10_000);
  t.false(await tui.alternateOn());
  t.true(await tui.cursorVisible());
  t.notRegex(after, /PODS/);
});
