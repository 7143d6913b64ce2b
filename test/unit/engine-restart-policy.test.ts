/**
The restart policy: Docker's on the containers, plus the engine's own restarts after out-of-band stops (with
back-off on the engine's clock), and Never's "one exits, the others are stopped".
*/
import test from 'ava';
import {ManualClock} from '../../src/health/manual-clock.js';
import type {RestartPolicy} from '../../src/engine/types.js';
import {app, eventually, fakeEngine, nextEvent, podName, podSpec} from '../support/pod-helpers.js';

async function setUp(policy: RestartPolicy, clock?: ManualClock) {
  const {runtime, engine} = fakeEngine(clock === undefined ? {} : {clock});
  const name = podName(policy.toLowerCase());
  const {pod} = await engine.createPod(
    podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100'), app('c', 'sleep 100')], {
      restartPolicy: policy,
    }),
  );
  const ids = pod.containers.map((container) => container.id);
  return {runtime, engine, name, pod, ids};
}

async function status(
  runtime: {inspectContainer(id: string): Promise<{state: {status: string}}>},
  id: string,
): Promise<string> {
  return (await runtime.inspectContainer(id)).state.status;
}

test('Never: one app exits, the others are stopped in reverse order, the infra stays up', async (t) => {
  const {runtime, engine, name, pod, ids} = await setUp('Never');
  t.teardown(() => engine.close());
  const [a = '', b = '', c = ''] = ids;
  runtime.callLog.length = 0;
  runtime.simulateExit(b, 2);
  await eventually(
    async () =>
      (await status(runtime, a)) === 'exited' && (await status(runtime, c)) === 'exited' ? true : undefined,
    5000,
    'a and c stopped',
  );
  const stops = runtime.callLog.filter((entry) => entry.startsWith('stopContainer'));
  t.deepEqual(stops, [`stopContainer ${c}`, `stopContainer ${a}`]);
  t.is(await status(runtime, pod.id), 'running', 'the infra stays, so the failure can be inspected');
  const view = await engine.getPod(name);
  t.is(view.status, 'failed');
  t.is(view.message, 'container b exited with 2', "the first failure names the pod's");
  t.true(
    engine
      .activity()
      .some((entry) => entry.source === 'engine' && /restart policy Never/.test(entry.message)),
  );
});

test('Always: Docker restarts an exit itself; the engine does not start it a second time', async (t) => {
  const {runtime, engine, name, ids} = await setUp('Always');
  t.teardown(() => engine.close());
  const a = ids[0] ?? '';
  runtime.simulateExit(a, 1);
  await eventually(
    async () =>
      (await runtime.inspectContainer(a)).restartCount === 1 && (await status(runtime, a)) === 'running'
        ? true
        : undefined,
    5000,
    'Docker restarted it',
  );
  const view = await engine.getPod(name);
  t.is(view.status, 'running');
  t.is(view.containers[0]?.restartCount, 1);
  t.is(
    runtime.callLog.filter((entry) => entry === `startContainer ${a}`).length,
    1,
    'only the create started it',
  );
});

test('Always: after an out-of-band kill the engine restarts with back-off 1 s, 2 s, ...', async (t) => {
  const clock = new ManualClock(Date.now());
  const {runtime, engine, name, ids} = await setUp('Always', clock);
  t.teardown(() => engine.close());
  const a = ids[0] ?? '';
  const starts = () => runtime.callLog.filter((entry) => entry === `startContainer ${a}`).length;
  const died = nextEvent(
    engine,
    'container:status',
    (event) => event.container.id === a && event.action === 'die',
  );
  await runtime.killContainer(a, 'SIGKILL');
  await died;
  await clock.advance(999);
  t.is(starts(), 1, 'not before the back-off');
  const restarted = nextEvent(
    engine,
    'container:status',
    (event) => event.container.id === a && event.container.status === 'running',
  );
  await clock.advance(1);
  await restarted;
  t.is(starts(), 2);
  t.is((await engine.getPod(name)).containers[0]?.restartCount, 1, "the engine's restart is counted");
  t.true(engine.activity().some((entry) => entry.message === `restarted ${name}/a after exit 137`));

  const diedAgain = nextEvent(
    engine,
    'container:status',
    (event) => event.container.id === a && event.action === 'die',
  );
  await runtime.killContainer(a, 'SIGKILL');
  await diedAgain;
  await clock.advance(1999);
  t.is(starts(), 2, 'the second back-off is 2 s');
  const again = nextEvent(
    engine,
    'container:status',
    (event) => event.container.id === a && event.container.status === 'running',
  );
  await clock.advance(1);
  await again;
  t.is(starts(), 3);
});

test('OnFailure: an out-of-band kill is restarted, a clean exit 0 is not', async (t) => {
  const clock = new ManualClock(Date.now());
  const {runtime, engine, name, ids} = await setUp('OnFailure', clock);
  t.teardown(() => engine.close());
  const [a = '', b = ''] = ids;
  const killed = nextEvent(
    engine,
    'container:status',
    (event) => event.container.id === a && event.action === 'die',
  );
  await runtime.killContainer(a, 'SIGKILL');
  await killed;
  const restarted = nextEvent(
    engine,
    'container:status',
    (event) => event.container.id === a && event.container.status === 'running',
  );
  await clock.advance(1000);
  await restarted;
  const cleanExit = nextEvent(
    engine,
    'container:status',
    (event) => event.container.id === b && event.action === 'die',
  );
  runtime.simulateExit(b, 0);
  await cleanExit;
  await clock.advance(60_000);
  t.is(await status(runtime, b), 'exited');
  const pod = await engine.getPod(name);
  t.is(pod.status, 'running', 'an app that exited 0 under OnFailure has completed; the pod runs on');
  t.regex(pod.message, /completed: /);
});

test('a deliberate stop through the engine is not undone, by this engine or another', async (t) => {
  const clock = new ManualClock(Date.now());
  const {runtime, engine, name, ids} = await setUp('Always', clock);
  t.teardown(() => engine.close());
  const result = await engine.stopPod(name);
  t.true(result.changed);
  t.is(result.pod.status, 'killed');
  t.is(result.pod.infra.exitCode, 137);
  await clock.advance(120_000);
  for (const id of ids) t.is(await status(runtime, id), 'exited');
  for (const id of ids) t.deepEqual((await runtime.inspectContainer(id)).host.restartPolicy, {name: 'no'});
  t.false((await engine.stopPod(name)).changed, 'stopping a stopped pod changes nothing');
  const started = await engine.startPod(name);
  t.is(started.pod.status, 'running');
  for (const id of ids)
    t.deepEqual(
      (await runtime.inspectContainer(id)).host.restartPolicy,
      {name: 'always'},
      'the policy is back',
    );
});

test('stopContainer through the engine withdraws the policy; startContainer puts it back', async (t) => {
  const clock = new ManualClock(Date.now());
  const {runtime, engine, name, ids} = await setUp('Always', clock);
  t.teardown(() => engine.close());
  const a = ids[0] ?? '';
  t.true((await engine.stopContainer(`${name}/a`)).changed);
  await clock.advance(60_000);
  t.is(await status(runtime, a), 'exited');
  t.is((await engine.getPod(name)).status, 'failed');
  t.true((await engine.startContainer(`${name}/a`)).changed);
  t.deepEqual((await runtime.inspectContainer(a)).host.restartPolicy, {name: 'always'});
  t.is((await engine.getPod(name)).status, 'running');
});
