/**
A per-probe deadline on real timers, chained to the caller's signal, that remembers which of the two fired.
*/
import {EngineError} from '../errors.js';

export interface Deadline {
  /** Aborts when the deadline passes or the parent signal aborts. */
  readonly signal: AbortSignal;
  /** True once the deadline itself (not the parent) aborted the signal. */
  readonly timedOut: boolean;
  /** Clears the timer and the parent listener; call when the work ends. */
  dispose(): void;
}

/** Starts a deadline of `timeoutMs` under an optional parent signal. */
export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new EngineError('TIMEOUT', `timed out after ${timeoutMs} ms`, {details: {timeoutMs}}));
  }, timeoutMs);
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, {once: true});
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/**
Settles with `work`, or rejects with the signal's reason as soon as `signal` aborts, whichever comes first. Used
where the work itself may not honour the signal (an injected command runner), so a hung call cannot block.
*/
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The abandoned work may still reject later; observe it so it is not reported as unhandled.
    work.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(() => undefined);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, {once: true});
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
