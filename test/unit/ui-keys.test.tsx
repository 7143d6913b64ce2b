import test from 'ava';
import {fakePod, FakeEngine} from '../support/fake-engine.js';
import {KEYS, renderTui} from './ui-harness.js';

const threePods = (): FakeEngine =>
  new FakeEngine([fakePod('alpha', ['app']), fakePod('bravo', ['app', 'side']), fakePod('charlie')]);

test('j/k and arrows move the pod cursor; g/G jump; the containers follow the selection', async (t) => {
  const tui = await renderTui(t, threePods());
  await tui.see(/PODS 1\/3/);
  await tui.press('j');
  await tui.see(/PODS 2\/3/);
  await tui.see(/CONTAINERS of bravo/);
  await tui.press(KEYS.down);
  await tui.see(/PODS 3\/3/);
  await tui.press(KEYS.up, 'k');
  await tui.see(/PODS 1\/3/);
  await tui.press('G');
  await tui.see(/CONTAINERS of charlie/);
  await tui.press('g');
  await tui.see(/CONTAINERS of alpha/);
  tui.unmount();
});

test('tab moves the focus between the panes and enter drills in; Esc goes back', async (t) => {
  const tui = await renderTui(t, threePods());
  t.is(tui.session.view.focus, 'pods');
  await tui.press(KEYS.tab);
  t.is(tui.session.view.focus, 'containers');
  await tui.press(KEYS.enter);
  t.is(tui.session.view.focus, 'detail');
  await tui.press(KEYS.escape);
  t.is(tui.session.view.focus, 'containers');
  await tui.press(KEYS.escape);
  t.is(tui.session.view.focus, 'pods');
  tui.unmount();
});

test('a long pod list is windowed and the cursor scrolls it', async (t) => {
  const pods = Array.from({length: 50}, (_, i) => fakePod(`p${String(i).padStart(2, '0')}`));
  const tui = await renderTui(t, new FakeEngine(pods), {rows: 24, columns: 80});
  await tui.see(/p00/);
  await tui.notSee(/p30/);
  await tui.press('G');
  await tui.see(/p49/);
  await tui.notSee(/ p00 /);
  tui.unmount();
});

test('stop asks first; y stops, anything else cancels', async (t) => {
  const engine = threePods();
  const tui = await renderTui(t, engine);
  await tui.press('s');
  await tui.see(/Stop pod alpha\? \[y\/N\]/);
  await tui.press('n');
  await tui.see(/stop cancelled/);
  t.is(engine.callsOf('stopPod').length, 0);
  await tui.press('s', 'y');
  await tui.until(() => engine.callsOf('stopPod').length > 0, 'stopPod called');
  t.deepEqual(
    engine.callsOf('stopPod').map((c) => c.args[0]),
    ['alpha'],
  );
  await tui.see(/stopped pod alpha/);
  tui.unmount();
});

test('kill, restart and remove ask first; start does not', async (t) => {
  const engine = threePods();
  const tui = await renderTui(t, engine);
  await tui.press('K');
  await tui.see(/Kill pod alpha\?/);
  await tui.press('y', 'r');
  await tui.see(/Restart pod alpha\?/);
  await tui.press('y', 'd');
  await tui.see(/Remove pod alpha\?/);
  await tui.press('y');
  await tui.see(/PODS 1\/2/);
  await tui.press('S');
  await tui.until(() => engine.callsOf('startPod').length > 0, 'startPod called');
  t.is(engine.callsOf('killPod').length, 1);
  t.is(engine.callsOf('restartPod').length, 1);
  t.is(engine.callsOf('removePod').length, 1);
  t.deepEqual(
    engine.callsOf('startPod').map((c) => c.args[0]),
    ['bravo'],
  );
  tui.unmount();
});

test('space marks rows and a bulk action applies to the marked rows', async (t) => {
  const engine = threePods();
  const tui = await renderTui(t, engine);
  await tui.press(' ', 'j', ' ');
  await tui.see(/marked:2/);
  await tui.press('K');
  await tui.see(/Kill 2 marked pods \(alpha, charlie\)\? \[y\/N\]/);
  await tui.press('y');
  await tui.until(() => engine.callsOf('killPod').length === 2, 'killPod called twice');
  t.deepEqual(
    engine
      .callsOf('killPod')
      .map((c) => c.args[0])
      .sort(),
    ['alpha', 'charlie'],
  );
  await tui.notSee(/marked:/);
  tui.unmount();
});

test('actions in the containers pane apply to containers', async (t) => {
  const engine = threePods();
  const tui = await renderTui(t, engine);
  await tui.press('j', KEYS.tab);
  await tui.press('s', 'y');
  await tui.until(() => engine.callsOf('stopContainer').length > 0, 'stopContainer called');
  t.deepEqual(
    engine.callsOf('stopContainer').map((c) => c.args[0]),
    ['bravo-app-id'],
  );
  await tui.press('j', ' ', 'k', 'k', ' ', 'd');
  await tui.see(/Remove 2 marked containers \(bravo\/infra, bravo\/side\)\?/);
  tui.unmount();
});

test('x hands the selected running container to an interactive shell', async (t) => {
  const tui = await renderTui(t, threePods());
  await tui.press('x');
  t.deepEqual(tui.session.shells, [{ref: 'alpha-app-id', label: 'alpha/app'}]);
  tui.unmount();
});

test('x on a container that does not run says so', async (t) => {
  const pod = fakePod('web', ['app']);
  const stopped = {...pod, containers: [{...pod.containers[0]!, status: 'exited' as const, exitCode: 0}]};
  const tui = await renderTui(t, new FakeEngine([stopped]));
  await tui.press('x');
  t.deepEqual(tui.session.shells, []);
  await tui.see(/web\/app is exited, not running/);
  tui.unmount();
});

test('q and Ctrl-C quit', async (t) => {
  const tui = await renderTui(t, threePods());
  await tui.press('q');
  t.is(tui.session.quits, 1);
  await tui.press(KEYS.ctrlC);
  t.is(tui.session.quits, 2);
  tui.unmount();
});

test('/ in the pods pane filters as you type; Esc clears it', async (t) => {
  const tui = await renderTui(t, threePods());
  await tui.press('/', 'b', 'r');
  await tui.see(/filter pods \/br/);
  await tui.see(/PODS 1\/1 filter:br/);
  await tui.notSee(/alpha/);
  await tui.press(KEYS.enter);
  await tui.see(/bravo/);
  await tui.press(KEYS.escape);
  await tui.see(/alpha/);
  tui.unmount();
});
