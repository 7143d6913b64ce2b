/**
Checks on what a task maps from the host: bind volumes and the devices of extended resources.
*/
import {posix} from 'node:path';
import type {ValidationIssue} from '../errors.js';
import {fieldPath, indexPath} from './issue-path.js';
import type {BcsVolume, ExtendedResource} from './types.js';

/** Absolute, and without `:` (Docker's bind syntax splits on it). Undefined when fine. */
function hostOrContainerPathProblem(value: string, what: string): string | undefined {
  if (value === '') return `${what} is empty`;
  if (!value.startsWith('/')) return `${what} "${value}" is not absolute`;
  if (value.includes(':')) return `${what} "${value}" contains ":", which a bind cannot express`;
  return undefined;
}

const ABSOLUTE = 'an absolute path without ":"';

/** Every problem of `volumes`, including two volumes on one container path. */
export function validateVolumes(volumes: readonly BcsVolume[], path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  volumes.forEach((volume, index) => {
    const volumePath = indexPath(path, index);
    const hostProblem = hostOrContainerPathProblem(volume.hostPath, 'host path');
    if (hostProblem !== undefined) {
      issues.push({path: fieldPath(volumePath, 'hostPath'), message: hostProblem, allowed: ABSOLUTE});
    }
    const containerPath = fieldPath(volumePath, 'containerPath');
    const containerProblem = hostOrContainerPathProblem(volume.containerPath, 'container path');
    if (containerProblem !== undefined) {
      issues.push({path: containerPath, message: containerProblem, allowed: ABSOLUTE});
      return;
    }
    const target = posix.normalize(volume.containerPath).replace(/(.)\/$/, '$1');
    if (target === '/') {
      issues.push({path: containerPath, message: 'a volume cannot be mounted on "/"', allowed: ABSOLUTE});
      return;
    }
    const earlier = seen.get(target);
    if (earlier === undefined) seen.set(target, index);
    else
      issues.push({
        path: containerPath,
        message: `"${target}" is already mounted by ${indexPath(path, earlier)}`,
      });
  });
  return issues;
}

function extendedResourceIssues(resource: ExtendedResource, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (resource.name === '') issues.push({path: fieldPath(path, 'name'), message: 'name is empty'});
  if (!Number.isFinite(resource.value) || resource.value < 0) {
    issues.push({
      path: fieldPath(path, 'value'),
      message: `${resource.value} is not a finite number >= 0`,
      allowed: '>= 0',
    });
  }
  const hasSocket = (resource.socket ?? '') !== '';
  if (hasSocket) {
    issues.push({
      path: fieldPath(path, 'socket'),
      message: 'device-plugin sockets are unsupported: list the host device paths in `devices` instead',
      allowed: 'devices: ["/dev/..."]',
    });
  }
  const devices = resource.devices ?? [];
  if (devices.length === 0 && !hasSocket) {
    issues.push({
      path: fieldPath(path, 'devices'),
      message: 'no host devices given',
      allowed: 'devices: ["/dev/..."]',
    });
  }
  devices.forEach((device, index) => {
    const problem = hostOrContainerPathProblem(device, 'device path');
    if (problem !== undefined)
      issues.push({path: indexPath(fieldPath(path, 'devices'), index), message: problem, allowed: ABSOLUTE});
  });
  return issues;
}

/** Every problem of `extendedResources`: the device-plugin `socket` form is unsupported, host `devices` are the supported one. */
export function validateExtendedResources(
  resources: readonly ExtendedResource[],
  path: string,
): ValidationIssue[] {
  return resources.flatMap((resource, index) => extendedResourceIssues(resource, indexPath(path, index)));
}
