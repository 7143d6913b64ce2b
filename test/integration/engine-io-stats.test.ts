import test from 'ava';
import type {StatsView} from '../../src/engine/engine.js';
import {followStats} from '../../src/engine/io/follow-stats.js';
import {containerStats, podStats} from '../../src/engine/io/stats.js';
import {cleanup, plainDeps, startContainer, subject} from './engine-io-support.js';

test.after.always(cleanup);

test('a busy container shows CPU % above 10, memory within its limit, and a pid count', async (t) => {
  const {runtime} = await subject();
  const id = await startContainer(['sh', '-c', 'while :; do :; done'], {host: {memory: 64 * 1024 * 1024}});
  const view = await containerStats(plainDeps(runtime), id, {signal: AbortSignal.timeout(20_000)});
  t.true(view.cpuPercent > 10, `cpu ${view.cpuPercent}`);
  t.is(view.containerId, id);
  t.is(view.memoryLimitBytes, 64 * 1024 * 1024);
  t.true(view.memoryBytes > 0 && view.memoryBytes < view.memoryLimitBytes);
  t.true(view.memoryPercent > 0 && view.memoryPercent < 100);
  t.true(view.pids >= 1);
  t.false(Number.isNaN(Date.parse(view.at)));
});

test('following stats yields computed samples for each container until the signal', async (t) => {
  const {runtime} = await subject();
  const busy = await startContainer(['sh', '-c', 'while :; do :; done']);
  const idle = await startContainer(['sleep', '300']);
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 30_000);
  const views: StatsView[] = [];
  try {
    for await (const view of followStats(plainDeps(runtime), [busy, idle], {
      signal: controller.signal,
      intervalMs: 1000,
    })) {
      views.push(view);
      if (views.filter((v) => v.containerId === busy).length >= 2) controller.abort();
    }
  } finally {
    clearTimeout(deadline);
  }
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

test('pod stats sum the members and take the network once', async (t) => {
  const {runtime} = await subject();
  const first = await startContainer(['sh', '-c', 'while :; do :; done']);
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
