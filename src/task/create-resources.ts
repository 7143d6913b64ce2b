/**
The seed's CPU and memory formulas for container create (seed-spec §1.6), with §8's fixes: no request means
1024 shares (the seed crashed on a nil Resource), and memory 0 means no limit.
*/
import {DEFAULT_DOCKER_CPU_PERIOD} from '../constants.js';
import type {HostSpec} from '../runtime/port.js';
import type {Resource} from './types.js';
import {cpuQuota, megabytesToBytes} from './validate-resources.js';

/** Docker's default weight, which the seed also used for a request of 0 or less. */
const DEFAULT_CPU_SHARES = 1024;

type ResourceFields = Pick<HostSpec, 'cpuShares' | 'cpuPeriod' | 'cpuQuota' | 'memory' | 'memorySwap'>;

/** CPU shares of a request: 1024 when cpus <= 0 or absent, else trunc(cpus * 1024) (0.5 → 512, 2.25 → 2304). */
export function cpuShares(request: Resource | undefined): number {
  const cpus = request?.cpus ?? 0;
  return cpus > 0 ? Math.trunc(cpus * DEFAULT_CPU_SHARES) : DEFAULT_CPU_SHARES;
}

/**
HostConfig CPU and memory of a request and a limit: shares from the request; CpuPeriod 100000 and CpuQuota from
the limit's cpus; Memory = MemorySwap (no swap headroom) from the limit's mem, else the request's.
*/
export function createResources(request: Resource | undefined, limit: Resource | undefined): ResourceFields {
  const limitCpus = limit?.cpus ?? 0;
  const mem = (limit?.mem ?? 0) > 0 ? (limit?.mem ?? 0) : (request?.mem ?? 0);
  const memory = megabytesToBytes(mem);
  return {
    cpuShares: cpuShares(request),
    ...(limitCpus > 0 ? {cpuPeriod: DEFAULT_DOCKER_CPU_PERIOD, cpuQuota: cpuQuota(limitCpus)} : {}),
    ...(memory > 0 ? {memory, memorySwap: memory} : {}),
  };
}
