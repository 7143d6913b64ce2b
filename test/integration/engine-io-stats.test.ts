import test, {type ExecutionContext} from 'ava';
import type {StatsView} from '../../src/engine/engine.js';
import {followStats} from '../../src/engine/io/follow-stats.js';
import {containerStats, podStats} from '../../src/engine/io/stats.js';
import {cleanup, plainDeps, startContainer, subject} from './engine-io-support.js';

test.after.always(cleanup);

// Two spinning shells: a busy container uses up to two CPUs. The tests run one at a time and stop their busy
// containers, so on a loaded two-core host they do not compete with each other for the CPU they measure.
const SPIN = ['sh', '-c', 'while :; do :; done & while :; do :; done'];

/** Stops a container at the end of the test (the run's cleanup removes it). */
function stopAfter(t: ExecutionContext, id: string): void {
  t.teardown(async () => {
    const {runtime} = await subject();
    await runtime.killContainer(id).catch(() => undefined);
  });
}

test.serial('a busy container shows CPU % above 10, memory within its limit, and a pid count', async (t) => {
  const {runtime} = await subject();
  const id = await startContainer(SPIN, {host: {memory: 64 * 1024 * 1024}});
  stopAfter(t, id);
  const view = await containerStats(plainDeps(runtime), id, {signal: AbortSignal.timeout(20_000)});
  t.true(view.cpuPercent > 10, `cpu ${view.cpuPercent}`);
  t.is(view.containerId, id);
  t.is(view.memoryLimitBytes, 64 * 1024 * 1024);
  t.true(view.memoryBytes > 0 && view.memoryBytes < view.memoryLimitBytes);
  t.true(view.memoryPercent > 0 && view.memoryPercent < 100);
  t.true(view.pids >= 1);
  t.false(Number.isNaN(Date.parse(view.at)));
});

test.serial('following stats yields computed samples for each container until the signal', async (t) => {
  const {runtime} = await subject();
  const busy = await startContainer(SPIN);
  stopAfter(t, busy);
  const idle = await startContainer(['sleep', '300']);
  const controller = new AbortController();
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, 30_000);
  const views: StatsView[] = [];
  try {
    for await (const view of followStats(plainDeps(runtime), [busy, idle], {
      signal: controller.signal,
      intervalMs: 1000,
    })) {
      views.push(view);
      const count = (id: string) => views.filter((v) => v.containerId === id).length;
      if (count(busy) >= 2 && count(idle) >= 1) controller.abort();
    }
  } finally {
    clearTimeout(deadline);
  }
  t.false(timedOut, 'samples of both containers before the deadline');
  const busyViews = views.filter((v) => v.containerId === busy);
  t.true(busyViews.length >= 2, 'two samples of the busy container before the deadline');
  t.true(
    busyViews.every((v) => v.cpuPercent > 10),
    busyViews.map((v) => v.cpuPercent).join(', '),
  );
  const idleViews = views.filter((v) => v.containerId === idle);
  t.true(idleViews.length >= 1);
  t.true(idleViews.every((v) => v.cpuPercent < 10));
});

test.serial('pod stats sum the members and take the network once', async (t) => {
  const {runtime} = await subject();
  const first = await startContainer(SPIN);
  stopAfter(t, first);
  const second = await startContainer(['sleep', '300']);
  const view = await podStats(plainDeps(runtime, {both: [first, second]}), 'both');
  t.is(view.pod, 'both');
  t.is(view.containers.length, 2);
  const sum = view.containers.reduce((total, c) => total + c.cpuPercent, 0);
  t.true(Math.abs(view.cpuPercent - sum) < 1e-9);
  t.true(view.cpuPercent > 10);
  t.is(view.memoryBytes, view.containers[0]!.memoryBytes + view.containers[1]!.memoryBytes);
  // The test "pod" has no infra: no network counters rather than a sum over members.
  t.is(view.networkRxBytes, 0);
});

test.serial('following a container that stops yields no zero sample after the stop', async (t) => {
  const {runtime} = await subject();
  const id = await startContainer(['sleep', '300']);
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 30_000);
  const views: StatsView[] = [];
  let killedAt = 0;
  try {
    for await (const view of followStats(plainDeps(runtime), [id], {
      signal: controller.signal,
      intervalMs: 1000,
    })) {
      views.push(view);
      if (killedAt === 0) {
        killedAt = Date.now();
        await runtime.killContainer(id);
        // Docker streams zero samples for the stopped container from now on: none may come out.
        setTimeout(() => controller.abort(), 3500);
      }
    }
  } finally {
    clearTimeout(deadline);
  }
  t.true(killedAt > 0, 'a sample before the kill');
  t.true(
    views.every((view) => view.memoryBytes > 0 && !view.at.startsWith('0001-')),
    JSON.stringify(views.map((view) => [view.at, view.cpuPercent, view.memoryBytes])),
  );
});
