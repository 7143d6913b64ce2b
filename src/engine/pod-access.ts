/**
What every pod operation of the engine starts from: the pod's snapshot after a sync, its view afterwards, and
the in-process overlay (`starting`, `killing`) shown while the operation runs.
*/
import {EngineError} from '../errors.js';
import type {ContainerDetails} from '../runtime/port.js';
import type {EngineContext} from './context.js';
import {allIds} from './pod-members.js';
import {resolvePodName} from './refs.js';
import type {PodView} from './types.js';
import type {Overlay, PodSnapshot} from './views.js';

const UP = new Set(['running', 'paused', 'restarting']);

/** Running, paused or restarting: the process is (or is about to be) there. */
export function isUp(details: ContainerDetails | undefined): boolean {
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
export async function withOverlay<T>(
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
    // What the work removed is already out of the cache: no inspect to hear it is gone.
    const known = allIds(snapshot).filter((id) => ctx.cache.get(id) !== undefined);
    await ctx.refreshPod(snapshot.name, known).catch(() => undefined);
    ctx.tracker.setOverlay(snapshot.name, undefined);
  }
}

/** The pod's view now; NOT_FOUND when it is gone. */
export function viewOf(ctx: EngineContext, name: string): PodView {
  const view = ctx.tracker.view(name);
  if (view === undefined)
    throw new EngineError('NOT_FOUND', `pod ${name} is gone`, {details: {resource: 'pod', ref: name}});
  return view;
}
