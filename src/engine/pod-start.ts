/**
Starting pods: the apps' Docker restart policy put back (a deliberate stop withdrew it), the infra started and,
for cni, the new netns attached again with the pod's address, then every app not running in spec order.
*/
import {EngineError} from '../errors.js';
import {cniAdd} from '../network/cni/cni-network.js';
import {appRestartPolicy} from '../pod/create-specs.js';
import {readCniLabels} from '../pod/labels.js';
import {netnsPathOf} from '../pod/pod-ops.js';
import type {PodResult, Signal} from './engine.js';
import {signalOption, type EngineContext} from './context.js';
import {concludeStart, neverPolicyDeps} from './never-policy.js';
import {isUp, podSnapshot, viewOf, withOverlay} from './pod-access.js';
import {allIds} from './pod-members.js';
import {stopPod, teardownNetwork} from './pod-stop.js';
import {appSlots, podIpOf, restartPolicyOf, type PodSnapshot} from './views.js';
import {waitPod} from './wait-pod.js';

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

/** Starts the pod (infra, network, then the apps in spec order), optionally waiting until it runs or is healthy. */
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
    // The start wins over every reaction to what came before it (this engine's, and the supervisor's if
    // another engine supervises): none pending, the one under way stopped, none until the start is done.
    const release = await ctx.holdReactions(snapshot.name, signal);
    try {
      // What those reactions did before they stopped is part of what this start finds.
      await ctx.sync(signal);
      const found = ctx.tracker.snapshot(snapshot.name) ?? snapshot;
      await restorePolicies(ctx, found, signal);
      let started = await startInfra(ctx, found, signal);
      for (const slot of appSlots(found)) {
        if (slot.details === undefined || isUp(slot.details)) continue;
        const result = await ctx.runtime.startContainer(slot.details.id, signalOption(signal));
        started ||= result.changed;
      }
      await ctx.refreshPod(found.name, allIds(found));
      await concludeStart(neverPolicyDeps(ctx), found.name, found);
      return started;
    } finally {
      release();
    }
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

/** Stops the pod on purpose, then starts it. */
export async function restartPod(
  ctx: EngineContext,
  ref: string,
  options: Signal & {readonly graceSeconds?: number} = {},
): Promise<PodResult> {
  const stopped = await stopPod(ctx, ref, options);
  await startPod(ctx, stopped.pod.name, signalOption(options.signal));
  return {changed: true, pod: viewOf(ctx, stopped.pod.name)};
}
