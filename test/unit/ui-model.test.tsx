import {PassThrough} from 'node:stream';
import test from 'ava';
import {coalesce} from '../../ui/components/Line.js';
import {parseCommandLine} from '../../ui/model/command-line.js';
import {sameScreen, screenData} from '../../ui/model/screen-data.js';
import {fitColumns, layoutRow} from '../../ui/model/columns.js';
import {
  fit,
  formatBytes,
  formatDuration,
  formatPercent,
  formatPorts,
  sanitizeLine,
  sparkline,
} from '../../ui/model/format.js';
import {footerKeys, KEY_HELP, resolveKey} from '../../ui/model/keymap.js';
import {computeLayout} from '../../ui/model/layout.js';
import {matchingLines, nextMatch, splitMatches} from '../../ui/model/log-lines.js';
import {editPrompt} from '../../ui/model/prompt-edit.js';
import {moveCursor, visiblePods, windowStart} from '../../ui/model/select.js';
import {cycle, INITIAL_VIEW, reduceView} from '../../ui/model/view-state.js';
import {runTui, TUI_EXIT} from '../../ui/run-tui.js';
import {RingBuffer} from '../../ui/store/ring-buffer.js';
import {sortableTs, TuiStore} from '../../ui/store/tui-store.js';
import {LEAVE_ALT_SCREEN, TerminalGuard} from '../../ui/terminal/terminal-guard.js';
import {createTheme} from '../../ui/theme.js';
import {fakePod, FakeEngine} from '../support/fake-engine.js';

test('formatting of sizes, percentages, durations and ports', (t) => {
  t.is(formatBytes(512), '512 B');
  t.is(formatBytes(5 * 1024 * 1024), '5.0 MiB');
  t.is(formatBytes(undefined), '-');
  t.is(formatPercent(3.14159), '3.1%');
  t.is(formatPercent(250), '250%');
  t.is(formatDuration(42_000), '42s');
  t.is(formatDuration(3 * 3600_000 + 12 * 60_000), '3h12m');
  t.is(formatDuration(2 * 86_400_000), '2d');
  t.is(
    formatPorts([
      {containerPort: 80, hostPort: 8080, protocol: 'tcp', hostIp: ''},
      {containerPort: 53, hostPort: 0, protocol: 'udp', hostIp: ''},
    ]),
    '8080->80',
  );
  t.is(fit('abcdef', 4), 'abc…');
  t.is(fit('ab', 4, 'right'), '  ab');
});

test('sparklines scale to the maximum and keep their width', (t) => {
  t.is(sparkline([0, 50, 100], 3, 100), '▁▅█');
  t.is(sparkline([1, 2], 5), '   ▅█');
  t.is(sparkline([], 3), '   ');
});

test('log text is made safe for one terminal line', (t) => {
  t.is(sanitizeLine('\u001B[31mred\u001B[0m\tx\r\n'), 'red    x');
  t.is(sanitizeLine('a\u0007b\u001B]0;title\u0007c'), 'abc');
});

test('columns drop by priority on narrow terminals, never wrapping', (t) => {
  const columns = [
    {title: 'NAME', width: 0, priority: 100},
    {title: 'A', width: 10, priority: 10},
    {title: 'B', width: 10, priority: 90},
  ];
  const wide = fitColumns(columns, 60);
  t.deepEqual(wide.keep, [true, true, true]);
  const narrow = fitColumns(columns, 30);
  t.deepEqual(narrow.keep, [true, false, true]);
  t.is(layoutRow(columns, narrow, ['a-very-long-pod-name', 'x', 'y']).join(' ').length, 30);
});

test('the layout keeps the frame at rows - 1 lines', (t) => {
  for (const [rows, members] of [
    [24, 3],
    [40, 12],
    [10, 1],
    [100, 2],
  ] as const) {
    const layout = computeLayout(rows, 80, members);
    t.is(layout.frame, Math.max(9, rows - 1));
    t.is(layout.pods + layout.containers + layout.detail + 3, layout.frame);
  }
});

test('list windows keep the cursor visible with the least scrolling', (t) => {
  t.is(windowStart(0, 0, 5, 100), 0);
  t.is(windowStart(7, 0, 5, 100), 3);
  t.is(windowStart(4, 3, 5, 100), 3);
  t.is(windowStart(2, 3, 5, 100), 2);
  t.is(windowStart(99, 0, 5, 3), 0);
  t.deepEqual(moveCursor(0, -1, 10, 0, 5), {index: 0, offset: 0});
  t.deepEqual(moveCursor(4, 1, 10, 0, 5), {index: 5, offset: 1});
  t.deepEqual(moveCursor(3, 1e9, 10, 0, 5), {index: 9, offset: 5});
});

test('pods filter by name and sort by status, age and restarts', (t) => {
  const a = fakePod('a', ['x'], {status: 'running', createdAt: '2024-01-01T00:00:00Z'});
  const b = fakePod('b', ['x'], {status: 'failed', createdAt: '2024-02-01T00:00:00Z'});
  t.deepEqual(
    visiblePods([a, b], '', 'status').map((p) => p.name),
    ['b', 'a'],
  );
  t.deepEqual(
    visiblePods([a, b], '', 'age').map((p) => p.name),
    ['b', 'a'],
  );
  t.deepEqual(
    visiblePods([a, b], 'A', 'name').map((p) => p.name),
    ['a'],
  );
});

test('the keymap follows the shared conventions', (t) => {
  const ctx = {focus: 'pods', tab: 'logs'} as const;
  t.deepEqual(resolveKey('j', {}, ctx), {type: 'move', delta: 1});
  t.deepEqual(resolveKey('', {upArrow: true}, ctx), {type: 'move', delta: -1});
  t.deepEqual(resolveKey('G', {shift: true}, ctx), {type: 'bottom'});
  t.deepEqual(resolveKey('', {tab: true, shift: true}, ctx), {type: 'focus', delta: -1});
  t.deepEqual(resolveKey('K', {shift: true}, ctx), {type: 'lifecycle', op: 'kill'});
  t.deepEqual(resolveKey('c', {ctrl: true}, ctx), {type: 'quit'});
  t.deepEqual(resolveKey('3', {}, ctx), {type: 'tab', tab: 'health'});
  t.is(resolveKey('z', {}, ctx), null);
  t.true(footerKeys({focus: 'detail', tab: 'logs'}).includes('/ search'));
  t.true(footerKeys({focus: 'pods', tab: 'logs'}).includes('space mark'));
  for (const keys of ['s', 'S', 'r', 'K', 'd', 'e', 'x', 'l', '?', ':', 'space']) {
    t.true(
      KEY_HELP.some((k) => k.keys.split(' ').includes(keys)),
      `help lists ${keys}`,
    );
  }
});

test('the prompt edits text; backspace arrives as delete in Ink 6', (t) => {
  t.deepEqual(editPrompt('ab', 'c', {}), {type: 'text', text: 'abc'});
  t.deepEqual(editPrompt('ab', '', {delete: true}), {type: 'text', text: 'a'});
  t.deepEqual(editPrompt('', '', {backspace: true}), {type: 'cancel'});
  t.deepEqual(editPrompt('ab', '', {return: true}), {type: 'submit', text: 'ab'});
  t.deepEqual(editPrompt('ab', '', {escape: true}), {type: 'cancel'});
  t.deepEqual(editPrompt('ls -l', 'u', {ctrl: true}), {type: 'text', text: ''});
  t.deepEqual(editPrompt('', 'a\nb', {}), {type: 'text', text: 'a b'});
});

test('the command line parses its commands and explains mistakes', (t) => {
  t.deepEqual(parseCommandLine('apply examples/demo.yaml'), {kind: 'apply', file: 'examples/demo.yaml'});
  t.deepEqual(parseCommandLine(' demo '), {kind: 'demo'});
  t.deepEqual(parseCommandLine('filter web'), {kind: 'filter', text: 'web'});
  t.deepEqual(parseCommandLine('sort AGE'), {kind: 'sort', key: 'age'});
  t.deepEqual(parseCommandLine('host tcp://127.0.0.1:2375'), {kind: 'host', url: 'tcp://127.0.0.1:2375'});
  t.deepEqual(parseCommandLine('q'), {kind: 'quit'});
  t.is(parseCommandLine('sort size').kind, 'error');
  t.is(parseCommandLine('apply').kind, 'error');
  t.regex((parseCommandLine('frobnicate') as {message: string}).message, /unknown command "frobnicate"/);
});

test('log search finds, splits and steps through matches', (t) => {
  const line = (text: string) => ({
    container: 'a',
    containerId: 'i',
    stream: 'stdout' as const,
    ts: '',
    text,
  });
  t.deepEqual(matchingLines([line('x'), line('Error'), line('an error')], 'ERROR'), [1, 2]);
  t.deepEqual(splitMatches('a-b-a', 'A'), [
    {text: 'a', match: true},
    {text: '-b-', match: false},
    {text: 'a', match: true},
  ]);
  t.is(nextMatch([2, 5], 2, 1), 5);
  t.is(nextMatch([2, 5], 5, 1), 2);
  t.is(nextMatch([2, 5], 2, -1), 5);
  t.is(nextMatch([], 0, 1), null);
});

test('the view reducer keeps selections stable and resets per pod', (t) => {
  const selected = reduceView(
    {...INITIAL_VIEW, container: 'app', follow: false},
    {type: 'select-pod', name: 'web', offset: 0},
  );
  t.is(selected.container, null);
  t.true(selected.follow);
  const marked = reduceView(reduceView(INITIAL_VIEW, {type: 'toggle-mark', pane: 'pods', key: 'a'}), {
    type: 'toggle-mark',
    pane: 'pods',
    key: 'b',
  });
  t.deepEqual(marked.marks.pods, ['a', 'b']);
  t.deepEqual(reduceView(marked, {type: 'toggle-mark', pane: 'pods', key: 'a'}).marks.pods, ['b']);
  t.is(cycle(['a', 'b', 'c'], 'a', -1), 'c');
});

test('the ring buffer drops the oldest and counts what it dropped', (t) => {
  const ring = new RingBuffer<number>(3);
  for (let i = 0; i < 5; i++) ring.push(i);
  t.deepEqual(ring.toArray(), [2, 3, 4]);
  t.is(ring.pushed - ring.size, 2);
});

test('the store publishes many changes as one snapshot', async (t) => {
  const store = new TuiStore({publishIntervalMs: 30});
  let publishes = 0;
  store.subscribe(() => publishes++);
  store.flush();
  const first = store.getSnapshot();
  for (let i = 0; i < 100; i++)
    store.pushStats({
      containerId: 'c',
      container: 'app',
      pod: 'web',
      at: '',
      cpuPercent: i,
      memoryBytes: i,
      memoryLimitBytes: 0,
      memoryPercent: 0,
      networkRxBytes: 0,
      networkTxBytes: 0,
      blockReadBytes: 0,
      blockWriteBytes: 0,
      pids: 1,
    });
  await new Promise((resolve) => setTimeout(resolve, 80));
  t.is(publishes, 2);
  const snapshot = store.getSnapshot();
  t.not(snapshot, first);
  t.is(snapshot.stats.get('c')?.cpu.length, 100);
  t.is(snapshot.logs, first.logs, 'untouched parts are reused');
  store.dispose();
});

test('NO_COLOR drops every colour', (t) => {
  t.is(createTheme({NO_COLOR: '1'}).color('red'), undefined);
  t.is(createTheme({NO_COLOR: ''}).color('red'), 'red');
  t.is(createTheme({}).color('green'), 'green');
});

test('stdin that is not a terminal gets a clear message and exit code 2, and no engine is opened', async (t) => {
  const stdin = Object.assign(new PassThrough(), {isTTY: false}) as unknown as NodeJS.ReadStream;
  const stdout = Object.assign(new PassThrough(), {isTTY: true}) as unknown as NodeJS.WriteStream;
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let opened = 0;
  const code = await runTui({
    openEngine: () => {
      opened++;
      return {engine: new FakeEngine(), endpoint: 'x'};
    },
    endpoint: undefined,
    specs: {loadSpec: () => Promise.reject(new Error('no')), demoSpec: () => Promise.reject(new Error('no'))},
    stdin,
    stdout,
    stderr: stderr as unknown as NodeJS.WriteStream,
  });
  t.is(code, TUI_EXIT.usage);
  t.is(opened, 0);
  t.regex(err, /needs an interactive terminal, and standard input is not one/);
  t.notRegex(err, /\n\s+at /, 'no stack trace');
});

test('the terminal guard leaves the alternate screen once, and on SIGTERM exits 143', (t) => {
  let out = '';
  const stdout = {write: (s: string) => ((out += s), true)} as unknown as NodeJS.WriteStream;
  const stdin = {isTTY: false} as unknown as NodeJS.ReadStream;
  const exits: number[] = [];
  const guard = new TerminalGuard(stdin, stdout, stdout, (code) => exits.push(code));
  const before = process.listenerCount('SIGTERM');
  guard.enter();
  t.is(process.listenerCount('SIGTERM'), before + 1);
  process.emit('SIGTERM');
  t.deepEqual(exits, [143]);
  t.is(out.split(LEAVE_ALT_SCREEN).length - 1, 1);
  guard.restore();
  t.is(out.split(LEAVE_ALT_SCREEN).length - 1, 1);
  t.is(process.listenerCount('SIGTERM'), before);
});

test('merged logs are shown in time order even when each container sends its tail in turn', (t) => {
  const store = new TuiStore({publishIntervalMs: 5});
  store.resetLogs('pod:web');
  const line = (container: string, ts: string) => ({
    container,
    containerId: container,
    stream: 'stdout' as const,
    ts,
    text: container,
  });
  store.appendLog('pod:web', line('a', '2024-05-01T10:00:01.5Z'));
  store.appendLog('pod:web', line('a', '2024-05-01T10:00:03.000000000Z'));
  store.appendLog('pod:web', line('b', '2024-05-01T10:00:01.000000001Z'));
  store.appendLog('pod:web', line('b', '2024-05-01T10:00:02Z'));
  store.flush();
  t.deepEqual(
    store.getSnapshot().logs.lines.map((l) => l.ts),
    [
      '2024-05-01T10:00:01.000000001Z',
      '2024-05-01T10:00:01.5Z',
      '2024-05-01T10:00:02Z',
      '2024-05-01T10:00:03.000000000Z',
    ],
  );
  t.is(sortableTs('2024-05-01T10:00:01.5Z'), '2024-05-01T10:00:01.500000000Z');
  store.dispose();
});

test('a frame is selected again only when something on screen changed', (t) => {
  const pods = Array.from({length: 30}, (_, i) => fakePod(`p${String(i).padStart(2, '0')}`));
  const store = new TuiStore();
  store.setPods(pods);
  store.flush();
  const first = screenData(store.getSnapshot(), INITIAL_VIEW, 24, 80);
  // A pod far below the window changes: same frame.
  store.upsertPod({...pods[29]!, status: 'failed'});
  store.flush();
  const offScreen = screenData(store.getSnapshot(), INITIAL_VIEW, 24, 80);
  t.true(sameScreen(first, {...offScreen, runningPods: first.runningPods}));
  t.false(sameScreen(first, offScreen), 'the header count changed');
  // Activity while the events tab is closed: same frame.
  store.pushActivity({at: '', level: 'info', source: 'docker', message: 'x'});
  store.flush();
  t.true(sameScreen(offScreen, screenData(store.getSnapshot(), INITIAL_VIEW, 24, 80)));
  // A pod on screen changes: another frame.
  store.upsertPod({...pods[0]!, status: 'failed'});
  store.flush();
  t.false(sameScreen(offScreen, screenData(store.getSnapshot(), INITIAL_VIEW, 24, 80)));
  store.dispose();
});

test('lines coalesce spans of one style so a frame has fewer text nodes', (t) => {
  t.deepEqual(
    coalesce([{text: 'a'}, {text: 'b'}, {text: 'c', bold: true}, {text: 'd', bold: true}, {text: 'e'}]),
    [{text: 'ab'}, {text: 'cd', bold: true}, {text: 'e'}],
  );
});

test('a line never breaks: newlines in a message are flattened', (t) => {
  t.deepEqual(coalesce([{text: 'invalid input: 1 problem\n  endpoint: bad'}]), [
    {text: 'invalid input: 1 problem · endpoint: bad'},
  ]);
});
