/**
One supervisor per endpoint: engines contend for a lease (an abstract unix socket named after the endpoint);
the holder reacts, the others observe (views, events, their own health probes) and take over within a few
seconds when it goes, catching up on the exits they saw meanwhile.
*/
import {mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {connect} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {createEngine} from '../../src/engine/create-engine.js';
import type {Engine} from '../../src/engine/engine.js';
import {Supervision} from '../../src/engine/supervision.js';
import {leaseNameFor, socketLease} from '../../src/engine/supervisor-lease.js';
import {systemClock} from '../../src/health/clock.js';
import {ManualClock} from '../../src/health/manual-clock.js';
import {app, eventually, fakeRuntime, nextEvent, podName, podSpec} from '../support/pod-helpers.js';
import {runId} from '../support/run-id.js';

const NODE_IP = '192.0.2.10';

function supervisorOf(engine: Engine): string | undefined {
  return engine.connection().supervisor;
}

function restartedBy(engine: Engine, pod: string): number {
  return engine.activity().filter((entry) => entry.message === `restarted ${pod}/a after exit 137`).length;
}

test('a socket lease is held by one at a time, and free again once released', async (t) => {
  const name = `bcs-executor-supervisor-unit-${runId}`;
  const first = socketLease(name);
  const second = socketLease(name);
  t.true(await first.acquire());
  t.true(await first.acquire(), 'held already');
  t.false(await second.acquire());
  await first.release();
  t.true(await second.acquire());
  t.false(await first.acquire());
  await second.release();
});

test('over the lease, an engine holds the supervisor off a pod until it releases, or goes', async (t) => {
  const name = `bcs-executor-supervisor-hold-${runId}`;
  const calls: string[] = [];
  const answers: (() => void)[] = [];
  const holder = socketLease(name);
  t.true(
    await holder.acquire({
      suspend: async (pod) => {
        calls.push(`suspend ${pod}`);
        // The reaction under way takes a moment to stop.
        await new Promise<void>((resolve) => answers.push(resolve));
        return () => calls.push(`release ${pod}`);
      },
    }),
  );
  t.teardown(() => holder.release());
  let held = false;
  const request = socketLease(name)
    .suspend('web')
    .then((release) => {
      held = true;
      return release;
    });
  await eventually(() => (answers.length === 1 ? true : undefined), 5000, 'the holder asked');
  t.false(held, 'not before the holder answered');
  answers[0]?.();
  const release = await request;
  t.deepEqual(calls, ['suspend web']);
  release();
  await eventually(() => (calls.includes('release web') ? true : undefined), 5000, 'released');

  // A starter that dies: its connection closes, and with it the suspension.
  const socket = connect({path: `\0${name}`});
  t.teardown(() => socket.destroy());
  socket.setEncoding('utf8');
  let received = '';
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  socket.write(`${JSON.stringify({suspend: 'db'})}\n`);
  await eventually(() => (answers.length === 2 ? true : undefined), 5000, 'the holder asked again');
  answers[1]?.();
  await eventually(() => (received.includes('"suspended":"db"') ? true : undefined), 5000, 'suspended');
  t.false(calls.includes('release db'));
  socket.destroy();
  await eventually(() => (calls.includes('release db') ? true : undefined), 5000, 'released on close');
});

test('giving the lease up ends the suspensions it granted at once', async (t) => {
  const name = `bcs-executor-supervisor-end-${runId}`;
  const calls: string[] = [];
  const holder = socketLease(name);
  t.true(
    await holder.acquire({
      suspend: (pod) => {
        calls.push(`suspend ${pod}`);
        return Promise.resolve(() => calls.push(`release ${pod}`));
      },
    }),
  );
  // A start under way: its request stays open.
  const release = await socketLease(name).suspend('web');
  t.teardown(release);
  const started = Date.now();
  await holder.release();
  t.true(Date.now() - started < 1000, 'not waiting for the starter');
  await eventually(() => (calls.includes('release web') ? true : undefined), 5000, 'released');
});

test('a start outlives a change of holder: when the holder goes, the next one is asked in turn', async (t) => {
  const name = `bcs-executor-supervisor-handover-${runId}`;
  const calls: string[] = [];
  const holderNamed = (who: string) => ({
    suspend: (pod: string) => {
      calls.push(`${who} suspend ${pod}`);
      return Promise.resolve(() => calls.push(`${who} release ${pod}`));
    },
  });
  const first = socketLease(name);
  t.true(await first.acquire(holderNamed('first')));
  // The starter observes (never started: it does not contend for the lease itself).
  const starter = new Supervision({lease: socketLease(name), clock: systemClock, onChange: () => undefined});
  const release = await starter.suspendElsewhere('web');
  t.deepEqual(calls, ['first suspend web']);

  // The holder goes; another engine takes the lease a moment later.
  await first.release();
  await eventually(() => (calls.includes('first release web') ? true : undefined), 5000, 'first released');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const second = socketLease(name);
  t.teardown(() => second.release());
  t.true(await second.acquire(holderNamed('second')));
  await eventually(() => (calls.includes('second suspend web') ? true : undefined), 5000, 'second asked');

  release();
  await eventually(() => (calls.includes('second release web') ? true : undefined), 5000, 'second released');
  t.deepEqual(calls, ['first suspend web', 'first release web', 'second suspend web', 'second release web']);
});

test('a request that cannot be answered goes ahead: nobody holds the lease, or the caller gave up', async (t) => {
  const lease = socketLease(`bcs-executor-supervisor-none-${runId}`);
  const started = Date.now();
  (await lease.suspend('web'))();
  const controller = new AbortController();
  controller.abort();
  (await lease.suspend('web', controller.signal))();
  t.true(Date.now() - started < 1000);
});

test('an engine made with supervise: false never takes a free lease, and still asks the holder to hold off', async (t) => {
  const name = `bcs-executor-supervisor-observer-${runId}`;
  const runtime = fakeRuntime();
  const observer = createEngine({
    runtime,
    nodeIp: NODE_IP,
    supervisorLease: socketLease(name),
    supervise: false,
  });
  t.teardown(() => observer.close());
  await eventually(() => (observer.connection().connected ? true : undefined), 5000, 'connected');
  await new Promise((resolve) => setTimeout(resolve, 600));
  t.is(supervisorOf(observer), 'observing', 'nobody holds the lease, and it did not take it');
  const asked: string[] = [];
  const holder = socketLease(name);
  t.teardown(() => holder.release());
  t.true(
    await holder.acquire({
      suspend: (pod) => {
        asked.push(pod);
        return Promise.resolve(() => undefined);
      },
    }),
    'the lease was free for another engine',
  );
  const pod = podName('obs');
  await observer.createPod(podSpec(pod, [app('a', 'sleep 100')]), {start: false});
  await observer.startPod(pod);
  t.true(asked.includes(pod), 'its start asked the holder');
});

test('the lease name is one per daemon, however its socket path is written', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bcs-lease-'));
  t.teardown(() => rmSync(dir, {recursive: true, force: true}));
  writeFileSync(join(dir, 'docker.sock'), '');
  symlinkSync(dir, join(dir, 'alias'));
  // As /var/run is /run: two spellings of one socket.
  t.is(leaseNameFor(`unix://${dir}/alias/docker.sock`), leaseNameFor(`unix://${dir}/docker.sock`));
  t.not(leaseNameFor(`unix://${dir}/docker.sock`), leaseNameFor(`unix://${dir}/podman.sock`));
  t.regex(leaseNameFor('tcp://127.0.0.1:2375'), /^bcs-executor-supervisor-[0-9a-f]{16}$/);
});

test('two engines on one daemon: the first supervises and restarts, the second observes, then takes over', async (t) => {
  const runtime = fakeRuntime();
  const first = createEngine({runtime, nodeIp: NODE_IP});
  await eventually(() => (supervisorOf(first) === 'supervising' ? true : undefined), 5000, 'first holds');
  const second = createEngine({runtime, nodeIp: NODE_IP});
  let firstClosed = false;
  t.teardown(async () => {
    if (!firstClosed) await first.close();
    await second.close();
  });
  await eventually(() => (second.connection().connected ? true : undefined), 5000, 'second connected');
  t.is(supervisorOf(second), 'observing');

  const name = podName('lease');
  const {pod} = await first.createPod(
    podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')], {restartPolicy: 'Always'}),
  );
  const a = pod.containers[0]?.id ?? '';
  const back = () =>
    nextEvent(second, 'container:status', (e) => e.container.id === a && e.container.status === 'running');
  let running = back();
  await runtime.killContainer(a, 'SIGKILL');
  await running;
  t.is(restartedBy(first, name), 1);
  t.is(restartedBy(second, name), 0, 'the observer saw it, and left it to the supervisor');
  const starts = runtime.callLog.filter((entry) => entry === `startContainer ${a}`).length;
  t.is(starts, 2, 'the create, and one restart');

  const takeover = nextEvent(second, 'engine:connection', (state) => state.supervisor === 'supervising');
  await first.close();
  firstClosed = true;
  await takeover;
  t.true(second.activity().some((entry) => /^supervising the pods of /.test(entry.message)));
  running = back();
  await runtime.killContainer(a, 'SIGKILL');
  await running;
  t.is(restartedBy(second, name), 1, 'the new supervisor restarts it');
});

test('an exit seen while observing is reacted to when the engine takes over', async (t) => {
  const runtime = fakeRuntime();
  const first = createEngine({runtime, nodeIp: NODE_IP});
  await eventually(() => (supervisorOf(first) === 'supervising' ? true : undefined), 5000, 'first holds');
  const clock = new ManualClock(Date.now());
  const second = createEngine({runtime, nodeIp: NODE_IP, clock});
  t.teardown(() => second.close());
  await eventually(() => (second.connection().connected ? true : undefined), 5000, 'second connected');
  const name = podName('gap');
  const {pod} = await second.createPod(
    podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100'), app('c', 'sleep 100')]),
  );
  // The supervisor goes; before the observer's next try at the lease, an app exits (restart policy Never).
  await first.close();
  const b = pod.containers[1]?.id ?? '';
  const died = nextEvent(second, 'container:status', (e) => e.container.id === b && e.action === 'die');
  await runtime.killContainer(b, 'SIGKILL');
  await died;
  t.is((await runtime.inspectContainer(pod.containers[0]?.id ?? '')).state.status, 'running', 'nobody acted');
  const takeover = nextEvent(second, 'engine:connection', (state) => state.supervisor === 'supervising');
  await clock.advance(2000);
  await takeover;
  await eventually(
    async () => {
      const states = await Promise.all(
        [0, 2].map(
          async (index) => (await runtime.inspectContainer(pod.containers[index]?.id ?? '')).state.status,
        ),
      );
      return states.every((state) => state === 'exited') ? true : undefined;
    },
    5000,
    'a and c stopped by the new supervisor',
  );
  t.true(second.activity().some((entry) => /restart policy Never/.test(entry.message)));
});

test('an observer probes health but does not act on the threshold', async (t) => {
  const runtime = fakeRuntime();
  const first = createEngine({runtime, nodeIp: NODE_IP});
  t.teardown(() => first.close());
  await eventually(() => (supervisorOf(first) === 'supervising' ? true : undefined), 5000, 'first holds');
  const observer = createEngine({runtime, nodeIp: NODE_IP});
  t.teardown(() => observer.close());
  await eventually(() => (observer.connection().connected ? true : undefined), 5000, 'observer connected');
  let healthy = true;
  runtime.onExec((cmd) => (cmd[0] === 'check-me' ? {exitCode: healthy ? 0 : 1} : undefined));
  const name = podName('obshc');
  const check = {
    type: 'command' as const,
    command: ['check-me'],
    intervalSeconds: 0.2,
    timeoutSeconds: 0.1,
    gracePeriodSeconds: 0,
    consecutiveFailures: 2,
    action: 'restart' as const,
  };
  const {pod} = await observer.createPod(podSpec(name, [app('web', 'sleep 100', {healthCheck: check})]));
  const id = pod.containers[0]?.id ?? '';
  const unhealthy = nextEvent(
    observer,
    'container:health',
    (e) => e.container.id === id && e.container.healthy === false,
  );
  healthy = false;
  await unhealthy;
  await eventually(
    () => (runtime.callLog.includes(`restartContainer ${id}`) ? true : undefined),
    5000,
    'the supervisor restarted it',
  );
  t.false(
    observer.activity().some((entry) => /health check failed/.test(entry.message)),
    'not the observer',
  );
  t.true(first.activity().some((entry) => /health check failed 2 times/.test(entry.message)));
});
