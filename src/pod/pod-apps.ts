/**
The app half of creating a pod: every app container created (in parallel: members are independent once the
infra exists), then per app in spec order preStart → start → postStart, as the seed's handler order says and
in the order the spec gives (the seed iterated a Go map).
*/
import {EngineError, throwIfAborted, toEngineError} from '../errors.js';
import {inspectToBcsInfo} from '../task/from-inspect.js';
import type {BcsContainerTask} from '../task/types.js';
import {appCreateSpec} from './create-specs.js';
import {appLabels} from './labels.js';
import type {PodConfig} from './pod-config.js';
import {withPodEnv} from './pod-env.js';
import type {PodBuildState} from './pod-infra.js';
import {cleanupSignal, CREATE_BOUND_MS} from './pod-ops.js';

function signalOption(signal: AbortSignal | undefined): {signal?: AbortSignal} {
  return signal === undefined ? {} : {signal};
}

/** The task as the app container is created from it: the pod's env assembled, joined to the infra. */
export function appTaskFor(
  config: PodConfig,
  task: BcsContainerTask,
  podId: string,
  podIp: string,
): BcsContainerTask {
  return withPodEnv(task, {podId, nodeIp: config.nodeIp, containerIp: podIp});
}

function taskLabels(task: BcsContainerTask): Record<string, string> {
  return Object.fromEntries((task.labels ?? []).map((label) => [label.key, label.value]));
}

/**
Creates every app container in parallel and records each id as soon as it exists. When any create fails the
others are still awaited, so the rollback knows everything that was made; the first failure is thrown.
Returns the tasks as created, each with `runtimeConf` filled from an inspect (the seed's preStart needs it).
*/
export async function createApps(
  config: PodConfig,
  state: PodBuildState,
  podId: string,
  signal?: AbortSignal,
): Promise<BcsContainerTask[]> {
  const {runtime} = config;
  config.onProgress?.({step: 'create', message: `creating ${config.tasks.length} app container(s)`});
  const results = await Promise.allSettled(
    config.tasks.map(async (task, order) => {
      const prepared = appTaskFor(config, task, podId, state.podIp);
      const spec = appCreateSpec({
        task: prepared,
        infraId: state.infraId,
        restartPolicy: config.restartPolicy,
        graceSeconds: task.killPolicy ?? 1,
        labels: appLabels({
          pod: config.name,
          specHash: config.record.specHash,
          container: config.containerNames[order] ?? task.name,
          order,
          taskLabels: taskLabels(task),
          secretEnv: config.record.secretEnv,
        }),
      });
      // As the infra's (pod-infra.ts): the create is not cut mid-call, so the rollback knows every id.
      const {id} = await runtime.createContainer(spec, {signal: cleanupSignal(CREATE_BOUND_MS)});
      state.apps.set(task.name, {id, started: false});
      throwIfAborted(signal);
      const details = await runtime.inspectContainer(id, signalOption(signal));
      return {
        ...prepared,
        runtimeConf: {...inspectToBcsInfo(details), nodeAddress: config.nodeIp, ipAddress: state.podIp},
      };
    }),
  );
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw toEngineError(failed.reason);
  return results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}

/** preStart of one app: a failure names the container and aborts the pod. */
async function preStart(config: PodConfig, task: BcsContainerTask, name: string): Promise<void> {
  try {
    await config.handler.preStart?.(task);
  } catch (error) {
    const cause = toEngineError(error);
    throw new EngineError(cause.code, `container ${name}: preStart failed: ${cause.message}`, {
      details: {...cause.details, container: name, stage: 'preStart'},
      cause,
    });
  }
}

/**
Per app in spec order: preStart (the engine uploads `files` here), then, when `autostart`, start and
postStart (whose failure is ignored, as in the seed). Any other failure is thrown naming the container.
*/
export async function startApps(
  config: PodConfig,
  state: PodBuildState,
  tasks: readonly BcsContainerTask[],
  options: {readonly signal?: AbortSignal | undefined; readonly autostart: boolean},
): Promise<void> {
  const {runtime} = config;
  for (const [index, task] of tasks.entries()) {
    throwIfAborted(options.signal);
    const name = config.containerNames[index] ?? task.name;
    const app = state.apps.get(task.name);
    if (app === undefined) throw new EngineError('ENGINE_ERROR', `container ${name} was not created`);
    await preStart(config, task, name);
    if (!options.autostart) continue;
    config.onProgress?.({step: 'start', message: `starting ${name}`});
    try {
      await runtime.startContainer(app.id, signalOption(options.signal));
    } catch (error) {
      const cause = toEngineError(error);
      throw new EngineError(cause.code, `container ${name}: start failed: ${cause.message}`, {
        details: {...cause.details, container: name, stage: 'start'},
        cause,
      });
    }
    app.started = true;
    try {
      await config.handler.postStart?.(task);
    } catch {
      // The seed ignores what PostStart returns; a failing hook does not undo a started container.
    }
  }
}
