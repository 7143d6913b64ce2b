/**
The engine's reactions (Never: stop the others; OnFailure/Always: restart after an out-of-band stop) against
starts: a start supersedes a pending reaction, a reaction never acts on a container started after the exit it
reacts to, and a reaction fires only on a member's own exit, never on the half-started pod another engine is
bringing up app by app.
*/
import test from 'ava';
import {createEngine} from '../../src/engine/create-engine.js';
import type {Engine} from '../../src/engine/engine.js';
import {privateLease, socketLease} from '../../src/engine/supervisor-lease.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';
import type {FakeRuntime} from '../support/fake-runtime.js';
import {app, eventually, fakeRuntime, nextEvent, podName, podSpec} from '../support/pod-helpers.js';

const NODE_IP = '192.0.2.10';

/** The fake with some calls made slow, as Docker's are (a stop waits for its grace period). */
function slowed(runtime: FakeRuntime, delays: Partial<Record<'stopContainer' | 'startContainer', number>>) {
  return new Proxy(runtime, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      const delay = typeof property === 'string' ? delays[property as keyof typeof delays] : undefined;
      if (delay === undefined) return bound;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        return bound(...args);
      };
    },
  }) as ContainerRuntime;
}

async function connected(engine: Engine): Promise<void> {
  await eventually(() => (engine.connection().connected ? true : undefined), 5000, 'connected');
}

/** Resolves once `engine` holds its supervisor lease. */
async function supervising(engine: Engine): Promise<void> {
  await eventually(
    () => (engine.connection().supervisor === 'supervising' ? true : undefined),
    5000,
    'supervising',
  );
}

/** The pod is running with every app running, and stays so for `ms`. */
async function staysRunning(engine: Engine, runtime: FakeRuntime, name: string, ms: number): Promise<void> {
  await eventually(
    async () => {
      const view = await engine.getPod(name);
      return view.status === 'running' && view.containers.every((c) => c.status === 'running')
        ? true
        : undefined;
    },
    5000,
    `${name} running`,
  );
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const view = await engine.getPod(name);
    const states = await Promise.all(
      view.containers.map(async (c) => (await runtime.inspectContainer(c.id)).state.status),
    );
    if (view.status !== 'running' || states.some((state) => state !== 'running')) {
      throw new Error(`${name} is ${view.status} (${view.message}); apps ${states.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function neverPod(engine: Engine) {
  const name = podName('race');
  const {pod} = await engine.createPod(
    podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100'), app('c', 'sleep 100')]),
  );
  const [a = '', b = '', c = ''] = pod.containers.map((container) => container.id);
  return {name, a, b, c};
}

test('Never: startPod right after an out-of-band kill wins over the reaction it supersedes', async (t) => {
  const runtime = fakeRuntime();
  const engine = createEngine({runtime: slowed(runtime, {stopContainer: 300}), nodeIp: NODE_IP});
  t.teardown(() => engine.close());
  await connected(engine);
  const {name, b} = await neverPod(engine);
  await runtime.killContainer(b, 'SIGKILL');
  await engine.startPod(name);
  await t.notThrowsAsync(staysRunning(engine, runtime, name, 2000));
});

test('Never: startPod after the reaction began (die seen, stops under way) still ends running', async (t) => {
  const runtime = fakeRuntime();
  const engine = createEngine({runtime: slowed(runtime, {stopContainer: 300}), nodeIp: NODE_IP});
  t.teardown(() => engine.close());
  await connected(engine);
  const {name, b} = await neverPod(engine);
  const died = nextEvent(engine, 'container:status', (e) => e.container.id === b && e.action === 'die');
  await runtime.killContainer(b, 'SIGKILL');
  await died;
  // Let the reaction start its first (slow) stop.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await engine.startPod(name);
  await t.notThrowsAsync(staysRunning(engine, runtime, name, 2000));
});

test('Never: an observing engine starts the pod right after a kill; the supervisor is held off and the start wins', async (t) => {
  const runtime = fakeRuntime();
  // The supervisor's stops are slow: its reaction is under way when the other engine starts the pod.
  const supervisor = createEngine({runtime: slowed(runtime, {stopContainer: 300}), nodeIp: NODE_IP});
  await supervising(supervisor);
  const observer = createEngine({runtime, nodeIp: NODE_IP});
  t.teardown(() => Promise.all([observer.close(), supervisor.close()]).then(() => undefined));
  await Promise.all([connected(supervisor), connected(observer)]);
  t.is(observer.connection().supervisor, 'observing');
  const {name, b} = await neverPod(observer);
  const reacting = nextEvent(
    supervisor,
    'engine:activity',
    (entry) => entry.pod === name && /restart policy Never/.test(entry.message),
  );
  await runtime.killContainer(b, 'SIGKILL');
  await reacting;
  await observer.startPod(name);
  await t.notThrowsAsync(staysRunning(observer, runtime, name, 2000));
});

test("another engine's slow start of a stopped Never pod is not undone by a supervising engine", async (t) => {
  const runtime = fakeRuntime();
  // Both supervise (leases of their own): the transition rule alone must keep B's hands off A's start.
  const b = createEngine({runtime, nodeIp: NODE_IP, supervisorLease: privateLease()});
  const a = createEngine({
    runtime: slowed(runtime, {startContainer: 300}),
    nodeIp: NODE_IP,
    supervisorLease: privateLease(),
  });
  t.teardown(() => Promise.all([a.close(), b.close()]).then(() => undefined));
  await Promise.all([connected(a), connected(b)]);
  const name = podName('half');
  await b.createPod(podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')]));
  t.is((await b.stopPod(name)).pod.status, 'killed');
  await a.startPod(name);
  await t.notThrowsAsync(staysRunning(b, runtime, name, 1500));
  t.false(
    b.activity().some((entry) => entry.pod === name && /restart policy Never/.test(entry.message)),
    'B stopped nothing',
  );
});

test('Never: a failure during the engine’s own start still stops the apps it started', async (t) => {
  const runtime = fakeRuntime();
  const engine = createEngine({runtime: slowed(runtime, {startContainer: 200}), nodeIp: NODE_IP});
  t.teardown(() => engine.close());
  await connected(engine);
  const name = podName('early');
  const failed = nextEvent(engine, 'pod:status', (e) => e.pod.name === name && e.pod.status === 'failed');
  // `a` exits while `b` is still being started: the pod fails, and b (started by the same create) is stopped.
  await engine.createPod(podSpec(name, [app('a', 'exit 3'), app('b', 'sleep 100')]));
  await failed;
  const view = await eventually(
    async () => {
      const current = await engine.getPod(name);
      return current.containers[1]?.status === 'exited' ? current : undefined;
    },
    5000,
    'b stopped',
  );
  t.is(view.message, 'container a exited with 3');
});

test('Always: an engine that takes the lease after a holder went away restarts an exit it never saw', async (t) => {
  const runtime = fakeRuntime();
  const lease = `bcs-executor-supervisor-unit-${podName('lease')}`;
  const holder = createEngine({runtime, nodeIp: NODE_IP, supervisorLease: socketLease(lease)});
  t.teardown(() => holder.close());
  await supervising(holder);
  const name = podName('unseen');
  const {pod} = await holder.createPod(podSpec(name, [app('a', 'sleep 100')], {restartPolicy: 'Always'}));
  const a = pod.containers[0]?.id ?? '';
  const died = nextEvent(
    holder,
    'container:status',
    (event) => event.container.id === a && event.action === 'die',
  );
  await runtime.killContainer(a, 'SIGKILL');
  await died;
  // The holder goes before its back-off (1 s) is over; the next holder starts after the exit, later than the
  // second its event stream replays (`since`), so it never sees the exit happen.
  await holder.close();
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const next = createEngine({runtime, nodeIp: NODE_IP, supervisorLease: socketLease(lease)});
  t.teardown(() => next.close());
  await eventually(
    async () => ((await runtime.inspectContainer(a)).state.status === 'running' ? true : undefined),
    5000,
    'a restarted',
  );
  t.true(next.activity().some((entry) => entry.message === `restarted ${name}/a after exit 137`));
});

test('Never: a takeover does not act on an exit it never saw (only restarts come of those)', async (t) => {
  const runtime = fakeRuntime();
  const lease = `bcs-executor-supervisor-unit-${podName('lease')}`;
  const maker = createEngine({runtime, nodeIp: NODE_IP, supervisorLease: privateLease()});
  const {name, b} = await neverPod(maker);
  await maker.close();
  await runtime.killContainer(b, 'SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const next = createEngine({runtime, nodeIp: NODE_IP, supervisorLease: socketLease(lease)});
  t.teardown(() => next.close());
  await supervising(next);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const pod = await next.getPod(name);
  t.is(pod.containers.find((container) => container.name === 'a')?.status, 'running', 'a left running');
  t.false(next.activity().some((entry) => entry.pod === name && /restart policy Never/.test(entry.message)));
});
