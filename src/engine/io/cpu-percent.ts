/**
The stats formulas (Docker's CLI, rpc-anchors §6.5), guarded so a first sample, a stopped container or a
counter reset gives 0 rather than NaN, Infinity or a negative number.

CPU % = (container CPU time delta / host CPU time delta) × online CPUs × 100, where the deltas run from the
previous sample: Docker's `precpu` when it filled it (`stream=false`, and every streamed sample after the
first), else a sample the caller kept (one-shot samples have an empty `precpu`).
*/
import type {StatsSample} from '../../runtime/port.js';

/** The counters a CPU delta needs, from a `precpu` or a previous sample. */
interface CpuCounters {
  readonly total: number;
  readonly system: number;
}

function previousCounters(sample: StatsSample, previous: StatsSample | undefined): CpuCounters | undefined {
  if (sample.presystemCpuUsage > 0) {
    return {total: sample.precpuTotalUsage, system: sample.presystemCpuUsage};
  }
  if (previous !== undefined && previous.systemCpuUsage > 0) {
    return {total: previous.cpuTotalUsage, system: previous.systemCpuUsage};
  }
  return undefined;
}

/**
CPU % of `sample`, 100 per fully used CPU (a container busy on 2 CPUs shows 200). `previous` is used only
when the sample carries no `precpu`. 0 when no delta can be taken. An unknown CPU count (0) counts as 1.
*/
export function cpuPercent(sample: StatsSample, previous?: StatsSample): number {
  const before = previousCounters(sample, previous);
  if (before === undefined) return 0;
  const cpuDelta = sample.cpuTotalUsage - before.total;
  const systemDelta = sample.systemCpuUsage - before.system;
  if (!(cpuDelta > 0 && systemDelta > 0)) return 0;
  const cpus = sample.onlineCpus > 0 ? sample.onlineCpus : 1;
  return (cpuDelta / systemDelta) * cpus * 100;
}

/** Memory in use: usage less the page cache (`cache` on cgroup v1, `inactive_file` on v2), never below 0. */
export function memoryUsedBytes(sample: StatsSample): number {
  const used = sample.memoryUsage - sample.memoryCache;
  return used > 0 ? used : Math.max(0, sample.memoryUsage);
}

/** Memory in use as a percentage of the limit; 0 without a limit. */
export function memoryPercent(sample: StatsSample): number {
  if (!(sample.memoryLimit > 0)) return 0;
  return (memoryUsedBytes(sample) / sample.memoryLimit) * 100;
}
