/**
The engine's reactions on the real dockerd: a startPod right after a member was killed out of band wins over
the "stop the others" it supersedes, whichever engine on the host supervises; an engine starting a stopped pod
app by app is not undone by a supervising engine; and of two engines on one lease only the holder acts, the
other taking over when it exits.

Serial: the second test's engines supervise on leases of their own (they act on every pod of the host, and
nothing holds them off); they must not overlap the others.
*/
import test from 'ava';
import {createEngine} from '../../src/engine/create-engine.js';
import type {Engine} from '../../src/engine/engine.js';
import {privateLease, socketLease} from '../../src/engine/supervisor-lease.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';
import {realRuntime} from '../support/docker.js';
import {
  app,
  cleanUpRealEngines,
  eventually,
  nextEvent,
  podName,
  podSpec,
  realEngine,
} from '../support/pod-helpers.js';
import {runId} from '../support/run-id.js';

test.after.always(cleanUpRealEngines);

/** PID 1 of these ignores SIGTERM, so a stop takes its whole grace period (1 s): reactions take time. */
const SLEEPER = 'sleep 3600';

/** Docker's word, not the engine's (straight from the runtime, as `docker inspect` would tell). */
async function dockerStatus(id: string): Promise<string> {
  return (await (await realRuntime()).inspectContainer(id)).state.status;
}

/** `docker kill`, behind the engines' backs. */
async function killOutOfBand(id: string): Promise<void> {
  await (await realRuntime()).killContainer(id, 'SIGKILL');
}

/** Running, every app running (in the view and in Docker), for `ms` on end. */
async function staysRunning(engine: Engine, name: string, ms: number): Promise<void> {
  // Polled, not waitPod: an engine watching another's start may show `failed` for a moment (one app up, the
  // next one's start event not in yet), which waitPod takes as final.
  await eventually(
    async () => ((await engine.getPod(name)).status === 'running' ? true : undefined),
    20_000,
    `${name} running`,
  );
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const view = await engine.getPod(name);
    const states = await Promise.all(view.containers.map((c) => dockerStatus(c.id)));
    if (view.status !== 'running' || states.some((state) => state !== 'running'))
      throw new Error(`${name} is ${view.status} (${view.message}); apps ${states.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The runtime with every container start delayed: an engine bringing a pod up app by app, slowly. */
function slowStarts(runtime: ContainerRuntime, ms: number): ContainerRuntime {
  return new Proxy(runtime, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (property !== 'startContainer') return bound;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return bound(...args);
      };
    },
  });
}

test.serial(
  'Never: docker kill of a member, then startPod at once: the pod runs and stays running',
  async (t) => {
    // The endpoint's lease, as in production: whoever supervises (maybe another process), the start holds it off.
    const engine = await realEngine();
    const name = podName('rekill');
    const {pod} = await engine.createPod(
      podSpec(name, [app('a', SLEEPER), app('b', SLEEPER), app('c', SLEEPER)]),
      {wait: 'running', timeoutMs: 30_000},
    );
    const b = pod.containers[1]?.id ?? '';
    const died = nextEvent(
      engine,
      'container:status',
      (e) => e.container.id === b && e.action === 'die',
      20_000,
    );
    await killOutOfBand(b);
    await engine.startPod(name);
    await died;
    await t.notThrowsAsync(staysRunning(engine, name, 4000));
  },
);

test.serial(
  "a supervising engine does not undo another engine's app-by-app start of a stopped Never pod",
  async (t) => {
    const runtime = await realRuntime();
    // Both supervise, and the starter does not hold the watcher off: only the transition rule keeps it still.
    const watcher = await realEngine({supervisorLease: privateLease()});
    const starter = await realEngine({runtime: slowStarts(runtime, 1500), supervisorLease: privateLease()});
    t.teardown(() => Promise.all([watcher.close(), starter.close()]).then(() => undefined));
    await eventually(() => (watcher.connection().connected ? true : undefined), 20_000, 'connected');
    const name = podName('halfup');
    await watcher.createPod(podSpec(name, [app('a', SLEEPER), app('b', SLEEPER)]), {
      wait: 'running',
      timeoutMs: 30_000,
    });
    t.is((await watcher.stopPod(name)).pod.status, 'killed');
    await starter.startPod(name);
    try {
      await staysRunning(watcher, name, 3000);
    } catch (error) {
      for (const engine of [watcher, starter]) {
        t.log(
          engine
            .activity()
            .filter((entry) => entry.pod === name)
            .map((entry) => `${entry.at} ${entry.message}`),
        );
      }
      throw error;
    }
    t.false(
      watcher.activity().some((entry) => entry.pod === name && /restart policy Never/.test(entry.message)),
    );
  },
);

test.serial(
  'two engines on one lease: the observer does not restart, and takes over when the holder exits',
  async (t) => {
    const runtime = await realRuntime();
    const leaseName = `bcs-executor-supervisor-test-${runId}`;
    const first = createEngine({runtime, supervisorLease: socketLease(leaseName)});
    const second = await realEngine({runtime, supervisorLease: socketLease(leaseName)});
    let firstClosed = false;
    t.teardown(async () => {
      if (!firstClosed) await first.close();
    });
    await eventually(
      () =>
        first.connection().supervisor === 'supervising' && second.connection().connected ? true : undefined,
      20_000,
      'first supervising',
    );
    t.is(second.connection().supervisor, 'observing');
    const name = podName('lease');
    const {pod} = await first.createPod(
      podSpec(name, [app('a', SLEEPER), app('b', SLEEPER)], {restartPolicy: 'Always'}),
      {wait: 'running', timeoutMs: 30_000},
    );
    const a = pod.containers[0]?.id ?? '';
    const restarted = (engine: Engine) =>
      engine.activity().some((entry) => entry.message === `restarted ${name}/a after exit 137`);
    const back = nextEvent(
      second,
      'container:status',
      (e) => e.container.id === a && e.container.status === 'running' && e.previous === 'exited',
      20_000,
    );
    await killOutOfBand(a);
    await back;
    // The holder, or the supervisor of the endpoint's own lease (this test's lease is one of its own).
    t.log(`restarted by the holder: ${restarted(first)}`);
    t.false(restarted(second), 'the observer did not');

    const takeover = nextEvent(
      second,
      'engine:connection',
      (state) => state.supervisor === 'supervising',
      20_000,
    );
    await first.close();
    firstClosed = true;
    await takeover;
    const againBack = nextEvent(
      second,
      'container:status',
      (e) => e.container.id === a && e.container.status === 'running' && e.previous === 'exited',
      20_000,
    );
    await killOutOfBand(a);
    await againBack;
    t.log(`restarted by the new holder: ${restarted(second)}`);
    t.is(second.connection().supervisor, 'supervising');
  },
);
