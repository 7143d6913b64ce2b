/**
A HealthClock that only moves when told to, for deterministic tests of anything built on timers (checkers here,
pod restart back-off elsewhere).
*/
import type {HealthClock} from './clock.js';

interface PendingTimer {
  readonly seq: number;
  readonly due: number;
  readonly callback: () => void;
}

/** Lets every queued promise continuation run (microtasks drain fully before the event loop turns). */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A manual clock: `advance(ms)` fires due timers in order, settling promise chains after each one. */
export class ManualClock implements HealthClock {
  #now: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  schedule(callback: () => void, delayMs: number): () => void {
    const timer: PendingTimer = {seq: this.#seq++, due: this.#now + Math.max(0, delayMs), callback};
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((pending) => pending !== timer);
    };
  }

  /** Timers scheduled and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing each timer that falls due at its own time, earliest (then oldest) first. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.due > target) break;
      this.#timers = this.#timers.filter((pending) => pending !== next);
      this.#now = next.due;
      next.callback();
      await flushMicrotasks();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  #earliest(): PendingTimer | undefined {
    let earliest: PendingTimer | undefined;
    for (const timer of this.#timers) {
      if (
        earliest === undefined ||
        timer.due < earliest.due ||
        (timer.due === earliest.due && timer.seq < earliest.seq)
      ) {
        earliest = timer;
      }
    }
    return earliest;
  }
}
