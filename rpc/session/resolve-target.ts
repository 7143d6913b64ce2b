/** A ref that may name a pod or a container (logs and stats subscriptions take either). */
import {EngineError, isEngineError, type ContainerView, type Engine, type PodView} from '../../src/index.js';

export type Target =
  | {readonly kind: 'pod'; readonly pod: PodView}
  | {readonly kind: 'container'; readonly container: ContainerView};

function notFound(error: unknown): boolean {
  return isEngineError(error) && error.code === 'NOT_FOUND';
}

/** Pods first (a pod name never looks like a container's `POD/NAME` or `POD-NAME`), then containers. */
export async function resolveTarget(engine: Engine, ref: string, signal: AbortSignal): Promise<Target> {
  try {
    return {kind: 'pod', pod: await engine.getPod(ref, {signal})};
  } catch (error) {
    if (!notFound(error)) throw error;
  }
  try {
    return {kind: 'container', container: await engine.getContainer(ref, {signal})};
  } catch (error) {
    if (!notFound(error)) throw error;
    throw new EngineError('NOT_FOUND', `no pod or container ${JSON.stringify(ref)}`, {
      details: {resource: 'pod or container', ref},
      cause: error,
    });
  }
}

/** The app containers a ref stands for (a pod's apps, or the container itself), by id. */
export async function containerIds(engine: Engine, ref: string, signal: AbortSignal): Promise<string[]> {
  const target = await resolveTarget(engine, ref, signal);
  if (target.kind === 'container') return target.container.id === '' ? [] : [target.container.id];
  return target.pod.containers.filter((c) => c.id !== '').map((c) => c.id);
}
