import {PassThrough} from 'node:stream';
import test from 'ava';
import {runTui, TUI_EXIT} from '../../ui/run-tui.js';
import {anchorFrame} from '../../ui/terminal/anchored-output.js';
import {ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, SHOW_CURSOR} from '../../ui/terminal/terminal-guard.js';
import {fakePod, FakeEngine} from '../support/fake-engine.js';

const ESC = String.fromCharCode(27);

/** A fake terminal: TTY stdin and stdout streams, and everything written collected. */
function terminal() {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    setRawMode(mode: boolean) {
      stdin.isRaw = mode;
      return stdin;
    },
    ref() {
      return stdin;
    },
    unref() {
      return stdin;
    },
  });
  const stdout = Object.assign(new PassThrough(), {isTTY: true, rows: 24, columns: 80});
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    stdin,
    stdout,
    stderr,
    out: () => out,
    err: () => err,
    options: {
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
    },
  };
}

const specs = {
  loadSpec: () => Promise.reject(new Error('unused')),
  demoSpec: () => Promise.reject(new Error('unused')),
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test.serial(
  'q leaves the alternate screen, shows the cursor, ends raw mode and closes the engine',
  async (t) => {
    const term = terminal();
    const engine = new FakeEngine([fakePod('web')]);
    const done = runTui({
      openEngine: () => ({engine, endpoint: 'unix:///fake.sock'}),
      endpoint: undefined,
      specs,
      env: {},
      ...term.options,
    });
    const deadline = Date.now() + 5000;
    while (!term.out().includes('PODS') && Date.now() < deadline) await sleep(20);
    t.true(term.out().startsWith(ENTER_ALT_SCREEN));
    t.true(term.stdin.isRaw);
    term.stdin.write('q');
    t.is(await done, TUI_EXIT.ok);
    t.true(term.out().endsWith(`${SHOW_CURSOR}${LEAVE_ALT_SCREEN}`));
    t.false(term.stdin.isRaw);
    t.is(engine.callsOf('close').length, 1);
    t.is(engine.listenerCount(), 0);
  },
);

test.serial('a crash inside the UI restores the terminal, reports the error and exits 1', async (t) => {
  const term = terminal();
  const engine = new FakeEngine();
  engine.connection = () => {
    throw new Error('boom in a hook');
  };
  const code = await runTui({
    openEngine: () => ({engine, endpoint: 'x'}),
    endpoint: undefined,
    specs,
    env: {},
    ...term.options,
  });
  t.is(code, TUI_EXIT.failed);
  t.true(term.out().includes(LEAVE_ALT_SCREEN));
  t.regex(term.err(), /the terminal UI crashed: .*boom in a hook/);
});

test('an invalid endpoint is a usage error before the screen changes', async (t) => {
  const term = terminal();
  const code = await runTui({
    openEngine: () => {
      throw new Error('unsupported engine address: "ftp://x"');
    },
    endpoint: 'ftp://x',
    specs,
    ...term.options,
  });
  t.is(code, TUI_EXIT.usage);
  t.is(term.out(), '');
  t.regex(term.err(), /unsupported engine address/);
});

test('frame writes are pinned to the top of the screen; other writes pass as they are', (t) => {
  const HOME = `${ESC}[H`;
  const BELOW = `${ESC}[J`;
  // Ink's incremental frame: up 38 rows, then a line, then a move to the next line.
  t.is(anchorFrame(`${ESC}[38A${ESC}[1Ghead${ESC}[K\n${ESC}[E`), `${HOME}head${ESC}[K\n${ESC}[E${BELOW}`);
  // Ink's eraseLines before a full frame.
  t.is(anchorFrame(`${ESC}[2K${ESC}[1A${ESC}[2K${ESC}[Ga\nb\n`), `${HOME}a\nb\n${BELOW}`);
  // The first frame has no lead.
  t.is(anchorFrame('a\nb\n'), `${HOME}a\nb\n${BELOW}`);
  // log.clear() on a narrower terminal: the whole screen is cleared instead.
  t.is(anchorFrame(`${ESC}[2K${ESC}[1A${ESC}[2K${ESC}[G`), `${HOME}${BELOW}`);
  // Cursor and synchronized-output markers are untouched.
  t.is(anchorFrame(`${ESC}[?25l`), `${ESC}[?25l`);
  t.is(anchorFrame(`${ESC}[?2026h`), `${ESC}[?2026h`);
});
