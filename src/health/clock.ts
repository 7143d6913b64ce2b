/**
The time source a health checker runs on, injected so tests drive it deterministically (see ManualClock).
*/

export interface HealthClock {
  /** Wall-clock milliseconds since the epoch (used for `at`, `lastCheckAt`, `lastFailureAt`). */
  now(): number;
  /** Runs `callback` once after `delayMs`; returns a function that cancels it (a no-op once it ran). */
  schedule(callback: () => void, delayMs: number): () => void;
}

/** The real clock: Date.now and unref'd timers, so a forgotten checker never keeps the process alive. */
export const systemClock: HealthClock = {
  now: () => Date.now(),
  schedule(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
