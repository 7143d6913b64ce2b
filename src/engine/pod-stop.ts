/**
Stopping pods on purpose: apps in reverse spec order with their kill policies (their Docker restart policy
withdrawn first, so no process brings them back), CNI DEL, then SIGKILL of the infra, whose exit code 137 every
process reads as "stopped deliberately". Kill (SIGKILL) is the same without grace; remove stops first.
*/
import {isEngineError} from '../errors.js';
import {cniDel} from '../network/cni/cni-network.js';
import {readCniLabels} from '../pod/labels.js';
import {
  cleanupSignal,
  cniTeardown,
  killInfra,
  removePodContainers,
  stopApps,
  withdrawRestartPolicies,
} from '../pod/pod-ops.js';
import type {PodResult, RemoveResult, Signal} from './engine.js';
import {signalOption, type EngineContext} from './context.js';
import {isUp, podSnapshot, viewOf, withOverlay} from './pod-access.js';
import {allIds, stopMembers} from './pod-members.js';
import type {PodSnapshot} from './views.js';

/** CNI DEL for a cni pod, from its infra's labels; nothing for a Docker network. */
export async function teardownNetwork(ctx: EngineContext, snapshot: PodSnapshot): Promise<void> {
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

/** The members whose Docker restart policy could still bring them back (anything but `no`). */
function restartingIds(snapshot: PodSnapshot, members: readonly {readonly id: string}[]): string[] {
  return members.flatMap((member) => {
    const details = snapshot.apps.find((app) => app.id === member.id);
    // Unknown (no details in the cache): withdraw it to be sure.
    if (details === undefined) return [member.id];
    const policy: string = details.host.restartPolicy?.name ?? '';
    return policy === '' || policy === 'no' ? [] : [member.id];
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
  // A policy already `no` (every Never pod's, every app stopped on purpose before) needs no update call.
  await withdrawRestartPolicies(ctx.runtime, restartingIds(snapshot, members), options.signal);
  const {infra} = snapshot;
  const infraDown = async (): Promise<void> => {
    await teardownNetwork(ctx, snapshot);
    if (infra !== undefined) await killInfra(ctx.runtime, infra.id, options.signal);
  };
  if (options.kill === true) {
    for (const member of [...members].reverse()) {
      const details = snapshot.apps.find((app) => app.id === member.id);
      if (isUp(details)) await killInfra(ctx.runtime, member.id, options.signal);
    }
    await infraDown();
  } else {
    // The infra goes as soon as the last app's process is gone, while Docker finishes stopping that app.
    await stopApps(ctx.runtime, members, {
      graceSeconds: options.graceSeconds,
      signal: options.signal,
      afterExit: infraDown,
    });
  }
  return running;
}

/** Stops the pod on purpose (each app's kill policy, or `graceSeconds` for all); a stopped pod is `{changed: false}`. */
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
    // A pod already down (the usual stop, then remove) only needs its network released before the removes.
    const down = !snapshot.apps.some(isUp) && !isUp(snapshot.infra);
    if (down) await teardownNetwork(ctx, snapshot);
    else await stopAll(ctx, snapshot, {kill: options.force === true, signal: options.signal});
    const ids = allIds(snapshot);
    const gone = await removePodContainers(
      ctx.runtime,
      ids.filter((id) => id !== snapshot.infra?.id),
      snapshot.infra?.id,
      cleanupSignal(),
    );
    await Promise.all(gone.map((id) => ctx.cache.removed(id)));
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
