/**
Pod operations on pods any process created, from their labels and Docker state: start (spec order, the infra
first and, for cni, the network attached again), stop (apps in reverse with their kill policies, CNI DEL, then
SIGKILL of the infra: the 137 mark), kill, restart, remove (stopped first), resources. Each shows the pod as
`starting`/`killing` in this process while it runs and answers the pod's view afterwards.
*/
import {EngineError, isEngineError} from '../errors.js';
import {cniAdd, cniDel} from '../network/cni/cni-network.js';
import {appRestartPolicy} from '../pod/create-specs.js';
import {readCniLabels} from '../pod/labels.js';
import {
  cleanupSignal,
  cniTeardown,
  killInfra,
  netnsPathOf,
  removeContainers,
  stopApps,
  withdrawRestartPolicies,
} from '../pod/pod-ops.js';
import type {ContainerDetails} from '../runtime/port.js';
import {taskResourcesToUpdate} from '../task/update-resources.js';
import type {TaskResources} from '../task/types.js';
import type {PodResult, RemoveResult, Signal} from './engine.js';
import {signalOption, type EngineContext} from './context.js';
import {allIds, stopMembers} from './pod-members.js';
import {resolvePodName} from './refs.js';
import type {PodView} from './types.js';
import {appSlots, podIpOf, restartPolicyOf, type Overlay, type PodSnapshot} from './views.js';
import {waitPod} from './wait-pod.js';

const UP = new Set(['running', 'paused', 'restarting']);

function isUp(details: ContainerDetails | undefined): boolean {
  return details !== undefined && UP.has(details.state.status);
}

/** Resolves `ref` after a sync and returns the pod's snapshot. */
export async function podSnapshot(
  ctx: EngineContext,
  ref: string,
  signal?: AbortSignal,
): Promise<PodSnapshot> {
  await ctx.sync(signal);
  const name = resolvePodName(ctx.cache, ref);
  const snapshot = ctx.tracker.snapshot(name);
  if (snapshot === undefined)
    throw new EngineError('NOT_FOUND', `no pod ${JSON.stringify(ref)}`, {details: {resource: 'pod', ref}});
  return snapshot;
}

/** Runs `work` with the pod shown as `overlay` in this process; refreshes the pod afterwards. */
async function withOverlay<T>(
  ctx: EngineContext,
  snapshot: PodSnapshot,
  overlay: Overlay,
  work: () => Promise<T>,
): Promise<T> {
  if (ctx.tracker.busy(snapshot.name)) {
    throw new EngineError(
      'INVALID_STATE',
      `pod ${snapshot.name} is busy with another operation of this engine`,
      {
        details: {resource: 'pod', ref: snapshot.name},
      },
    );
  }
  ctx.tracker.setOverlay(snapshot.name, overlay);
  try {
    return await work();
  } finally {
    await ctx.refreshPod(snapshot.name, allIds(snapshot)).catch(() => undefined);
    ctx.tracker.setOverlay(snapshot.name, undefined);
    ctx.restarts.evaluate(snapshot.name);
  }
}

function viewOf(ctx: EngineContext, name: string): PodView {
  const view = ctx.tracker.view(name);
  if (view === undefined)
    throw new EngineError('NOT_FOUND', `pod ${name} is gone`, {details: {resource: 'pod', ref: name}});
  return view;
}

async function teardownNetwork(ctx: EngineContext, snapshot: PodSnapshot): Promise<void> {
  const {infra} = snapshot;
  const cni = readCniLabels(infra?.labels ?? {});
  if (infra === undefined || cni === undefined) return;
  await cniTeardown(ctx.cni?.del ?? cniDel, {
    infraId: infra.id,
    infraPid: infra.state.pid,
    cni,
    pluginDirs: ctx.cni?.pluginDirs,
    timeoutMs: ctx.cni?.timeoutMs,
  });
}

/** Stops a pod on purpose: apps (policies withdrawn) in reverse, CNI DEL, then SIGKILL of the infra. */
async function stopAll(
  ctx: EngineContext,
  snapshot: PodSnapshot,
  options: {graceSeconds?: number | undefined; kill?: boolean; signal?: AbortSignal | undefined},
): Promise<boolean> {
  const members = stopMembers(snapshot);
  const running = snapshot.apps.some(isUp) || isUp(snapshot.infra);
  if (options.kill === true) {
    await withdrawRestartPolicies(
      ctx.runtime,
      members.map((member) => member.id),
      options.signal,
    );
    for (const member of [...members].reverse()) {
      const details = snapshot.apps.find((app) => app.id === member.id);
      if (isUp(details)) await killInfra(ctx.runtime, member.id, options.signal);
    }
  } else {
    await stopApps(ctx.runtime, members, {
      graceSeconds: options.graceSeconds,
      withdrawRestartPolicy: true,
      signal: options.signal,
    });
  }
  await teardownNetwork(ctx, snapshot);
  if (snapshot.infra !== undefined) await killInfra(ctx.runtime, snapshot.infra.id, options.signal);
  return running;
}

export async function stopPod(
  ctx: EngineContext,
  ref: string,
  options: Signal & {readonly graceSeconds?: number} = {},
): Promise<PodResult> {
  const snapshot = await podSnapshot(ctx, ref, options.signal);
  ctx.activity.add({
    level: 'info',
    source: 'user',
    pod: snapshot.name,
    message: `stopping pod ${snapshot.name}`,
  });
  const changed = await withOverlay(ctx, snapshot, {status: 'killing', message: 'stopping'}, () =>
    stopAll(ctx, snapshot, {graceSeconds: options.graceSeconds, signal: options.signal}),
  );
  ctx.activity.add({
    level: 'info',
    source: 'engine',
    pod: snapshot.name,
    message: `stopped pod ${snapshot.name}`,
  });
  return {changed, pod: viewOf(ctx, snapshot.name)};
}

function isSigkill(signal: string | number): boolean {
  return signal === 9 || /^(SIG)?KILL$/i.test(String(signal)) || String(signal) === '9';
}

/** SIGKILL (the default) kills the whole pod like a stop without grace; another signal is sent to the apps only. */
export async function killPod(
  ctx: EngineContext,
  ref: string,
  options: Signal & {readonly killSignal?: string | number} = {},
): Promise<PodResult> {
  const snapshot = await podSnapshot(ctx, ref, options.signal);
  const killSignal = options.killSignal ?? 'SIGKILL';
  ctx.activity.add({
    level: 'info',
    source: 'user',
    pod: snapshot.name,
    message: `killing pod ${snapshot.name} with ${killSignal}`,
  });
  if (isSigkill(killSignal)) {
    const changed = await withOverlay(ctx, snapshot, {status: 'killing', message: 'killing'}, () =>
      stopAll(ctx, snapshot, {kill: true, signal: options.signal}),
    );
    return {changed, pod: viewOf(ctx, snapshot.name)};
  }
  let changed = false;
  for (const member of [...stopMembers(snapshot)].reverse()) {
    if (!isUp(snapshot.apps.find((app) => app.id === member.id))) continue;
    await ctx.runtime.killContainer(member.id, killSignal, signalOption(options.signal));
    changed = true;
  }
  await ctx.refreshPod(snapshot.name, allIds(snapshot));
  return {changed, pod: viewOf(ctx, snapshot.name)};
}

/** Puts back the apps' Docker restart policy that a deliberate stop withdrew. */
async function restorePolicies(
  ctx: EngineContext,
  snapshot: PodSnapshot,
  signal?: AbortSignal,
): Promise<void> {
  const wanted = appRestartPolicy(restartPolicyOf(snapshot));
  await Promise.all(
    snapshot.apps
      .filter((app) => app.host.restartPolicy?.name !== wanted.name)
      .map((app) => ctx.runtime.updateContainer(app.id, {restartPolicy: wanted}, signalOption(signal))),
  );
}

/** Starts a stopped infra and, for cni, attaches the new netns again with the pod's IP. */
async function startInfra(ctx: EngineContext, snapshot: PodSnapshot, signal?: AbortSignal): Promise<boolean> {
  const {infra} = snapshot;
  if (infra === undefined)
    throw new EngineError(
      'INVALID_STATE',
      `pod ${snapshot.name} has no infra container; remove and create it again`,
    );
  if (isUp(infra)) return false;
  const previousIp = podIpOf(snapshot, {
    health: () => null,
    extraRestarts: () => 0,
    knownPodIp: (pod) => ctx.podIps.get(pod),
  });
  await teardownNetwork(ctx, snapshot).catch(() => undefined);
  await ctx.runtime.startContainer(infra.id, signalOption(signal));
  const cni = readCniLabels(infra.labels);
  if (cni === undefined) return true;
  const details = await ctx.runtime.inspectContainer(infra.id, signalOption(signal));
  const ip = cni.ip ?? (previousIp === '' ? undefined : previousIp);
  const result = await (ctx.cni?.add ?? cniAdd)({
    network: cni.network,
    containerId: infra.id,
    netnsPath: netnsPathOf(details.state.pid),
    ifName: cni.ifName,
    confDir: cni.confDir,
    ...(ip === undefined ? {} : {ip}),
    ...(cni.egressMbps === undefined ? {} : {egressMbps: cni.egressMbps}),
    ...(ctx.cni?.pluginDirs === undefined ? {} : {pluginDirs: ctx.cni.pluginDirs}),
    ...signalOption(signal),
  });
  ctx.podIps.set(snapshot.name, result.podIP);
  return true;
}

export async function startPod(
  ctx: EngineContext,
  ref: string,
  options: Signal & {readonly wait?: 'running' | 'healthy'; readonly timeoutMs?: number} = {},
): Promise<PodResult> {
  const {signal} = options;
  const snapshot = await podSnapshot(ctx, ref, signal);
  ctx.activity.add({
    level: 'info',
    source: 'user',
    pod: snapshot.name,
    message: `starting pod ${snapshot.name}`,
  });
  const changed = await withOverlay(ctx, snapshot, {status: 'starting', message: 'starting'}, async () => {
    await restorePolicies(ctx, snapshot, signal);
    let started = await startInfra(ctx, snapshot, signal);
    for (const slot of appSlots(snapshot)) {
      if (slot.details === undefined || isUp(slot.details)) continue;
      const result = await ctx.runtime.startContainer(slot.details.id, signalOption(signal));
      started ||= result.changed;
    }
    return started;
  });
  if (options.wait !== undefined) {
    const view = await waitPod(ctx, snapshot.name, {
      condition: options.wait,
      ...(options.timeoutMs === undefined ? {} : {timeoutMs: options.timeoutMs}),
      ...signalOption(signal),
    });
    return {changed, pod: view};
  }
  return {changed, pod: viewOf(ctx, snapshot.name)};
}

export async function restartPod(
  ctx: EngineContext,
  ref: string,
  options: Signal & {readonly graceSeconds?: number} = {},
): Promise<PodResult> {
  const stopped = await stopPod(ctx, ref, options);
  await startPod(ctx, stopped.pod.name, signalOption(options.signal));
  return {changed: true, pod: viewOf(ctx, stopped.pod.name)};
}

/**
Stops (SIGKILL when `force`, else gracefully), detaches the network, and removes every container of the pod.
A pod that does not exist is `{changed: false}`.
*/
export async function removePod(
  ctx: EngineContext,
  ref: string,
  options: Signal & {readonly force?: boolean} = {},
): Promise<RemoveResult> {
  let snapshot: PodSnapshot;
  try {
    snapshot = await podSnapshot(ctx, ref, options.signal);
  } catch (error) {
    if (isEngineError(error) && error.code === 'NOT_FOUND')
      return {changed: false, name: ref, removedContainers: []};
    throw error;
  }
  ctx.activity.add({
    level: 'info',
    source: 'user',
    pod: snapshot.name,
    message: `removing pod ${snapshot.name}`,
  });
  const removed = await withOverlay(ctx, snapshot, {status: 'killing', message: 'removing'}, async () => {
    await stopAll(ctx, snapshot, {kill: options.force === true, signal: options.signal});
    const ids = allIds(snapshot);
    const gone = await removeContainers(ctx.runtime, ids, cleanupSignal());
    for (const id of ids) ctx.restarts.forget(id);
    return gone;
  });
  ctx.podIps.delete(snapshot.name);
  const names = [snapshot.infra, ...snapshot.apps].flatMap((details) =>
    details !== undefined && removed.includes(details.id) ? [details.name] : [],
  );
  ctx.activity.add({
    level: 'info',
    source: 'engine',
    pod: snapshot.name,
    message: `removed pod ${snapshot.name}`,
  });
  return {changed: removed.length > 0, name: snapshot.name, removedContainers: names};
}

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
