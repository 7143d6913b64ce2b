/**
Container operations by ref (id or unique prefix, Docker name, `POD/CONTAINER`). Stopping or killing an app
through the engine is deliberate: its Docker restart policy is withdrawn first, so neither Docker nor any
engine brings it back; starting it puts the pod's policy back.
*/
import {stopWithDeadline} from '../container/stop-deadline.js';
import {EngineError} from '../errors.js';
import {appRestartPolicy} from '../pod/create-specs.js';
import {withdrawRestartPolicies} from '../pod/pod-ops.js';
import {SECRET_MASK} from '../pod/spec/mask.js';
import type {ContainerDetails} from '../runtime/port.js';
import {inspectToBcsInfo} from '../task/from-inspect.js';
import type {BcsContainerInfo} from '../task/types.js';
import type {Signal} from './engine.js';
import {readCache, signalOption, type EngineContext} from './context.js';
import {graceOf} from './pod-members.js';
import {resolveMember, type ResolvedMember} from './refs.js';
import {secretKeysOf} from './secret-env.js';
import type {ContainerView} from './types.js';
import {podIpOf, restartPolicyOf} from './views.js';

/** Resolves a container ref after a sync. */
export async function resolveContainer(
  ctx: EngineContext,
  ref: string,
  signal?: AbortSignal,
): Promise<ResolvedMember> {
  await ctx.sync(signal);
  return resolveMember(ctx.cache, ref);
}

function viewOf(ctx: EngineContext, id: string): ContainerView {
  const view = ctx.tracker.containerView(id);
  if (view === undefined)
    throw new EngineError('NOT_FOUND', `container ${id} is gone`, {
      details: {resource: 'container', ref: id},
    });
  return view;
}

async function refreshed(ctx: EngineContext, resolved: ResolvedMember): Promise<void> {
  await ctx.refreshPod(resolved.member.pod, [resolved.details.id]);
}

/** The view of the container `ref` names. */
export async function getContainer(
  ctx: EngineContext,
  ref: string,
  options: Signal = {},
): Promise<ContainerView> {
  // A read: served from the cache while the event stream keeps it current.
  return readCache(ctx, options.signal, () => viewOf(ctx, resolveMember(ctx.cache, ref).details.id));
}

/** Every existing container of every pod (or of `options.pod`), infra first in each pod. */
export async function listContainers(
  ctx: EngineContext,
  options: Signal & {readonly pod?: string} = {},
): Promise<ContainerView[]> {
  await ctx.current(options.signal);
  const pods =
    options.pod === undefined
      ? ctx.tracker.views()
      : [ctx.tracker.view(options.pod)].flatMap((view) => (view === undefined ? [] : [view]));
  return pods.flatMap((pod) => [pod.infra, ...pod.containers].filter((container) => container.id !== ''));
}

/** Docker's inspect, with the values of the pod's secret env keys masked (all of them when no spec says which). */
export async function inspectContainer(
  ctx: EngineContext,
  ref: string,
  options: Signal = {},
): Promise<ContainerDetails> {
  const resolved = await resolveContainer(ctx, ref, options.signal);
  const details = await ctx.runtime.inspectContainer(resolved.details.id, signalOption(options.signal));
  // Nothing says which values are secret (no spec known, no record on the container): none is shown.
  const secret = secretKeysOf(ctx.tracker.snapshot(resolved.member.pod)?.spec, details.labels);
  const env = details.config.env.map((entry) => {
    const key = entry.includes('=') ? entry.slice(0, entry.indexOf('=')) : entry;
    return secret === undefined || secret.has(key) ? `${key}=${SECRET_MASK}` : entry;
  });
  return {...details, config: {...details.config, env}};
}

/** The seed's BcsContainerInfo: with the node and pod addresses and the engine's health verdict. */
export async function inspectContainerBcs(
  ctx: EngineContext,
  ref: string,
  options: Signal = {},
): Promise<BcsContainerInfo> {
  const resolved = await resolveContainer(ctx, ref, options.signal);
  const details = await ctx.runtime.inspectContainer(resolved.details.id, signalOption(options.signal));
  const snapshot = ctx.tracker.snapshot(resolved.member.pod);
  const view = ctx.tracker.containerView(details.id);
  const health = ctx.health.view(details.id);
  const info = inspectToBcsInfo(details);
  const ip =
    snapshot === undefined
      ? ''
      : podIpOf(snapshot, {
          health: () => null,
          extraRestarts: () => 0,
          knownPodIp: (pod) => ctx.podIps.get(pod),
        });
  return {
    ...info,
    nodeAddress: ctx.nodeIp,
    ipAddress: ip,
    ...(health === null
      ? {}
      : {
          healthy: view?.healthy !== false,
          isChecked: health.totalChecks > 0,
          consecutiveFailureTimes: health.consecutiveFailures,
        }),
  };
}

/** Starts a container; an app gets its pod's Docker restart policy back first. */
export async function startContainer(
  ctx: EngineContext,
  ref: string,
  options: Signal = {},
): Promise<{readonly changed: boolean}> {
  const resolved = await resolveContainer(ctx, ref, options.signal);
  // A start wins over a reaction to an exit before it (Never's "stop the others" would undo it).
  const release = await ctx.holdReactions(resolved.member.pod, options.signal);
  try {
    return await startMember(ctx, resolved, options);
  } finally {
    release();
  }
}

async function startMember(
  ctx: EngineContext,
  resolved: ResolvedMember,
  options: Signal,
): Promise<{readonly changed: boolean}> {
  const {details, member} = resolved;
  if (member.role === 'app') {
    const wanted = appRestartPolicy(
      restartPolicyOf(
        ctx.tracker.snapshot(member.pod) ?? {name: member.pod, infra: undefined, apps: [], spec: undefined},
      ),
    );
    if (details.host.restartPolicy?.name !== wanted.name) {
      await ctx.runtime.updateContainer(details.id, {restartPolicy: wanted}, signalOption(options.signal));
    }
  }
  const {changed} = await ctx.runtime.startContainer(details.id, signalOption(options.signal));
  ctx.activity.add({
    level: 'info',
    source: 'user',
    pod: member.pod,
    container: member.container,
    message: `started ${member.pod}/${member.container}`,
  });
  await refreshed(ctx, resolved);
  return {changed};
}

/** Stops a container on purpose (an app's restart policy withdrawn first), with its kill policy unless `graceSeconds`. */
export async function stopContainer(
  ctx: EngineContext,
  ref: string,
  options: Signal & {readonly graceSeconds?: number} = {},
): Promise<{readonly changed: boolean}> {
  const resolved = await resolveContainer(ctx, ref, options.signal);
  const {details, member} = resolved;
  if (member.role === 'app') await withdrawRestartPolicies(ctx.runtime, [details.id], options.signal);
  const spec = ctx.tracker.snapshot(member.pod)?.spec;
  const grace = options.graceSeconds ?? (member.role === 'infra' ? 0 : graceOf(spec, member.container));
  const {changed} = await stopWithDeadline(ctx.runtime, details.id, {
    timeoutSeconds: Math.max(0, Math.round(grace)),
    ...signalOption(options.signal),
  });
  ctx.activity.add({
    level: 'info',
    source: 'user',
    pod: member.pod,
    container: member.container,
    message: `stopped ${member.pod}/${member.container}`,
  });
  await refreshed(ctx, resolved);
  return {changed};
}

/** Restarts a container (Docker's restart, with its kill policy) and starts its health check over. */
export async function restartContainer(
  ctx: EngineContext,
  ref: string,
  options: Signal & {readonly graceSeconds?: number} = {},
): Promise<{readonly changed: boolean}> {
  const resolved = await resolveContainer(ctx, ref, options.signal);
  const {details, member} = resolved;
  const spec = ctx.tracker.snapshot(member.pod)?.spec;
  const grace = options.graceSeconds ?? (member.role === 'infra' ? 0 : graceOf(spec, member.container));
  const release = await ctx.holdReactions(member.pod, options.signal);
  try {
    await ctx.runtime.restartContainer(details.id, {
      timeoutSeconds: Math.max(0, Math.round(grace)),
      ...signalOption(options.signal),
    });
  } finally {
    release();
  }
  ctx.health.reset(details.id);
  ctx.activity.add({
    level: 'info',
    source: 'user',
    pod: member.pod,
    container: member.container,
    message: `restarted ${member.pod}/${member.container}`,
  });
  await refreshed(ctx, resolved);
  return {changed: true};
}

/** Sends a signal (default SIGKILL, then the app's restart policy is withdrawn); not running: `{changed: false}`. */
export async function killContainer(
  ctx: EngineContext,
  ref: string,
  options: Signal & {readonly killSignal?: string | number} = {},
): Promise<{readonly changed: boolean}> {
  const resolved = await resolveContainer(ctx, ref, options.signal);
  const {details, member} = resolved;
  const killSignal = options.killSignal ?? 'SIGKILL';
  if (details.state.status !== 'running') return {changed: false};
  if (member.role === 'app' && /^(SIG)?KILL$|^9$/i.test(String(killSignal))) {
    await withdrawRestartPolicies(ctx.runtime, [details.id], options.signal);
  }
  await ctx.runtime.killContainer(details.id, killSignal, signalOption(options.signal));
  ctx.activity.add({
    level: 'info',
    source: 'user',
    pod: member.pod,
    container: member.container,
    message: `sent ${killSignal} to ${member.pod}/${member.container}`,
  });
  await refreshed(ctx, resolved);
  return {changed: true};
}

/** Removes one container (a pod member removed this way fails its pod); gone already: `{changed: false}`. */
export async function removeContainer(
  ctx: EngineContext,
  ref: string,
  options: Signal & {readonly force?: boolean} = {},
): Promise<{readonly changed: boolean}> {
  let resolved: ResolvedMember;
  try {
    resolved = await resolveContainer(ctx, ref, options.signal);
  } catch (error) {
    if (error instanceof EngineError && error.code === 'NOT_FOUND') return {changed: false};
    throw error;
  }
  const {details, member} = resolved;
  const {changed} = await ctx.runtime.removeContainer(details.id, {
    force: options.force === true,
    ...signalOption(options.signal),
  });
  ctx.restarts.forget(details.id);
  ctx.activity.add({
    level: 'info',
    source: 'user',
    pod: member.pod,
    container: member.container,
    message: `removed ${member.pod}/${member.container}`,
  });
  await refreshed(ctx, resolved);
  return {changed};
}
