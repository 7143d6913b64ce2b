/**
Docker update bodies for the seed's two UpdateResources inputs (seed-spec §2), validated first: the newer
TaskResources (request and limit) and Variant A's Resource.
*/
import {DEFAULT_DOCKER_CPU_PERIOD} from '../constants.js';
import {validationError} from '../errors.js';
import type {ResourceUpdate} from '../runtime/port.js';
import type {Resource, TaskResources} from './types.js';
import {cpuQuota, megabytesToBytes, validateResource, validateTaskResources} from './validate-resources.js';

const SHARES_PER_CPU = 1024;

function memoryUpdate(mb: number | undefined): ResourceUpdate {
  if (mb === undefined || mb <= 0) return {};
  const memory = megabytesToBytes(mb);
  return {memory, memorySwap: memory};
}

/**
The update for TaskResources: CpuShares from `reqCpu`, CpuPeriod 100000 and CpuQuota from `cpu` (the limit),
Memory = MemorySwap from `mem` (no swap headroom). A field left out, or a CPU of 0, leaves that setting as it is
(Docker reads a 0 as "unchanged"; the seed sent zeros). `reqMem` is the request the pod records; Docker has no
field for it. Throws VALIDATION listing every problem.
*/
export function taskResourcesToUpdate(resources: TaskResources): ResourceUpdate {
  const issues = validateTaskResources(resources);
  if (issues.length > 0) throw validationError(issues, 'resource update');
  const reqCpu = resources.reqCpu ?? 0;
  const cpu = resources.cpu ?? 0;
  return {
    ...(reqCpu > 0 ? {cpuShares: Math.trunc(reqCpu * SHARES_PER_CPU)} : {}),
    ...(cpu > 0 ? {cpuPeriod: DEFAULT_DOCKER_CPU_PERIOD, cpuQuota: cpuQuota(cpu)} : {}),
    ...memoryUpdate(resources.mem),
  };
}

/**
The update for Variant A's Resource: CpuShares from `cpus`, Memory = MemorySwap from `mem`; quota and period are
left as they are, as the seed's zeros did. Throws VALIDATION listing every problem, also when it changes nothing.
*/
export function resourceToUpdate(resource: Resource): ResourceUpdate {
  const issues = validateResource(resource, '');
  if (issues.length === 0 && resource.cpus <= 0 && resource.mem <= 0) {
    issues.push({path: '', message: 'nothing to update', allowed: 'cpus > 0 or mem >= 6'});
  }
  if (issues.length > 0) throw validationError(issues, 'resource update');
  return {
    ...(resource.cpus > 0 ? {cpuShares: Math.trunc(resource.cpus * SHARES_PER_CPU)} : {}),
    ...memoryUpdate(resource.mem),
  };
}
