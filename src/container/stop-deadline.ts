/**
A container stop with a real deadline (seed-spec §8.2). The seed called Docker synchronously before its
`timeout + StopContainerGraceTime` select, so a hung daemon or a stop that never returned blocked the caller.
Here the stop request itself is aborted at the deadline and the engine sends SIGKILL.
*/
import {STOP_CONTAINER_GRACE_TIME} from '../constants.js';
import {EngineError, isEngineError, throwIfAborted, validationError} from '../errors.js';
import type {ContainerRuntime} from '../runtime/port.js';
import type {StopResult} from './container.js';

/** How long the SIGKILL after a missed deadline may take before the engine gives up. */
export const STOP_KILL_TIMEOUT_MS = 10_000;

export interface StopWithDeadlineOptions {
  /** Docker's `t`: seconds between the stop signal and Docker's own SIGKILL. */
  readonly timeoutSeconds: number;
  /** Wall clock allowed beyond `timeoutSeconds` (default STOP_CONTAINER_GRACE_TIME seconds). */
  readonly graceMs?: number;
  /** Bound of the SIGKILL sent at the deadline. */
  readonly killTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
Stops `id` with Docker's stop (`t = timeoutSeconds`). If that has not returned after `timeoutSeconds` plus the
grace, the request is abandoned and SIGKILL is sent: `{changed: true, killed: true}`. A container that was
not running is `{changed: false, killed: false}`, not an error. Throws VALIDATION for a bad timeout, NOT_FOUND
for an unknown container, CANCELLED when the caller's signal fires, TIMEOUT when even the kill does not answer.
*/
export async function stopWithDeadline(
  runtime: ContainerRuntime,
  id: string,
  options: StopWithDeadlineOptions,
): Promise<StopResult> {
  const {timeoutSeconds, signal} = options;
  if (!Number.isSafeInteger(timeoutSeconds) || timeoutSeconds < 0) {
    throw validationError(
      [{path: 'timeoutSeconds', message: `${timeoutSeconds} is not a whole number of seconds >= 0`}],
      'stop request',
    );
  }
  throwIfAborted(signal);
  const limitMs = timeoutSeconds * 1000 + (options.graceMs ?? STOP_CONTAINER_GRACE_TIME * 1000);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), limitMs);
  const stopSignal = signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal]);
  try {
    const {changed} = await runtime.stopContainer(id, {timeoutSeconds, signal: stopSignal});
    return {changed, killed: false};
  } catch (error) {
    if (!deadline.signal.aborted || signal?.aborted === true) throw error;
  } finally {
    clearTimeout(timer);
  }
  return killAtDeadline(runtime, id, limitMs, options.killTimeoutMs ?? STOP_KILL_TIMEOUT_MS, signal);
}

async function killAtDeadline(
  runtime: ContainerRuntime,
  id: string,
  limitMs: number,
  killTimeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<StopResult> {
  const bound = AbortSignal.timeout(killTimeoutMs);
  try {
    await runtime.killContainer(id, 'SIGKILL', {
      signal: signal === undefined ? bound : AbortSignal.any([signal, bound]),
    });
    return {changed: true, killed: true};
  } catch (error) {
    // Not running any more: the stop finished on the daemon after all, just too late to answer us.
    if (isEngineError(error) && error.code === 'INVALID_STATE') return {changed: true, killed: false};
    if (bound.aborted && signal?.aborted !== true) {
      throw new EngineError(
        'TIMEOUT',
        `stop of ${id} did not finish within ${limitMs} ms, and the SIGKILL sent then got no answer within ${killTimeoutMs} ms`,
        {details: {ref: id, timeoutMs: limitMs, killTimeoutMs}, cause: error},
      );
    }
    throw error;
  }
}
