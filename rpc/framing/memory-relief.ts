/**
Traffic leaves garbage behind it: a big message leaves megabytes of buffers and strings (its bytes, its text,
the parsed value), and a stream of notifications (logs at 20 MB/s) a steady flow of short-lived objects that V8
promotes and keeps until old-space or external-memory pressure builds. Left to V8's heuristics, a burst inflates
the server's RSS by tens of megabytes it never needed. So the server asks for one full collection after every
{@link RELIEF_TRAFFIC_BYTES} of messages in or out, and right after a message of {@link RELIEF_MESSAGE_BYTES} or
more, at most once per {@link RELIEF_MIN_INTERVAL_MS}: a long-lived server's memory follows what it holds, not
what went through it. A quiet session (small requests) never triggers one. Measured by
test/reliability/fuzz-protocol.test.ts and stream-memory.test.ts (docs/reliability.md).
*/
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

/** A message at least this big asks for a collection once it has been handled. */
export const RELIEF_MESSAGE_BYTES = 256 * 1024;
/** Messages in and out add up; every this many bytes ask for a collection. */
export const RELIEF_TRAFFIC_BYTES = 24 * 1024 * 1024;
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

/** Off until the server turns it on: a client in someone else's process (an editor) must not force GCs. */
let enabled = false;
let collect: Collect | undefined;
let scheduled: NodeJS.Timeout | undefined;
let last = 0;
let traffic = 0;

function relieve(gc: Collect): void {
  if (scheduled !== undefined) return;
  const wait = Math.max(0, last + RELIEF_MIN_INTERVAL_MS - Date.now());
  // After the message's handler has had its turn (it may hold the value a moment longer).
  scheduled = setTimeout(
    () => {
      scheduled = undefined;
      last = Date.now();
      traffic = 0;
      gc();
    },
    Math.max(wait, 20),
  );
  scheduled.unref();
}

/** Turns relief on for this process (the `bcs-executor rpc` server does). */
export function enableMemoryRelief(): void {
  if (enabled) return;
  enabled = true;
  collect = exposeGc();
}

/** Counts `bytes` of one message (in or out) toward the next relief collection; a no-op unless enabled. */
export function noteTraffic(bytes: number): void {
  if (!enabled || collect === undefined) return;
  traffic += bytes;
  if (bytes >= RELIEF_MESSAGE_BYTES || traffic >= RELIEF_TRAFFIC_BYTES) relieve(collect);
}
