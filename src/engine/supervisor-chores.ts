/**
What the supervising engine does beyond the restart policy, on pods nobody is operating on: the crash rule (a
pod half-created by a process that is gone is rolled back, docs/pods.md "Creation, rollback and crashes") and
the CNI DEL of a cni pod whose infra was removed behind the engine's back. Observers leave both alone.
*/
import {toEngineError} from '../errors.js';
import {cniDel} from '../network/cni/cni-network.js';
import type {CreatorId} from '../pod/creator.js';
import {readCniLabels, readMemberLabels} from '../pod/labels.js';
import {cniTeardown} from '../pod/pod-ops.js';
import type {ContainerDetails} from '../runtime/port.js';
import type {EngineContext} from './context.js';
import {halfCreatedDecision} from './half-created.js';
import {rollBackPod} from './rollback-pod.js';

/** Rolls back every half-created pod whose creator is gone (or that is too old), one after the other. */
export async function applyCrashRule(
  ctx: EngineContext,
  isCreatorAlive: ((id: CreatorId) => boolean) | undefined,
): Promise<void> {
  const {tracker} = ctx;
  for (const name of ctx.cache.pods()) {
    const snapshot = tracker.snapshot(name);
    if (snapshot === undefined || tracker.busy(name) || !ctx.supervising()) continue;
    const decision = halfCreatedDecision(snapshot, ctx.clock.now(), isCreatorAlive);
    if (!decision.rollback) continue;
    ctx.activity.add({
      level: 'warn',
      source: 'engine',
      pod: name,
      message: `rolling back half-created pod ${name}: ${decision.reason}`,
    });
    await rollBackPod(ctx, snapshot).catch((error: unknown) => {
      ctx.activity.add({
        level: 'error',
        source: 'engine',
        pod: name,
        message: `rolling back ${name} failed: ${toEngineError(error).message}`,
      });
    });
  }
}

/** Whether `previous` (a container just removed) is a cni pod's infra, whose CNI DEL is the supervisor's. */
function needsRelease(previous: ContainerDetails): boolean {
  return readCniLabels(previous.labels) !== undefined && readMemberLabels(previous.labels)?.role === 'infra';
}

/**
The cni infras removed while this engine observed (the last `windowMs` of them): when it takes over, it runs
their CNI DEL, in case no supervisor was there to.
*/
export class UnattendedRemovals {
  readonly #windowMs: number;
  #entries: {readonly pod: string; readonly previous: ContainerDetails; readonly at: number}[] = [];

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  add(pod: string, previous: ContainerDetails, now: number): void {
    if (!needsRelease(previous)) return;
    this.#entries = [
      ...this.#entries.filter((entry) => now - entry.at <= this.#windowMs),
      {pod, previous, at: now},
    ];
  }

  /** The recent ones, forgotten here. */
  take(now: number): {readonly pod: string; readonly previous: ContainerDetails}[] {
    const recent = this.#entries.filter((entry) => now - entry.at <= this.#windowMs);
    this.#entries = [];
    return recent;
  }
}

/**
A cni pod's infra removed behind the engine's back (`docker rm -f`) never got its CNI DEL: run it from the
labels, so the IP lease and the host links are released. DEL is idempotent, so an engine's own removal (which
already ran it) or a second engine running it changes nothing.
*/
export async function releaseNetwork(
  ctx: EngineContext,
  pod: string,
  previous: ContainerDetails,
): Promise<void> {
  const cni = readCniLabels(previous.labels);
  if (cni === undefined || !needsRelease(previous)) return;
  if (ctx.tracker.busy(pod) || !ctx.supervising()) return;
  try {
    await cniTeardown(ctx.cni?.del ?? cniDel, {
      infraId: previous.id,
      infraPid: 0,
      cni,
      pluginDirs: ctx.cni?.pluginDirs,
      timeoutMs: ctx.cni?.timeoutMs,
    });
    ctx.activity.add({
      level: 'info',
      source: 'engine',
      pod,
      message: `released the CNI network ${cni.network} of removed pod ${pod}`,
    });
  } catch (error) {
    ctx.activity.add({
      level: 'warn',
      source: 'engine',
      pod,
      message: `CNI DEL for removed pod ${pod} failed: ${toEngineError(error).message}`,
    });
  }
}
