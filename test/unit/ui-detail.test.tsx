import test from 'ava';
import {fakeContainer, fakePod, FakeEngine} from '../support/fake-engine.js';
import {KEYS, renderTui} from './ui-harness.js';

test('l in the pods pane follows the merged logs of the pod; lines name their container', async (t) => {
  const engine = new FakeEngine([fakePod('web', ['app', 'sidecar'])]);
  const tui = await renderTui(t, engine);
  await tui.press('l');
  await tui.until(() => engine.openLogRefs().includes('web'), 'a log stream on the pod');
  engine.pushLog('web', {container: 'app', text: 'GET / 200'});
  engine.pushLog('web', {container: 'sidecar', text: 'tick 1'});
  await tui.see(/app\s+│ GET \/ 200/);
  await tui.see(/sidecar │ tick 1/);
  await tui.see(/pod web \(merged\) · following · 2 lines/);
  t.is(tui.session.view.focus, 'detail');
  tui.unmount();
});

test('l in the containers pane follows that container; m switches to the merged pod logs', async (t) => {
  const engine = new FakeEngine([fakePod('web', ['app', 'sidecar'])]);
  const tui = await renderTui(t, engine);
  await tui.press(KEYS.tab, 'j', 'l');
  await tui.until(() => engine.openLogRefs().includes('web-sidecar-id'), 'a log stream on the container');
  await tui.press('m');
  await tui.until(() => engine.openLogRefs().includes('web'), 'the pod stream');
  t.false(engine.openLogRefs().includes('web-sidecar-id'), 'the container stream was aborted');
  tui.unmount();
});

test('/ searches the logs, counts and highlights matches; n jumps; t shows timestamps', async (t) => {
  const engine = new FakeEngine([fakePod('web', ['app'])]);
  const tui = await renderTui(t, engine, {rows: 24, columns: 100});
  await tui.press(KEYS.tab, 'l');
  await tui.until(() => engine.openLogRefs().length > 0, 'a log stream');
  const ref = engine.openLogRefs()[0]!;
  for (let i = 0; i < 40; i++)
    engine.pushLog(ref, {
      text: i === 5 ? 'ERROR disk full' : `line ${i}`,
      ts: '2024-05-01T10:00:00.123456789Z',
    });
  await tui.see(/40 lines/);
  await tui.notSee(/ERROR disk full/);
  await tui.press('/', 'e', 'r', 'r', 'o', 'r', KEYS.enter);
  await tui.see(/\/error 1 match/);
  await tui.press('n');
  await tui.see(/ERROR disk full/);
  await tui.see(/paused/);
  await tui.see(/match 1\/1 for "error"/);
  await tui.press('t');
  await tui.see(/\d\d:\d\d:00\.123 ERROR disk full/);
  await tui.press('G');
  await tui.see(/following/);
  await tui.see(/line 39/);
  tui.unmount();
});

test('stats are followed only for the running container rows on screen, and move with the selection', async (t) => {
  const web = fakePod('web', ['app', 'side']);
  const stopped = fakePod('db', ['pg'], {
    containers: [fakeContainer('db', 'pg', {status: 'exited', exitCode: 1})],
  });
  const engine = new FakeEngine([web, stopped]);
  const tui = await renderTui(t, engine);
  // db is selected first (sorted by name): only its infra runs.
  await tui.until(() => engine.openStatsRefs().length === 1, 'one stats stream');
  t.deepEqual(engine.openStatsRefs()[0], [stopped.infra.id]);
  await tui.press('j');
  await tui.until(() => engine.openStatsRefs()[0]?.length === 3, 'the stream moved to web');
  t.deepEqual(
    [...engine.openStatsRefs()[0]!].sort(),
    [web.infra.id, ...web.containers.map((c) => c.id)].sort(),
  );
  t.is(engine.openStatsRefs().length, 1, 'the db stream was aborted');
  engine.pushStats({
    containerId: 'web-app-id00',
    container: 'app',
    cpuPercent: 12.5,
    memoryBytes: 5 * 1024 * 1024,
  });
  await tui.see(/app\s+running\s+-\s+0\s+12\.5%\s+5\.0 MiB/);
  await tui.press('2');
  await tui.see(/app\s+CPU\s+[▁-█]+\s+12\.5%\s+MEM/);
  tui.unmount();
});

test('a short terminal shows fewer container rows, and stats follow only those', async (t) => {
  const engine = new FakeEngine([fakePod('big', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])]);
  const tui = await renderTui(t, engine, {rows: 16, columns: 100});
  await tui.until(() => engine.openStatsRefs().length === 1, 'a stats stream');
  const shown = engine.openStatsRefs()[0]!.length;
  t.true(shown < 9, `followed ${shown} of 9 containers`);
  tui.unmount();
});

test('the health tab shows the probe history, newest first', async (t) => {
  const app = fakeContainer('web', 'app', {
    healthy: false,
    health: {
      type: 'http',
      status: 'unhealthy',
      consecutiveFailures: 2,
      totalFailures: 2,
      totalChecks: 3,
      history: [
        {at: '2024-05-01T10:00:00Z', ok: true, output: 'HTTP 200', durationMs: 4},
        {at: '2024-05-01T10:00:05Z', ok: false, output: 'connection refused', durationMs: 1},
      ],
    },
  });
  const engine = new FakeEngine([fakePod('web', [], {containers: [app]})]);
  const tui = await renderTui(t, engine);
  await tui.press('3');
  await tui.see(/http check\s+unhealthy\s+checks 3\s+failures 2\s+streak 2/);
  await tui.see(/FAIL\s+1 ms\s+connection refused[\s\S]*ok\s+4 ms\s+HTTP 200/);
  tui.unmount();
});

test('the spec tab shows the pod spec as YAML and the inspect tab the container as JSON', async (t) => {
  const engine = new FakeEngine([fakePod('web', ['app'])]);
  engine.inspect = {id: 'web-app-id00', name: '/web-app'};
  const tui = await renderTui(t, engine);
  await tui.press('4');
  await tui.see(/name: web/);
  await tui.see(/image: bcs-executor\/demo:local/);
  await tui.press('i');
  await tui.see(/"name": "\/web-app"/);
  t.deepEqual(
    engine.callsOf('inspectContainer').map((c) => c.args[0]),
    ['web-app-id00'],
  );
  tui.unmount();
});

test('the events tab shows engine, Docker and TUI activity', async (t) => {
  const engine = new FakeEngine([fakePod('web', ['app'])]);
  const tui = await renderTui(t, engine);
  engine.emit('engine:activity', {
    at: new Date().toISOString(),
    level: 'warn',
    source: 'docker',
    message: 'die (exit 137)',
    pod: 'web',
    container: 'app',
  });
  await tui.press('6', 's', 'y');
  await tui.see(/docker\s+web\/app: die \(exit 137\)/);
  await tui.see(/tui\s+stop pod web/);
  tui.unmount();
});

test('e runs a one-off command and shows its output and exit code in the exec tab', async (t) => {
  const engine = new FakeEngine([fakePod('web', ['app'])]);
  engine.execResult = {
    exitCode: 3,
    stdout: 'one\ntwo\n',
    stderr: 'oops\n',
    truncated: false,
    timedOut: false,
    durationMs: 7,
  };
  const tui = await renderTui(t, engine);
  await tui.press('e');
  await tui.see(/exec in web\/app \$ /);
  await tui.press(
    'e',
    'c',
    'h',
    'o',
    KEYS.backspace,
    KEYS.backspace,
    KEYS.backspace,
    KEYS.backspace,
    'l',
    's',
    KEYS.enter,
  );
  await tui.until(() => engine.callsOf('exec').length === 1, 'exec called');
  t.deepEqual(engine.callsOf('exec')[0]!.args, ['web-app-id00', ['sh', '-c', 'ls']]);
  await tui.see(/\$ ls/);
  await tui.see(/one\s*\n\s*two\s*\n\s*oops/);
  await tui.see(/exit code 3 in 7 ms/);
  tui.unmount();
});
