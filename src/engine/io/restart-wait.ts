/**
Waiting for a stopped container to run again, for log followers that re-attach across restarts. Docker ends a
log follow when the container stops; what comes next is a `start` (follow again) or a `destroy` (stop
following), which the engine's event stream says without polling.
*/
import {EngineError, isEngineError} from '../../errors.js';
import type {ContainerRuntime} from '../../runtime/port.js';
import {timestampNanos} from './log-time.js';

/** What became of a container whose log stream ended. */
export type NextRun = 'running' | 'removed' | 'cancelled';

/**
Resolves when container `id` runs (again): at once when it is running, else on its next `start` event; or
`removed` when it is gone or destroyed; `cancelled` with the signal. The events are replayed from a little
before the container's last finish, so a start that slips in between the inspect and the subscription is
not missed, and only a start after that finish counts (the one that began the run just ended does not).
*/
export async function waitForNextRun(
  runtime: ContainerRuntime,
  id: string,
  signal: AbortSignal,
): Promise<NextRun> {
  let finishedNanos: bigint;
  try {
    const details = await runtime.inspectContainer(id, {signal});
    if (details.state.running) return 'running';
    finishedNanos = timestampNanos(details.state.finishedAt) ?? 0n;
  } catch (error) {
    if (signal.aborted) return 'cancelled';
    if (isEngineError(error) && error.code === 'NOT_FOUND') return 'removed';
    throw error;
  }
  const nowSeconds = Math.floor(Date.now() / 1000);
  // A never-finished container reports year 1; the inspect time bounds the replay then.
  const finishedSeconds = finishedNanos > 0n ? Number(finishedNanos / 1_000_000_000n) : nowSeconds;
  const since = Math.max(0, Math.min(finishedSeconds, nowSeconds) - 2);
  const watch = new AbortController();
  const stop = () => watch.abort();
  signal.addEventListener('abort', stop, {once: true});
  try {
    for await (const event of runtime.events({
      signal: watch.signal,
      types: ['container'],
      actions: ['start', 'destroy'],
      since,
    })) {
      if (event.id !== id) continue;
      if (event.action === 'destroy') return 'removed';
      if (event.timeNano > finishedNanos) return 'running';
    }
  } catch (error) {
    if (signal.aborted) return 'cancelled';
    throw error;
  } finally {
    signal.removeEventListener('abort', stop);
    watch.abort();
  }
  if (signal.aborted) return 'cancelled';
  throw new EngineError('ENGINE_UNAVAILABLE', `the event stream ended while waiting for ${id} to start`, {
    details: {endpoint: runtime.endpoint},
  });
}
