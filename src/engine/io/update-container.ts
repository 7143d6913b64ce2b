/**
Changing a running container's CPU and memory (the seed's UpdateResources with TaskResources), validated
before any Docker call by src/task/update-resources.ts.
*/
import type {ResourceUpdate} from '../../runtime/port.js';
import {taskResourcesToUpdate} from '../../task/update-resources.js';
import type {TaskResources} from '../../task/types.js';
import type {Signal} from '../engine.js';
import type {IoDeps} from './deps.js';

const COMPARED = ['cpuShares', 'cpuPeriod', 'cpuQuota', 'memory', 'memorySwap'] as const;

/**
Applies `resources` to container `ref`. `{changed: false}` when every setting asked for already has that value
(nothing is sent then). Throws VALIDATION listing every problem, NOT_FOUND, and the runtime's errors (Docker
refuses, for one, a memory limit below current usage).
*/
export async function updateContainer(
  deps: IoDeps,
  ref: string,
  resources: TaskResources,
  options: Signal = {},
): Promise<{readonly changed: boolean}> {
  const update: ResourceUpdate = taskResourcesToUpdate(resources);
  const container = await deps.resolve(ref, options.signal);
  const current = await deps.runtime.inspectContainer(container.id, options);
  const differs = COMPARED.some((key) => update[key] !== undefined && update[key] !== current.host[key]);
  if (!differs) return {changed: false};
  await deps.runtime.updateContainer(container.id, update, options);
  return {changed: true};
}
