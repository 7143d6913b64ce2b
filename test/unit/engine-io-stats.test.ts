import test from 'ava';
import {cpuPercent, memoryPercent, memoryUsedBytes} from '../../src/engine/io/cpu-percent.js';
import {containerStats, podStats, toStatsView} from '../../src/engine/io/stats.js';
import {EngineError} from '../../src/errors.js';
import {fromStats} from '../../src/runtime/docker/from-stats.js';
import type {StatsSample} from '../../src/runtime/port.js';
import {zeroStatsSample} from '../support/stats-sample.js';
import {container, stubDeps, stubRuntime} from './engine-io-stubs.js';

/** A sample with everything zero but what is given. */
function sample(fields: Partial<StatsSample>): StatsSample {
  return zeroStatsSample({read: '2024-05-01T10:00:00.000000000Z', ...fields});
}

test('cgroup v1 sample: CPU from precpu and percpu-era online CPUs, memory less cache', (t) => {
  const raw = fromStats({
    read: '2024-05-01T10:00:00.1Z',
    cpu_stats: {
      cpu_usage: {total_usage: 3_000_000_000, percpu_usage: [1, 2]},
      system_cpu_usage: 20_000_000_000,
    },
    precpu_stats: {cpu_usage: {total_usage: 2_000_000_000}, system_cpu_usage: 18_000_000_000},
    memory_stats: {
      usage: 100 * 1024 * 1024,
      stats: {cache: 40 * 1024 * 1024, inactive_file: 1},
      limit: 200 * 1024 * 1024,
    },
  });
  // 1 s of CPU over 2 s of host time (2 CPUs' worth), times 2 CPUs: one CPU fully used.
  t.is(cpuPercent(raw), 100);
  t.is(memoryUsedBytes(raw), 60 * 1024 * 1024);
  t.is(memoryPercent(raw), 30);
});

test('cgroup v2 sample: online_cpus, inactive_file as the cache', (t) => {
  const raw = fromStats({
    read: '2024-05-01T10:00:00Z',
    cpu_stats: {cpu_usage: {total_usage: 2000}, system_cpu_usage: 10000, online_cpus: 4},
    precpu_stats: {cpu_usage: {total_usage: 1000}, system_cpu_usage: 5000, online_cpus: 4},
    memory_stats: {usage: 5000, stats: {inactive_file: 1000, anon: 3000}, limit: 8000},
  });
  t.is(cpuPercent(raw), 80);
  t.is(memoryUsedBytes(raw), 4000);
  t.is(memoryPercent(raw), 50);
});

test('first samples, zero and backwards deltas, no limit: zeros, never NaN or negative', (t) => {
  // One-shot: no precpu and nothing kept.
  t.is(cpuPercent(sample({cpuTotalUsage: 500, systemCpuUsage: 1000, onlineCpus: 2})), 0);
  // Idle: the container used nothing.
  t.is(
    cpuPercent(sample({cpuTotalUsage: 5, precpuTotalUsage: 5, systemCpuUsage: 10, presystemCpuUsage: 5})),
    0,
  );
  // The host counter did not move.
  t.is(
    cpuPercent(sample({cpuTotalUsage: 9, precpuTotalUsage: 5, systemCpuUsage: 5, presystemCpuUsage: 5})),
    0,
  );
  // A counter reset (container restarted).
  t.is(
    cpuPercent(sample({cpuTotalUsage: 1, precpuTotalUsage: 5, systemCpuUsage: 10, presystemCpuUsage: 5})),
    0,
  );
  // Unknown CPU count counts as one.
  t.is(
    cpuPercent(sample({cpuTotalUsage: 6, precpuTotalUsage: 5, systemCpuUsage: 20, presystemCpuUsage: 10})),
    10,
  );
  t.is(memoryPercent(sample({memoryUsage: 10})), 0);
  // A cache above usage leaves the usage.
  t.is(memoryUsedBytes(sample({memoryUsage: 10, memoryCache: 20})), 10);
});

test('without precpu, the previous sample gives the delta', (t) => {
  const previous = sample({cpuTotalUsage: 1000, systemCpuUsage: 10_000, onlineCpus: 2});
  const current = sample({cpuTotalUsage: 1500, systemCpuUsage: 12_000, onlineCpus: 2});
  t.is(cpuPercent(current, previous), 50);
  // precpu, when present, wins over the kept sample.
  t.is(cpuPercent({...current, precpuTotalUsage: 1400, presystemCpuUsage: 11_000}, previous), 20);
});

test('a stopped container sample is stamped now rather than year 1', (t) => {
  const view = toStatsView(container('app'), sample({read: '0001-01-01T00:00:00Z'}));
  t.not(view.at, '0001-01-01T00:00:00Z');
  t.true(Math.abs(Date.parse(view.at) - Date.now()) < 5_000);
});

test('container stats map the sample; pod stats sum apps and take the network from the infra only', async (t) => {
  const app = container('app');
  const side = container('side');
  const samples: Record<string, StatsSample> = {
    'id-app': sample({
      cpuTotalUsage: 300,
      precpuTotalUsage: 100,
      systemCpuUsage: 2000,
      presystemCpuUsage: 1000,
      onlineCpus: 2,
      memoryUsage: 1000,
      memoryCache: 200,
      memoryLimit: 4000,
      networkRxBytes: 777,
      networkTxBytes: 888,
      pids: 3,
    }),
    'id-side': sample({
      cpuTotalUsage: 150,
      precpuTotalUsage: 100,
      systemCpuUsage: 2000,
      presystemCpuUsage: 1000,
      onlineCpus: 2,
      memoryUsage: 500,
      networkRxBytes: 777,
      networkTxBytes: 888,
    }),
    'id-infra': sample({networkRxBytes: 777, networkTxBytes: 888}),
  };
  const runtime = stubRuntime({
    stats: (id: string) => {
      const found = samples[id];
      return found === undefined
        ? Promise.reject(new EngineError('NOT_FOUND', 'gone'))
        : Promise.resolve(found);
    },
  });
  const pod = {name: 'web', infraId: 'id-infra', apps: [app, side, container('removed')]};
  const deps = stubDeps(runtime, [app, side], pod);

  const one = await containerStats(deps, 'app');
  t.like(one, {
    container: 'app',
    containerId: 'id-app',
    pod: 'web',
    cpuPercent: 40,
    memoryBytes: 800,
    memoryLimitBytes: 4000,
    memoryPercent: 20,
    pids: 3,
  });

  const whole = await podStats(deps, 'web');
  t.is(whole.pod, 'web');
  t.is(whole.cpuPercent, 50);
  t.is(whole.memoryBytes, 1300);
  t.is(whole.networkRxBytes, 777);
  t.is(whole.networkTxBytes, 888);
  t.deepEqual(
    whole.containers.map((view) => view.container),
    ['app', 'side'],
  );
});
