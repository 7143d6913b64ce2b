/**
Events to statuses: one event stream, one inspect per event, and what the engine tells its listeners.
*/
import test from 'ava';
import {createEngine} from '../../src/engine/create-engine.js';
import type {EngineEvents} from '../../src/engine/types.js';
import type {CniDelOptions} from '../../src/network/cni/cni-network.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';
import {
  app,
  eventually,
  fakeEngine,
  fakeRuntime,
  nextEvent,
  podName,
  podSpec,
} from '../support/pod-helpers.js';

test('an app exit: container:status (die) and pod:status failed, from one inspect per event', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('ev');
  const {pod} = await engine.createPod(podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')]));
  t.is(pod.status, 'running');
  const a = pod.containers[0]?.id ?? '';
  const died = nextEvent(
    engine,
    'container:status',
    (event) => event.container.id === a && event.action === 'die',
  );
  const failed = nextEvent(
    engine,
    'pod:status',
    (event) => event.pod.name === name && event.pod.status === 'failed',
  );
  const inspectsBefore = runtime.callLog.filter((entry) => entry === `inspectContainer ${a}`).length;
  runtime.simulateExit(a, 3);
  const event = await died;
  t.is(event.previous, 'running');
  t.is(event.container.status, 'exited');
  t.is(event.container.exitCode, 3);
  const status = await failed;
  t.is(status.previous, 'running');
  t.is(status.pod.message, 'container a exited with 3');
  t.is(
    runtime.callLog.filter((entry) => entry === `inspectContainer ${a}`).length - inspectsBefore,
    1,
    'one inspect for the die',
  );
  t.true(engine.activity().some((entry) => entry.source === 'docker' && /exited with 3/.test(entry.message)));
});

test('OOM: oomKilled and exit 137 reach the view and the failure message', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('oom');
  const {pod} = await engine.createPod(podSpec(name, [app('hog', 'sleep 100')]));
  const failed = nextEvent(
    engine,
    'pod:status',
    (event) => event.pod.name === name && event.pod.status === 'failed',
  );
  runtime.simulateExit(pod.containers[0]?.id ?? '', 137, {oomKilled: true});
  const {pod: view} = await failed;
  t.is(view.message, 'container hog exited with 137 (OOM killed)');
  t.true(view.containers[0]?.oomKilled);
  t.is(view.containers[0]?.exitCode, 137);
});

test('an app removed out of band fails the pod ("was removed"); the infra removed last: pod:removed', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('rm');
  const {pod} = await engine.createPod(podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')]));
  const failed = nextEvent(
    engine,
    'pod:status',
    (event) => event.pod.name === name && event.pod.status === 'failed',
  );
  runtime.simulateRemove(pod.containers[1]?.id ?? '');
  t.is((await failed).pod.message, 'container b was removed');
  const view = await engine.getPod(name);
  t.is(view.containers[1]?.status, 'missing');
  const removed = nextEvent(engine, 'pod:removed', (event) => event.name === name);
  runtime.simulateRemove(pod.containers[0]?.id ?? '');
  runtime.simulateRemove(pod.id);
  t.deepEqual(await removed, {name, id: pod.id});
  t.deepEqual(await engine.listPods(), []);
});

test('the infra removed out of band first: the pod fails and keeps its spec until its last member goes', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('rmi');
  const {pod} = await engine.createPod(podSpec(name, [app('a', 'sleep 100')]));
  const failed = nextEvent(
    engine,
    'pod:status',
    (event) => event.pod.name === name && event.pod.status === 'failed',
  );
  runtime.simulateRemove(pod.id);
  t.is((await failed).pod.message, 'infra container missing');
  t.is((await engine.getPodSpec(name)).name, name);
  t.is((await engine.getPod(name)).containers[0]?.name, 'a');
  const removed = nextEvent(engine, 'pod:removed', (event) => event.name === name);
  runtime.simulateRemove(pod.containers[0]?.id ?? '');
  await removed;
  await t.throwsAsync(engine.getPodSpec(name), {message: /no pod/});
});

test('losing the daemon: engine:connection false, then true after the back-off, and a resync', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('conn');
  const {pod} = await engine.createPod(podSpec(name, [app('a', 'sleep 100')]));
  await eventually(() => (engine.connection().connected ? true : undefined), 5000, 'connected');
  const states: EngineEvents['engine:connection'][] = [];
  engine.on('engine:connection', (state) => states.push(state));
  const lost = nextEvent(engine, 'engine:connection', (state) => !state.connected);
  runtime.simulateDaemonDown();
  t.truthy((await lost).error);
  // While the daemon is away the app exits; the resync after reconnecting must notice.
  runtime.simulateDaemonUp();
  runtime.simulateExit(pod.containers[0]?.id ?? '', 1);
  runtime.simulateDaemonDown();
  const back = nextEvent(engine, 'engine:connection', (state) => state.connected, 10_000);
  runtime.simulateDaemonUp();
  t.true((await back).connected);
  t.is((await engine.getPod(name)).status, 'failed');
  t.true(states.some((state) => !state.connected));
});

test('a second engine over its own connection lists the same pods with the same status', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('two');
  await engine.createPod(
    podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')], {restartPolicy: 'OnFailure'}),
  );
  const other = createEngine({runtime, nodeIp: '192.0.2.10'});
  t.teardown(() => other.close());
  const [mine, theirs] = [await engine.listPods(), await other.listPods()];
  t.deepEqual(
    theirs.map((pod) => [pod.name, pod.status, pod.restartPolicy, pod.specHash]),
    mine.map((pod) => [pod.name, pod.status, pod.restartPolicy, pod.specHash]),
  );
  const stopped = await other.stopPod(name);
  t.is(stopped.pod.status, 'killed');
  await eventually(
    async () => ((await engine.getPod(name)).status === 'killed' ? true : undefined),
    5000,
    'first engine sees killed',
  );
});

test('a cni pod removed out of band gets its CNI DEL from the infra labels', async (t) => {
  const dels: CniDelOptions[] = [];
  const {runtime, engine} = fakeEngine({
    cni: {
      confDir: '/etc/test-cni',
      add: () =>
        Promise.resolve({
          network: 'n1',
          ips: [{address: '10.9.0.5/24'}],
          interfaces: [],
          podIP: '10.9.0.5',
          result: {},
        }),
      del: (options) => {
        dels.push(options);
        return Promise.resolve();
      },
    },
  });
  t.teardown(() => engine.close());
  const name = podName('cnirm');
  const {pod} = await engine.createPod(
    podSpec(name, [app('a', 'sleep 100')], {network: {driver: 'cni', name: 'n1'}}),
  );
  t.is(pod.ip, '10.9.0.5');
  const removed = nextEvent(engine, 'pod:removed', (event) => event.name === name);
  runtime.simulateRemove(pod.containers[0]?.id ?? '');
  runtime.simulateRemove(pod.id);
  await removed;
  await eventually(() => (dels.length > 0 ? true : undefined), 5000, 'DEL');
  t.like(dels[0], {
    network: 'n1',
    containerId: pod.id,
    confDir: '/etc/test-cni',
    netnsPath: '/proc/0/ns/net',
  });
  t.true(engine.activity().some((entry) => /released the CNI network n1/.test(entry.message)));
});

/** A fake daemon whose inspect never shows OOMKilled, as Docker 20.10 when the OOM reaches it after the exit. */
function forgetfulRuntime(runtime: ReturnType<typeof fakeRuntime>): ContainerRuntime {
  return new Proxy(runtime, {
    get(target, property, receiver) {
      if (property === 'inspectContainer') {
        return async (id: string, options?: {signal?: AbortSignal}) => {
          const details = await target.inspectContainer(id, options);
          return {...details, state: {...details.state, oomKilled: false}};
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

test("an `oom` event counts for the run it hit, even when Docker's inspect lost the flag", async (t) => {
  const runtime = fakeRuntime();
  const engine = createEngine({runtime: forgetfulRuntime(runtime), nodeIp: '192.0.2.10'});
  t.teardown(() => engine.close());
  const never = podName('oomev');
  const {pod} = await engine.createPod(podSpec(never, [app('hog', 'sleep 100')]));
  const failed = nextEvent(
    engine,
    'pod:status',
    (event) => event.pod.name === never && event.pod.status === 'failed',
  );
  runtime.simulateExit(pod.containers[0]?.id ?? '', 137, {oomKilled: true});
  await failed;
  const view = await engine.getPod(never);
  t.true(view.containers[0]?.oomKilled);
  t.is(view.message, 'container hog exited with 137 (OOM killed)');

  const always = podName('oomre');
  const {pod: restarting} = await engine.createPod(
    podSpec(always, [app('hog', 'sleep 100')], {restartPolicy: 'Always'}),
  );
  const id = restarting.containers[0]?.id ?? '';
  runtime.simulateExit(id, 137, {oomKilled: true});
  const again = await eventually(
    async () => {
      const current = await engine.getPod(always);
      return current.containers[0]?.status === 'running' && current.containers[0].restartCount === 1
        ? current
        : undefined;
    },
    5000,
    'Docker restarted it',
  );
  t.false(again.containers[0]?.oomKilled, 'the OOM belonged to the previous run');
});
