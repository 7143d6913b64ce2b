/**
The task validator's rules (Docker's memory and CPU quota minimums, ulimit forms, paths, base64, hostnames,
image references, ...) applied to a pod spec: convert, validate each task, and move the issue paths back onto
the spec. The rules stay in src/task/validate.ts; nothing here repeats them.
*/
import type {ValidationIssue} from '../../errors.js';
import {validateTask} from '../../task/validate.js';
import type {BcsContainerTask} from '../../task/types.js';
import type {ContainerSpec, PodSpec} from '../spec-types.js';
import {networkOf} from './defaults.js';
import {infraSettings, portKey} from './infra-settings.js';
import {rebaseAppPath, rebaseInfraPath, type AppTaskContext} from './rebase.js';
import {dockerContainerName, specToTasks} from './to-tasks.js';

/** A container as read (good fields only), with where it sits in the spec. */
export interface ReadContainer {
  readonly index: number;
  readonly container: ContainerSpec;
  readonly indexMaps: AppTaskContext['indexMaps'];
}

function infraTask(spec: PodSpec): BcsContainerTask {
  const settings = infraSettings(spec);
  const docker = networkOf(spec).driver === 'docker';
  return {
    name: dockerContainerName(spec.name, 'infra'),
    image: settings.image,
    hostName: settings.hostname,
    hosts: settings.hosts,
    portBindings: settings.portBindings,
    // A cni pod's IP is a CNI argument, not a Docker endpoint address: only the docker driver's is Docker's to check.
    ...(docker ? {networkName: settings.networkName} : {}),
    ...(docker && settings.networkIPAddr !== undefined ? {networkIPAddr: settings.networkIPAddr} : {}),
  };
}

/**
The task validator's issues for `spec` (whose containers are `read`, in the same order), at spec paths:
the app containers' tasks, and the infra task (image, hostname, hosts, ports, requested IP).
*/
export function taskIssues(
  spec: PodSpec,
  read: readonly ReadContainer[],
  podIndices: {
    readonly ports?: readonly number[] | undefined;
    readonly hosts?: readonly number[] | undefined;
  },
): ValidationIssue[] {
  const tasks = specToTasks(spec);
  const issues: ValidationIssue[] = [];
  tasks.forEach((task, position) => {
    const entry = read[position];
    if (entry === undefined) return;
    const context: AppTaskContext = {
      index: entry.index,
      container: entry.container,
      indexMaps: entry.indexMaps,
      task,
    };
    for (const issue of validateTask(task)) issues.push({...issue, path: rebaseAppPath(issue.path, context)});
  });
  const portIndexByKey = new Map<string, number>();
  (spec.ports ?? []).forEach((port, position) => {
    const key = portKey(port);
    if (!portIndexByKey.has(key)) portIndexByKey.set(key, podIndices.ports?.[position] ?? position);
  });
  const infraContext = {portIndexByKey, hostIndices: podIndices.hosts};
  for (const issue of validateTask(infraTask(spec))) {
    issues.push({...issue, path: rebaseInfraPath(issue.path, infraContext)});
  }
  return issues;
}
