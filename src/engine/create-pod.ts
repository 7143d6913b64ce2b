/**
`createPod` and `applyPod`: validate the whole spec (every problem at once, nothing created), refuse a name in
use, then build the pod through BcsPod (images → infra → network → apps → per app upload, start, postStart).
Any failure rolls back everything made (CNI DEL first) and answers a `failed` pod with the reason; only a bad
spec, a name in use and cancellation are thrown.
*/
import {EngineError, toEngineError, validationError} from '../errors.js';
import {BcsPod} from '../pod/bcs-pod.js';
import type {PodEventHandler} from '../pod/pod-config.js';
import {podConfigFromSpec} from '../pod/new-pod.js';
import {specHash} from '../pod/spec/hash.js';
import {validatePodSpec} from '../pod/spec/validate.js';
import type {PodSpec} from '../pod/spec-types.js';
import {uploadFiles} from '../pod/upload-files.js';
import type {ApplyResult, CreatePodOptions, PodResult} from './engine.js';
import {signalOption, type EngineContext} from './context.js';
import {concludeStart, neverPolicyDeps} from './never-policy.js';
import {removePod} from './pod-stop.js';
import {waitPod} from './wait-pod.js';

/** Validates `spec` as a whole; throws VALIDATION listing every issue. */
export function checkedSpec(spec: unknown): PodSpec {
  const result = validatePodSpec(spec);
  if ('issues' in result) throw validationError(result.issues, 'pod spec');
  return result.spec;
}

/** The engine's PreStart (the seed's executor registered only this one): write the container's `files`. */
function filesHandler(ctx: EngineContext, signal: AbortSignal | undefined): PodEventHandler {
  return {
    preStart: async (task) => {
      const id = task.runtimeConf?.id ?? '';
      const files = task.bcsMessages ?? [];
      if (files.length === 0) return;
      if (id === '' || task.runtimeConf?.status !== 'created') {
        throw new EngineError(
          'INVALID_STATE',
          `container ${task.name} is not freshly created, cannot write its files`,
        );
      }
      await uploadFiles(ctx.runtime, id, files, signalOption(signal));
    },
  };
}

function isCancel(error: EngineError, signal: AbortSignal | undefined): boolean {
  return error.code === 'CANCELLED' || signal?.aborted === true;
}

/** Creates (and by default starts) the pod of `input`; see the module comment for what is thrown and what is answered. */
export async function createPod(
  ctx: EngineContext,
  input: PodSpec,
  options: CreatePodOptions = {},
): Promise<PodResult> {
  const spec = checkedSpec(input);
  const {signal} = options;
  await ctx.sync(signal);
  const {tracker} = ctx;
  if (tracker.busy(spec.name) || tracker.snapshot(spec.name) !== undefined) {
    throw new EngineError('ALREADY_EXISTS', `pod ${spec.name} already exists`, {
      details: {resource: 'pod', ref: spec.name},
    });
  }
  tracker.beginCreate(spec);
  ctx.activity.add({level: 'info', source: 'user', pod: spec.name, message: `creating pod ${spec.name}`});
  const config = podConfigFromSpec(spec, filesHandler(ctx, signal), {
    runtime: ctx.runtime,
    cni: ctx.cni,
    nodeIp: ctx.nodeIp,
    now: () => ctx.clock.now(),
    onProgress: options.onProgress,
  });
  const pod = new BcsPod(config, {autostart: options.start !== false, ...signalOption(signal)});
  let failure: EngineError | undefined;
  try {
    await pod.init();
    tracker.setOverlay(spec.name, {status: 'starting', message: 'starting'});
    await pod.start();
  } catch (error) {
    failure = toEngineError(error);
  }
  const ids = [pod.infraId, ...pod.appIds.values()].filter((id) => id !== '');
  if (failure === undefined && config.network.driver === 'cni')
    ctx.podIps.set(spec.name, await pod.getIPAddr());
  await ctx.refreshPod(spec.name, ids).catch(() => undefined);
  // The rollback removed what the build made, and no longer knows its ids: a resync, rather than the removals'
  // events, tells the cache before the failure is answered, so a read right after it finds nothing.
  if (failure !== undefined) await ctx.sync().catch(() => undefined);
  if (failure === undefined && options.start !== false) {
    // Still marked busy: an app that already exited fails the pod, and the create stops the others itself.
    await concludeStart(neverPolicyDeps(ctx), spec.name, undefined).catch(() => undefined);
  }
  tracker.endCreate(spec.name);
  if (failure !== undefined) {
    if (isCancel(failure, signal))
      throw new EngineError('CANCELLED', `creating pod ${spec.name} was cancelled; nothing was left`, {
        cause: failure,
      });
    if (failure.code === 'ALREADY_EXISTS') throw failure;
    ctx.activity.add({
      level: 'error',
      source: 'engine',
      pod: spec.name,
      message: `creating pod ${spec.name} failed: ${failure.message}`,
    });
    return {changed: false, pod: tracker.failedView(spec, failure.message)};
  }
  ctx.activity.add({level: 'info', source: 'engine', pod: spec.name, message: `created pod ${spec.name}`});
  if (options.wait !== undefined && options.start !== false) {
    const view = await waitPod(ctx, spec.name, {
      condition: options.wait,
      ...(options.timeoutMs === undefined ? {} : {timeoutMs: options.timeoutMs}),
      ...signalOption(signal),
    });
    return {changed: true, pod: view};
  }
  const view = tracker.view(spec.name);
  return {
    changed: true,
    pod: view ?? tracker.failedView(spec, 'the pod disappeared right after it was created'),
  };
}

/** Creates the pod, recreates it when its spec hash differs, or leaves it as it is. */
export async function applyPod(
  ctx: EngineContext,
  input: PodSpec,
  options: CreatePodOptions = {},
): Promise<ApplyResult> {
  const spec = checkedSpec(input);
  await ctx.sync(options.signal);
  const existing = ctx.tracker.view(spec.name);
  if (existing === undefined) return {...(await createPod(ctx, spec, options)), action: 'created'};
  if (existing.specHash === specHash(spec)) return {changed: false, pod: existing, action: 'unchanged'};
  await removePod(ctx, spec.name, {force: false, ...signalOption(options.signal)});
  return {...(await createPod(ctx, spec, options)), action: 'recreated'};
}
