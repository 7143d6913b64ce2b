/**
Reads from memory: while the event stream is connected (and its first sync is done) listPods, getPod,
listContainers and getContainer are answered from the engine's cache with no call to Docker; the stream keeps
them current. Before the first sync and while disconnected they go to Docker.
*/
import test from 'ava';
import {createEngine} from '../../src/engine/create-engine.js';
import {isEngineError} from '../../src/errors.js';
import {
  app,
  eventually,
  fakeEngine,
  fakeRuntime,
  nextEvent,
  podName,
  podSpec,
} from '../support/pod-helpers.js';

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

test('while connected, listPods and getPod of 100 pods ask Docker nothing', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const names: string[] = [];
  for (let index = 0; index < 100; index++) {
    const name = podName('mem');
    names.push(name);
    await engine.createPod(podSpec(name, [app('a', 'sleep 100')]));
  }
  await eventually(() => (engine.connection().connected ? true : undefined), 5000, 'connected');
  runtime.callLog.length = 0;
  // Warmed up first: the figure is the steady state a face polling the list sees.
  for (let round = 0; round < 50; round++) await engine.listPods();
  const timings: number[] = [];
  for (let round = 0; round < 500; round++) {
    const started = performance.now();
    const pods = await engine.listPods();
    timings.push(performance.now() - started);
    t.is(pods.length, 100);
  }
  const first = await engine.getPod(names[0] ?? '');
  t.is((await engine.getPod(first.id.slice(0, 12))).name, first.name, 'by id prefix too');
  t.is((await engine.listContainers()).length, 200);
  t.is((await engine.getContainer(`${first.name}/a`)).status, 'running');
  t.deepEqual(runtime.callLog, [], 'no Docker call');
  timings.sort((a, b) => a - b);
  const p50 = quantile(timings, 0.5);
  const p99 = quantile(timings, 0.99);
  t.log(`listPods, 100 pods: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
  // The target is well under 5 ms; the bound leaves room for a loaded machine.
  t.true(p99 < 25, `p99 ${p99.toFixed(2)} ms`);
});

test('an out-of-band exit reaches the views through its event: one inspect, no list', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('memev');
  const {pod} = await engine.createPod(podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')]));
  await eventually(() => (engine.connection().connected ? true : undefined), 5000, 'connected');
  runtime.callLog.length = 0;
  const a = pod.containers[0]?.id ?? '';
  const died = nextEvent(engine, 'container:status', (e) => e.container.id === a && e.action === 'die');
  runtime.simulateExit(a, 4);
  await died;
  const view = await engine.getPod(name);
  t.is(view.containers[0]?.exitCode, 4);
  t.false(
    runtime.callLog.some((entry) => entry.startsWith('listContainers')),
    'no list on the read path',
  );
  t.true(runtime.callLog.includes(`inspectContainer ${a}`), 'the event paid one inspect');
});

test('before the first sync, and while disconnected, reads go to Docker', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const name = podName('memoff');
  // Created before any engine watches: only a list can find it.
  const {engine: creator} = fakeEngine({runtime});
  await creator.createPod(podSpec(name, [app('a', 'sleep 100')]));
  await creator.close();
  runtime.callLog.length = 0;
  const fresh = fakeEngine({runtime}).engine;
  t.teardown(() => fresh.close());
  t.true((await fresh.listPods()).some((pod) => pod.name === name));
  t.true(runtime.callLog.includes('listContainers'), 'the first read listed');

  await eventually(() => (engine.connection().connected ? true : undefined), 5000, 'connected');
  const lost = nextEvent(engine, 'engine:connection', (state) => !state.connected);
  runtime.simulateDaemonDown();
  await lost;
  runtime.callLog.length = 0;
  const error = await t.throwsAsync(engine.listPods());
  t.true(isEngineError(error) && error.code === 'ENGINE_UNAVAILABLE', String(error));
  t.true(runtime.callLog.includes('listContainers'), 'disconnected: the read asked Docker');
  runtime.simulateDaemonUp();
});

test('an operation lists Docker after it was asked: it never takes the answer of a list begun before', async (t) => {
  const runtime = fakeRuntime();
  const {engine: first} = fakeEngine({runtime});
  t.teardown(() => first.close());
  const name = podName('stale');
  await first.createPod(podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')]));
  // A second engine whose inspects answer late: its first sync, made while the pod runs, is still on its way
  // when the pod is stopped and this engine is asked to start it.
  const lateLists = new Proxy(runtime, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (property !== 'inspectContainer') return bound;
      return async (...args: unknown[]) => {
        const answer: unknown = await bound(...args);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return answer;
      };
    },
  });
  const second = createEngine({runtime: lateLists, nodeIp: '192.0.2.10'});
  t.teardown(() => second.close());
  const early = second.listPods();
  t.is((await first.stopPod(name)).pod.status, 'killed');
  const started = await second.startPod(name);
  t.true(started.changed);
  t.is(started.pod.status, 'running');
  await early;
});

test('a miss in memory is checked with Docker once: a pod another engine made before its events came', async (t) => {
  const runtime = fakeRuntime();
  // An engine whose event stream stays silent after connecting: it learns nothing by itself.
  const deaf = new Proxy(runtime, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property !== 'events') return (value as (...args: unknown[]) => unknown).bind(target);
      return async function* silent(options: {readonly signal: AbortSignal}) {
        await new Promise((resolve) => options.signal.addEventListener('abort', resolve, {once: true}));
        yield* [];
      };
    },
  });
  const reader = createEngine({runtime: deaf, nodeIp: '192.0.2.10'});
  t.teardown(() => reader.close());
  await eventually(() => (reader.connection().connected ? true : undefined), 5000, 'connected');
  const {engine: maker} = fakeEngine({runtime});
  t.teardown(() => maker.close());
  const name = podName('miss');
  await maker.createPod(podSpec(name, [app('a', 'sleep 100')]));
  t.false(
    (await reader.listPods()).some((pod) => pod.name === name),
    'a list is what the events said',
  );
  runtime.callLog.length = 0;
  t.is((await reader.getPod(name)).status, 'running', 'a miss asks Docker');
  t.true(runtime.callLog.includes('listContainers'));
  t.is((await reader.getContainer(`${name}/a`)).status, 'running');
  const error = await t.throwsAsync(reader.getPod('no-such-pod'));
  t.true(isEngineError(error) && error.code === 'NOT_FOUND');
});
