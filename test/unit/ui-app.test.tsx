import test from 'ava';
import {fakeContainer, fakePod, FakeEngine} from '../support/fake-engine.js';
import {KEYS, renderTui, sleep} from './ui-harness.js';

test('the first frame shows the header, the pods and the containers of the selected pod', async (t) => {
  const engine = new FakeEngine([fakePod('web', ['app', 'sidecar']), fakePod('db')]);
  const tui = await renderTui(t, engine);
  await tui.see(/CONTAINERS of db/);
  const frame = tui.frame();
  t.regex(frame, /bcs-executor │ unix:\/\/\/fake\.sock │ API 1\.45 \(engine 26\.1\.0\) │ ● connected/);
  t.regex(frame, /pods 2 \(2 running\)/);
  t.regex(frame, /CONTAINERS of db/);
  t.regex(frame, /infra \(pause\)/);
  tui.unmount();
});

for (const [rows, columns] of [
  [24, 80],
  [40, 120],
  [12, 60],
] as const) {
  test(`the frame is exactly rows - 1 lines and no wider than the terminal at ${columns}x${rows}`, async (t) => {
    const pods = Array.from({length: 30}, (_, i) =>
      fakePod(`pod-${String(i).padStart(2, '0')}`, ['a', 'b', 'c']),
    );
    const tui = await renderTui(t, new FakeEngine(pods), {rows, columns});
    await tui.see(/pod-00/);
    const lines = tui.frame().split('\n');
    t.is(lines.length, rows - 1);
    for (const line of lines) t.true(line.length <= columns, `too wide: ${line}`);
    tui.unmount();
  });
}

test('with no pods the pods pane offers the demo pod, and D launches it', async (t) => {
  const engine = new FakeEngine();
  const tui = await renderTui(t, engine);
  await tui.see(/No pods yet\. Press D to launch the demo pod/);
  await tui.press('D');
  await tui.until(() => engine.callsOf('applyPod').length === 1, 'applyPod called');
  await tui.see(/demo\s+running/);
  await tui.see(/pod demo created/);
  tui.unmount();
});

test('engine events change rows without any re-listing (no polling)', async (t) => {
  const pod = fakePod('web', ['app']);
  const engine = new FakeEngine([pod]);
  const tui = await renderTui(t, engine);
  const lists = engine.callsOf('listPods').length;
  const app = pod.containers[0]!;
  engine.emit('container:status', {
    pod: 'web',
    container: {...app, status: 'exited', exitCode: 137},
    previous: 'running',
    action: 'die',
  });
  engine.setPod({...pod, status: 'failed', containers: [{...app, status: 'exited', exitCode: 137}]});
  await tui.settle(100);
  await tui.see(/web\s+failed/);
  await tui.see(/app\s+exited\(137\)/);
  engine.emit('pod:removed', {name: 'web', id: pod.id});
  await tui.settle(100);
  await tui.notSee(/web\s+failed/);
  await sleep(300);
  t.is(engine.callsOf('listPods').length, lists);
  tui.unmount();
});

test('an unreachable engine is reported, retried, and the TUI recovers on its own', async (t) => {
  const engine = new FakeEngine([fakePod('web')]);
  engine.unreachable = true;
  engine.connectionState = {connected: false, endpoint: 'unix:///fake.sock', apiVersion: ''};
  const tui = await renderTui(t, engine);
  await tui.see(/engine unreachable, retrying/);
  await tui.see(/engine unreachable at unix:\/\/\/fake\.sock, retrying/);
  engine.unreachable = false;
  engine.connectionState = {connected: true, endpoint: 'unix:///fake.sock', apiVersion: '1.45'};
  // The back-off retry (500 ms first) finds it without any event.
  await sleep(900);
  await tui.see(/● connected/);
  await tui.see(/web\s+running/);
  tui.unmount();
});

test('a reconnect event re-reads the pods', async (t) => {
  const engine = new FakeEngine([fakePod('web')]);
  const tui = await renderTui(t, engine);
  engine.emit('engine:connection', {
    connected: false,
    endpoint: 'unix:///fake.sock',
    apiVersion: '1.45',
    error: 'EOF',
  });
  await tui.settle(100);
  await tui.see(/engine unreachable, retrying: EOF/);
  engine.pods.set('db', fakePod('db'));
  engine.emit('engine:connection', {connected: true, endpoint: 'unix:///fake.sock', apiVersion: '1.45'});
  await tui.settle(150);
  await tui.see(/db\s+running/);
  tui.unmount();
});

test('unmounting unsubscribes from every engine event and ends every stream', async (t) => {
  const engine = new FakeEngine([fakePod('web')]);
  const tui = await renderTui(t, engine);
  await tui.press('l');
  await tui.until(() => engine.openLogRefs().length > 0, 'a log stream opened');
  await tui.until(() => engine.openStatsRefs().length > 0, 'a stats stream opened');
  t.true(engine.listenerCount() > 0);
  tui.unmount();
  await sleep(20);
  t.is(engine.listenerCount(), 0);
  t.deepEqual(engine.openLogRefs(), []);
  t.deepEqual(engine.openStatsRefs(), []);
});

test('the help overlay lists every key and closes with Esc', async (t) => {
  const tui = await renderTui(t, new FakeEngine([fakePod('web')]), {rows: 40});
  await tui.press('?');
  await tui.see(/KEYS/);
  const frame = tui.frame();
  t.regex(frame, /KEYS/);
  for (const key of ['j/k', 'Tab', 'space', 'K ', 'x ', '/ ', 'n/N', ':']) t.true(frame.includes(key), key);
  await tui.press(KEYS.escape);
  await tui.notSee(/KEYS/);
  await tui.see(/PODS/);
  tui.unmount();
});

test('a container event for a container with health shows its health in the row', async (t) => {
  const pod = fakePod('web', ['app']);
  const engine = new FakeEngine([pod]);
  const tui = await renderTui(t, engine);
  const app = fakeContainer('web', 'app', {healthy: false});
  engine.emit('container:health', {pod: 'web', container: app, previous: true});
  await tui.settle(100);
  await tui.see(/app\s+running\s+unhealthy/);
  await tui.see(/web\s+running\s+1\/1\s+unhealthy/);
  tui.unmount();
});
