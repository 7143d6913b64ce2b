/** Changing the CPU and memory of a pod's apps. */
import {EngineError} from '../errors.js';
import {taskResourcesToUpdate} from '../task/update-resources.js';
import type {TaskResources} from '../task/types.js';
import type {PodResult, Signal} from './engine.js';
import {signalOption, type EngineContext} from './context.js';
import {podSnapshot, viewOf} from './pod-access.js';
import {appSlots} from './views.js';

/** Updates the limits of every app of the pod, or of the one named `container`. */
export async function updatePodResources(
  ctx: EngineContext,
  ref: string,
  resources: TaskResources & {readonly container?: string},
  options: Signal = {},
): Promise<PodResult> {
  const snapshot = await podSnapshot(ctx, ref, options.signal);
  const {container, ...rest} = resources;
  const update = taskResourcesToUpdate(rest);
  const targets = appSlots(snapshot).filter((slot) => container === undefined || slot.name === container);
  if (targets.length === 0) {
    throw new EngineError('NOT_FOUND', `pod ${snapshot.name} has no container ${container ?? ''}`, {
      details: {resource: 'container', ref: container ?? ''},
    });
  }
  const ids = targets.flatMap((slot) => (slot.details === undefined ? [] : [slot.details.id]));
  for (const id of ids) await ctx.runtime.updateContainer(id, update, signalOption(options.signal));
  await ctx.refreshPod(snapshot.name, ids);
  return {changed: ids.length > 0, pod: viewOf(ctx, snapshot.name)};
}
