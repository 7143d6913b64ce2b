import test from 'ava';
import {fromStats} from '../../src/runtime/docker/from-stats.js';

// Trimmed from dockerd 20.10 on cgroup v1 (`GET /containers/{id}/stats?stream=false`).
const v1 = {
  read: '2026-11-26T23:10:50.623233284Z',
  pids_stats: {current: 1},
  blkio_stats: {
    io_service_bytes_recursive: [
      {major: 8, minor: 0, op: 'Read', value: 4096},
      {major: 8, minor: 0, op: 'Write', value: 8192},
      {major: 8, minor: 0, op: 'Sync', value: 12288},
      {major: 8, minor: 0, op: 'Total', value: 12288},
      {major: 8, minor: 16, op: 'Read', value: 1},
    ],
  },
  cpu_stats: {
    cpu_usage: {total_usage: 95579711, percpu_usage: [46260047, 49319664]},
    system_cpu_usage: 1109130000000,
    online_cpus: 2,
  },
  precpu_stats: {
    cpu_usage: {total_usage: 79888766, percpu_usage: [32309305, 47579461]},
    system_cpu_usage: 1107140000000,
    online_cpus: 2,
  },
  memory_stats: {
    usage: 921600,
    stats: {cache: 339968, inactive_file: 1, total_inactive_file: 2},
    limit: 25276502016,
  },
  networks: {eth0: {rx_bytes: 806, tx_bytes: 10}, eth1: {rx_bytes: 4, tx_bytes: 5}},
};

// Shape of cgroup v2 (docker 20.10+ / podman): no `cache`, no percpu, lower-case blkio ops.
const v2 = {
  read: '2026-11-26T23:10:50Z',
  pids_stats: {current: 3},
  blkio_stats: {
    io_service_bytes_recursive: [
      {major: 254, minor: 0, op: 'read', value: 100},
      {major: 254, minor: 0, op: 'write', value: 200},
    ],
  },
  cpu_stats: {cpu_usage: {total_usage: 2000}, system_cpu_usage: 10000, online_cpus: 4},
  precpu_stats: {cpu_usage: {total_usage: 1000}, system_cpu_usage: 5000, online_cpus: 4},
  memory_stats: {usage: 5000, stats: {inactive_file: 1200, anon: 3000}, limit: 67108864},
  networks: {eth0: {rx_bytes: 1, tx_bytes: 2}},
};

test('cgroup v1: cache is the page cache, block I/O summed per direction, networks summed', (t) => {
  t.deepEqual(fromStats(v1), {
    read: '2026-11-26T23:10:50.623233284Z',
    cpuTotalUsage: 95579711,
    systemCpuUsage: 1109130000000,
    onlineCpus: 2,
    precpuTotalUsage: 79888766,
    presystemCpuUsage: 1107140000000,
    memoryUsage: 921600,
    memoryCache: 339968,
    memoryLimit: 25276502016,
    networkRxBytes: 810,
    networkTxBytes: 15,
    blockReadBytes: 4097,
    blockWriteBytes: 8192,
    pids: 1,
  });
});

test('cgroup v2: inactive_file is the page cache, lower-case ops count', (t) => {
  const sample = fromStats(v2);
  t.is(sample.memoryCache, 1200);
  t.is(sample.blockReadBytes, 100);
  t.is(sample.blockWriteBytes, 200);
  t.is(sample.onlineCpus, 4);
  t.is(sample.pids, 3);
});

test('online CPUs fall back to the length of percpu_usage', (t) => {
  const noOnline = {...v1, cpu_stats: {...v1.cpu_stats, online_cpus: 0}};
  t.is(fromStats(noOnline).onlineCpus, 2);
  const {online_cpus: _drop, ...withoutKey} = v1.cpu_stats;
  t.is(fromStats({...v1, cpu_stats: withoutKey}).onlineCpus, 2);
});

test('a stopped container (zeroed sample) maps to zeros, not NaN', (t) => {
  const sample = fromStats({read: '0001-01-01T00:00:00Z', cpu_stats: {cpu_usage: {}}, memory_stats: {}});
  t.is(sample.cpuTotalUsage, 0);
  t.is(sample.onlineCpus, 0);
  t.is(sample.memoryCache, 0);
  t.is(sample.networkRxBytes, 0);
  t.is(sample.pids, 0);
});
