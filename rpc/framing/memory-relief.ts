/**
Traffic leaves garbage behind it: a big message leaves megabytes of buffers and strings (its bytes, its text,
the parsed value), and a stream of notifications (logs at 20 MB/s) a steady flow of short-lived objects that V8
promotes and keeps until old-space or external-memory pressure builds. Left to V8's heuristics, a burst inflates
the server's RSS by tens of megabytes it never needed. So the server asks for one full collection right after a
message of {@link RELIEF_MESSAGE_BYTES} or more, and after every {@link RELIEF_TRAFFIC_BYTES} of other messages
in or out, each spaced by what collections cost (below): a long-lived server's memory follows what it holds,
not what went through it. A quiet session (small requests) never triggers one. Measured by
test/reliability/fuzz-protocol.test.ts and stream-memory.test.ts (docs/reliability.md).
*/
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

/** A message at least this big asks for a collection once it has been handled. */
export const RELIEF_MESSAGE_BYTES = 256 * 1024;
/** Messages in and out add up; every this many bytes ask for a collection. */
export const RELIEF_TRAFFIC_BYTES = 24 * 1024 * 1024;

/**
A big message's garbage (its bytes, its text, the parsed value: several times its size) is collected as soon
as its handler has had its turn, and after every big message of a burst: waiting 100 ms between collections let
a burst of hostile multi-megabyte messages lift the RSS by 30 MiB and more. Only when collections start to cost
(a big heap) are they spaced, to no more than a third of the time.
*/
export const RELIEF_MESSAGE_DELAY_MS = 1;
export const RELIEF_MESSAGE_MIN_INTERVAL_MS = 20;
export const RELIEF_MESSAGE_COST_FACTOR = 2;

/**
Steady traffic of smaller messages (lists, log lines) leaves garbage V8 collects well enough by itself; the
relief after every 24 MiB only keeps it from piling up. It waits 20 ms, comes at most every 100 ms, and no
sooner than 40 times what the last collection took: a server answering big lists over and over (100 pods, 12 ms
a collection) spends about 2.5 % of its time in relief rather than a tenth, and few of its requests meet a pause.
*/
export const RELIEF_TRAFFIC_DELAY_MS = 20;
export const RELIEF_TRAFFIC_MIN_INTERVAL_MS = 100;
export const RELIEF_TRAFFIC_COST_FACTOR = 40;

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

/** What a relief scheduler runs on (the real ones by default; tests give their own). */
export interface ReliefDeps {
  readonly collect: Collect;
  readonly now?: () => number;
  readonly setTimer?: (run: () => void, ms: number) => void;
}

/** Counts traffic and schedules relief collections by the rules above; `note` is noteTraffic's work. */
export function createRelief(deps: ReliefDeps): {note(bytes: number): void} {
  const now = deps.now ?? (() => performance.now());
  const setTimer =
    deps.setTimer ??
    ((run: () => void, ms: number) => {
      setTimeout(run, ms).unref();
    });
  let scheduled = false;
  let last = -Infinity;
  /** How long the last relief collection took (ms). */
  let lastTook = 0;
  let traffic = 0;
  const relieve = (cause: 'message' | 'traffic'): void => {
    if (scheduled) return;
    const spacing =
      cause === 'message'
        ? Math.max(RELIEF_MESSAGE_MIN_INTERVAL_MS, lastTook * RELIEF_MESSAGE_COST_FACTOR)
        : Math.max(RELIEF_TRAFFIC_MIN_INTERVAL_MS, lastTook * RELIEF_TRAFFIC_COST_FACTOR);
    const delay = cause === 'message' ? RELIEF_MESSAGE_DELAY_MS : RELIEF_TRAFFIC_DELAY_MS;
    // Traffic waits for its turn (the next message asks again); a big message is relieved as soon as allowed.
    if (cause === 'traffic' && now() < last + spacing) return;
    scheduled = true;
    // After the handler of the message that asked has had its turn (it holds the value until then).
    setTimer(
      () => {
        scheduled = false;
        traffic = 0;
        const start = now();
        deps.collect();
        last = now();
        lastTook = last - start;
      },
      Math.max(last + spacing - now(), delay),
    );
  };
  return {
    note(bytes) {
      traffic += bytes;
      if (bytes >= RELIEF_MESSAGE_BYTES) relieve('message');
      else if (traffic >= RELIEF_TRAFFIC_BYTES) relieve('traffic');
    },
  };
}

/** Off until the server turns it on: a client in someone else's process (an editor) must not force GCs. */
let relief: {note(bytes: number): void} | undefined;

/** Turns relief on for this process (the `bcs-executor rpc` server does). */
export function enableMemoryRelief(): void {
  if (relief !== undefined) return;
  const collect = exposeGc();
  if (collect !== undefined) relief = createRelief({collect});
}

/** Counts `bytes` of one message (in or out) toward the next relief collection; a no-op unless enabled. */
export function noteTraffic(bytes: number): void {
  relief?.note(bytes);
}
