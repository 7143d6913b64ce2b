/**
Resyncs of the engine's cache (a list, and an inspect of each container that changed), one at a time. A caller
gets a list begun after it asked: one already under way may predate what the caller has just seen happen (a
stop another process made), so callers arriving meanwhile share the one that follows it.
*/
import {setMaxListeners} from 'node:events';

/** Bound of one resync (a list and the inspects it calls for). */
export const SYNC_TIMEOUT_MS = 30_000;

/** A deadline signal that every inspect of one resync listens to (as many as there are containers). */
function sharedDeadline(ms: number): AbortSignal {
  const signal = AbortSignal.timeout(ms);
  setMaxListeners(0, signal);
  return signal;
}

/** The engine's resyncs (see the module comment). */
export class ResyncQueue {
  readonly #resync: (signal: AbortSignal) => Promise<void>;
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  /** `resync` runs under its own deadline rather than one caller's signal: a caller that gives up fails nobody. */
  constructor(resync: (signal: AbortSignal) => Promise<void>) {
    this.#resync = resync;
  }

  /** Resolves when a resync begun after this call has ended. */
  request(): Promise<void> {
    const running = this.#running;
    if (running === undefined) return this.#start();
    this.#next ??= running
      .catch(() => undefined)
      .then(() => {
        this.#next = undefined;
        return this.#start();
      });
    return this.#next;
  }

  #start(): Promise<void> {
    const work = this.#resync(sharedDeadline(SYNC_TIMEOUT_MS)).finally(() => {
      if (this.#running === work) this.#running = undefined;
    });
    this.#running = work;
    return work;
  }
}
