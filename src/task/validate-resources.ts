/**
Checks on CPU and memory before they reach Docker: the minimums the seed left to the daemon (seed-spec §1.6,
§7 cases 8 and 10, §8.14), reported with their paths.
*/
import {DEFAULT_DOCKER_CPU_PERIOD, DOCKER_MIN_CPU_QUOTA, DOCKER_MIN_MEMORY_BYTES} from '../constants.js';
import type {ValidationIssue} from '../errors.js';
import {fieldPath} from './issue-path.js';
import type {Resource, TaskResources} from './types.js';

const MIB = 1024 * 1024;
const MIN_MEMORY_MB = DOCKER_MIN_MEMORY_BYTES / MIB;
const MIN_LIMIT_CPUS = DOCKER_MIN_CPU_QUOTA / DEFAULT_DOCKER_CPU_PERIOD;

/** Bytes of `mb` megabytes, truncated as the seed's `int64(mem*1048576)`. */
export function megabytesToBytes(mb: number): number {
  return Math.trunc(mb * MIB);
}

/** The CFS quota of a CPU limit, truncated as the seed's `int64(cpus*100000)`. */
export function cpuQuota(cpus: number): number {
  return Math.trunc(cpus * DEFAULT_DOCKER_CPU_PERIOD);
}

function isNonNegative(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

/** cpus >= 0 and finite; as a limit, also a quota of at least 1000 µs when set. */
function cpuIssues(cpus: number, path: string, isLimit: boolean): ValidationIssue[] {
  if (!isNonNegative(cpus)) return [{path, message: `${cpus} is not a finite number >= 0`, allowed: '>= 0'}];
  if (isLimit && cpus > 0 && cpuQuota(cpus) < DOCKER_MIN_CPU_QUOTA) {
    return [
      {
        path,
        message: `a CPU limit of ${cpus} gives a CPU quota of ${cpuQuota(cpus)} µs, under Docker's minimum of ${DOCKER_MIN_CPU_QUOTA}`,
        allowed: `0 (no limit), or >= ${MIN_LIMIT_CPUS}`,
      },
    ];
  }
  return [];
}

/** mem in MB: finite; with `zeroIsUnset`, 0 means no limit; otherwise at least Docker's 6 MB. */
function memoryIssues(mem: number, path: string, zeroIsUnset: boolean): ValidationIssue[] {
  const allowed = zeroIsUnset ? `0 (no limit), or >= ${MIN_MEMORY_MB}` : `>= ${MIN_MEMORY_MB}`;
  if (!isNonNegative(mem)) return [{path, message: `${mem} is not a finite number >= 0`, allowed}];
  if (mem === 0 && zeroIsUnset) return [];
  if (megabytesToBytes(mem) < DOCKER_MIN_MEMORY_BYTES) {
    // The seed accepted 4 and 5 (its rule was >= 4) and Docker then refused the create.
    return [{path, message: `${mem} MB is under Docker's minimum of ${MIN_MEMORY_MB} MB`, allowed}];
  }
  return [];
}

/**
Checks a `Resource` (cores and MB). A limit (`isLimit`) also needs a CPU quota Docker accepts. `mem` 0 means no
memory limit.
*/
export function validateResource(resource: Resource, path: string, isLimit = false): ValidationIssue[] {
  const issues = [
    ...cpuIssues(resource.cpus, fieldPath(path, 'cpus'), isLimit),
    ...memoryIssues(resource.mem, fieldPath(path, 'mem'), true),
  ];
  if (resource.disk !== undefined && !isNonNegative(resource.disk)) {
    issues.push({
      path: fieldPath(path, 'disk'),
      message: `${resource.disk} is not a finite number >= 0`,
      allowed: '>= 0',
    });
  }
  return issues;
}

/**
Checks the newer UpdateResources input: `reqCpu` and `cpu` (the limit) >= 0 with a valid quota, `reqMem` and
`mem` at least 6 MB when given, and at least one of the four given.
*/
export function validateTaskResources(resources: TaskResources, path = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (resources.reqCpu !== undefined)
    issues.push(...cpuIssues(resources.reqCpu, fieldPath(path, 'reqCpu'), false));
  if (resources.cpu !== undefined) issues.push(...cpuIssues(resources.cpu, fieldPath(path, 'cpu'), true));
  if (resources.reqMem !== undefined) {
    issues.push(...memoryIssues(resources.reqMem, fieldPath(path, 'reqMem'), false));
  }
  if (resources.mem !== undefined) issues.push(...memoryIssues(resources.mem, fieldPath(path, 'mem'), false));
  const given = [resources.reqCpu, resources.reqMem, resources.cpu, resources.mem];
  if (given.every((value) => value === undefined)) {
    issues.push({path, message: 'nothing to update', allowed: 'at least one of reqCpu, reqMem, cpu, mem'});
  }
  return issues;
}
