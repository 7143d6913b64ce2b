/**
The crash rule: a pod left half-created by a process that died is rolled back when the next engine starts or
reconciles; one whose creator is still alive is left alone (unless it is older than 10 minutes); complete
pods and pods created without starting are never touched.
*/
import test from 'ava';
import {createEngine} from '../../src/engine/create-engine.js';
import {halfCreatedDecision, incompleteReason} from '../../src/engine/half-created.js';
import {ManualClock} from '../../src/health/manual-clock.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';
import type {FakeRuntime} from '../support/fake-runtime.js';
import {app, eventually, fakeEngine, fakeRuntime, podName, podSpec} from '../support/pod-helpers.js';

/**
Runs a create that freezes (as a process killed at that moment would) at the `startAt`-th start call, and
returns once the containers made until then exist. The frozen engine is closed; its create never answers.
*/
async function frozenCreate(runtime: FakeRuntime, name: string, startAt: number): Promise<void> {
  let starts = 0;
  const frozen = new Proxy(runtime, {
    get(target, property, receiver) {
      if (property === 'startContainer') {
        return (id: string, options?: {signal?: AbortSignal}) =>
          ++starts === startAt ? new Promise(() => undefined) : target.startContainer(id, options);
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as ContainerRuntime;
  const engine = createEngine({runtime: frozen, nodeIp: '192.0.2.10'});
  void engine.createPod(podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')]));
  await eventually(() => (starts >= startAt ? true : undefined), 5000, 'the create reached the frozen start');
  await engine.close();
}

test('a pod whose creator is gone is rolled back when the next engine starts', async (t) => {
  const runtime = fakeRuntime();
  const name = podName('crash');
  await frozenCreate(runtime, name, 3);
  t.is(runtime.containerIds().length, 3, 'infra, a (started) and b (created, never started)');
  const {engine} = fakeEngine({runtime, isCreatorAlive: () => false});
  t.teardown(() => engine.close());
  await eventually(() => (runtime.containerIds().length === 0 ? true : undefined), 5000, 'rolled back');
  t.deepEqual(await engine.listPods(), []);
  t.true(
    engine
      .activity()
      .some((entry) => /rolling back half-created pod/.test(entry.message) && /is gone/.test(entry.message)),
  );
});

test('a half-created pod whose creator is alive is left alone, until it is older than 10 minutes', async (t) => {
  const runtime = fakeRuntime();
  const name = podName('busy');
  await frozenCreate(runtime, name, 2);
  const clock = new ManualClock(Date.now());
  const {engine} = fakeEngine({runtime, clock, isCreatorAlive: () => true, reconcileIntervalMs: 30_000});
  t.teardown(() => engine.close());
  await engine.reconcile();
  t.is(runtime.containerIds().length, 3, 'left for its creator to finish');
  t.is((await engine.getPod(name)).status, 'starting');
  await clock.advance(11 * 60 * 1000);
  await eventually(
    () => (runtime.containerIds().length === 0 ? true : undefined),
    5000,
    'rolled back by age',
  );
});

test('complete pods, and pods created without starting, are not half-created', async (t) => {
  const {runtime, engine} = fakeEngine({isCreatorAlive: () => false});
  t.teardown(() => engine.close());
  const done = podName('done');
  const idle = podName('idle');
  await engine.createPod(podSpec(done, [app('a', 'sleep 100')]));
  const created = await engine.createPod(podSpec(idle, [app('a', 'sleep 100')]), {start: false});
  t.is(created.pod.status, 'starting');
  t.is(created.pod.containers[0]?.status, 'created');
  await engine.reconcile();
  t.is(runtime.containerIds().length, 4);
  const other = createEngine({runtime, nodeIp: '192.0.2.10', isCreatorAlive: () => false});
  t.teardown(() => other.close());
  await other.reconcile();
  t.is(runtime.containerIds().length, 4);
  t.is((await other.startPod(idle)).pod.status, 'running');
});

test('the rule as a function: what counts as incomplete', (t) => {
  const labels = {
    'dev.bcs-executor.managed': '1',
    'dev.bcs-executor.pod': 'p',
    'dev.bcs-executor.role': 'infra',
    'dev.bcs-executor.containers': '2',
    'dev.bcs-executor.creator': 'elsewhere:1:1',
    'dev.bcs-executor.created-at': '1000',
  };
  const state = (startedAt: string) => ({status: 'running', startedAt}) as never;
  const infra = {id: 'i', name: 'p-infra', labels, state: state('2026-01-01T00:00:00Z')} as never;
  const app1 = {id: 'a', name: 'p-a', labels: {}, state: state('2026-01-01T00:00:00Z')} as never;
  const idle = {id: 'b', name: 'p-b', labels: {}, state: state('0001-01-01T00:00:00Z')} as never;
  t.is(incompleteReason({name: 'p', infra, apps: [app1], spec: undefined}), '1 of 2 app containers exist');
  t.is(
    incompleteReason({name: 'p', infra, apps: [app1, idle], spec: undefined}),
    'container p-b never started',
  );
  t.is(incompleteReason({name: 'p', infra, apps: [app1, app1], spec: undefined}), undefined);
  // Another host: only age decides.
  const young = halfCreatedDecision({name: 'p', infra, apps: [app1], spec: undefined}, 1000 + 60_000);
  t.false(young.rollback);
  const old = halfCreatedDecision({name: 'p', infra, apps: [app1], spec: undefined}, 1000 + 11 * 60_000);
  t.true(old.rollback);
  t.regex(old.reason, /older than 10 minutes/);
});

test('an engine started with reconcileOnStart false (a headless command) rolls nothing back when it starts', async (t) => {
  const runtime = fakeRuntime();
  const name = podName('quiet');
  await frozenCreate(runtime, name, 3);
  const {engine} = fakeEngine({runtime, isCreatorAlive: () => false, reconcileOnStart: false});
  t.teardown(() => engine.close());
  await eventually(
    () => (engine.connection().supervisor === 'supervising' ? true : undefined),
    5000,
    'supervising',
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.is(runtime.containerIds().length, 3, 'left alone at start');
  await engine.reconcile();
  t.is(runtime.containerIds().length, 0, 'the reconcile applies the rule');
});
