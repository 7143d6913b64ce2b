/**
Big messages (an upload's content, a large spec) leave megabytes of buffers and strings behind them: the
frame's bytes, its text and the parsed value. They live outside V8's young generation, so nothing collects
them until old-space or external-memory pressure builds, and a burst of them inflates the server's RSS by tens
of megabytes. After a big message the reader asks for one full collection, soon and at most every
{@link RELIEF_MIN_INTERVAL_MS}, so a long-lived server's memory follows what it holds, not what went through.
Normal traffic (small messages) never triggers it.
*/
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

/** A message at least this big asks for a collection once it has been handled. */
export const RELIEF_MESSAGE_BYTES = 256 * 1024;
/** At most one relief collection in this period. */
export const RELIEF_MIN_INTERVAL_MS = 100;

type Collect = () => void;

/** V8's `gc`, exposed for this process; undefined where the runtime refuses. */
function exposeGc(): Collect | undefined {
  const existing = (globalThis as {gc?: unknown}).gc;
  if (typeof existing === 'function') return existing as Collect;
  try {
    // The flag takes effect for contexts made after it: a fresh one hands its `gc` out.
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as Collect) : undefined;
  } catch {
    return undefined;
  }
}

let collect: Collect | undefined | null = null;

/** Returns a function that schedules one relief collection (debounced); a no-op without `gc`. */
export function memoryRelief(): () => void {
  if (collect === null) collect = exposeGc();
  const gc = collect;
  if (gc === undefined) return () => undefined;
  let scheduled: NodeJS.Timeout | undefined;
  let last = 0;
  return () => {
    if (scheduled !== undefined) return;
    const wait = Math.max(0, last + RELIEF_MIN_INTERVAL_MS - Date.now());
    // After the message's handler has had its turn (it may hold the value a moment longer).
    scheduled = setTimeout(
      () => {
        scheduled = undefined;
        last = Date.now();
        gc();
      },
      Math.max(wait, 20),
    );
    scheduled.unref();
  };
}
