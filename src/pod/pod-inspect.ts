/**
Reading a BcsPod's containers back from Docker: every status the seed model answers is derived from what Docker
says now (the seed kept what its last tick saw, and lost containers removed behind its back).
*/
import {toEngineError} from '../errors.js';
import type {ContainerDetails, ContainerRuntime} from '../runtime/port.js';
import type {BcsContainerTask} from '../task/types.js';
import {derivePodStatus, type DerivedStatus} from './derive-status.js';
import {memberState, missingMember} from './member-state.js';
import type {PodConfig} from './pod-config.js';
import type {PodBuildState} from './pod-infra.js';

/** Inspects `id`; undefined when it is gone (a 404 counts as removed). */
export async function inspectIfPresent(
  runtime: ContainerRuntime,
  id: string,
): Promise<ContainerDetails | undefined> {
  try {
    return await runtime.inspectContainer(id);
  } catch (error) {
    if (toEngineError(error).code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/** Each app in spec order; undefined for one not created, or gone. */
export async function inspectApps(
  config: PodConfig,
  state: PodBuildState,
  tasks: readonly BcsContainerTask[],
): Promise<(ContainerDetails | undefined)[]> {
  return await Promise.all(
    tasks.map(async (task) => {
      const id = state.apps.get(task.name)?.id;
      return id === undefined ? undefined : await inspectIfPresent(config.runtime, id);
    }),
  );
}

/** The pod's status from its containers now (derivePodStatus), with the engine's health verdicts when given. */
export async function deriveLive(
  config: PodConfig,
  state: PodBuildState,
  tasks: readonly BcsContainerTask[],
  health?: (containerId: string) => boolean | null,
): Promise<DerivedStatus> {
  const infra = state.infraId === '' ? undefined : await inspectIfPresent(config.runtime, state.infraId);
  const apps = await inspectApps(config, state, tasks);
  return derivePodStatus({
    restartPolicy: config.restartPolicy,
    infra: infra === undefined ? missingMember() : memberState(infra),
    apps: tasks.map((task, index) => {
      const entry = apps[index];
      const name = config.containerNames[index] ?? task.name;
      const verdict = entry === undefined ? null : (health?.(entry.id) ?? null);
      return {name, ...(entry === undefined ? missingMember() : memberState(entry)), healthy: verdict};
    }),
  });
}
