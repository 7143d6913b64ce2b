import type {StatsSample} from '../port.js';
import {arr, field, num, obj, str} from './json.js';

/**
Maps one stats message to a StatsSample. The page cache to subtract is `cache` on cgroup v1 and
`inactive_file` on v2 (v1 also has an `inactive_file`, so the presence of `cache` decides); `online_cpus` falls
back to the length of `percpu_usage` (older daemons), network counters are summed over interfaces, and block
I/O is summed per direction (v1 says `Read`, v2 `read`).
*/
export function fromStats(json: unknown): StatsSample {
  const cpu = obj(json, 'cpu_stats');
  const precpu = obj(json, 'precpu_stats');
  const memory = obj(json, 'memory_stats');
  const memoryDetail = obj(memory, 'stats');
  let rx = 0;
  let tx = 0;
  for (const iface of Object.values(obj(json, 'networks'))) {
    rx += num(iface, 'rx_bytes');
    tx += num(iface, 'tx_bytes');
  }
  let read = 0;
  let write = 0;
  for (const entry of arr(obj(json, 'blkio_stats'), 'io_service_bytes_recursive')) {
    const op = str(entry, 'op').toLowerCase();
    if (op === 'read') read += num(entry, 'value');
    else if (op === 'write') write += num(entry, 'value');
  }
  const cache =
    field(memoryDetail, 'cache') !== undefined
      ? num(memoryDetail, 'cache')
      : num(memoryDetail, 'inactive_file');
  return {
    read: str(json, 'read'),
    cpuTotalUsage: num(obj(cpu, 'cpu_usage'), 'total_usage'),
    systemCpuUsage: num(cpu, 'system_cpu_usage'),
    onlineCpus: onlineCpus(cpu),
    precpuTotalUsage: num(obj(precpu, 'cpu_usage'), 'total_usage'),
    presystemCpuUsage: num(precpu, 'system_cpu_usage'),
    memoryUsage: num(memory, 'usage'),
    memoryCache: cache,
    memoryLimit: num(memory, 'limit'),
    networkRxBytes: rx,
    networkTxBytes: tx,
    blockReadBytes: read,
    blockWriteBytes: write,
    pids: num(obj(json, 'pids_stats'), 'current'),
  };
}

function onlineCpus(cpu: unknown): number {
  const online = num(cpu, 'online_cpus');
  return online > 0 ? online : arr(obj(cpu, 'cpu_usage'), 'percpu_usage').length;
}
