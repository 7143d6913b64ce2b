/**
Reading an exec's true exit code. Docker reports `Running: true` or `ExitCode: null` for a moment after the
output stream closed (seed-spec §7 case 32), so one inspect right after the stream is not enough: poll until
the exec is done, within a bound.
*/
import {setTimeout as delay} from 'node:timers/promises';
import {EngineError, throwIfAborted, toEngineError} from '../errors.js';
import type {ContainerRuntime, ExecDetails} from '../runtime/port.js';

/** How long the exit code may take to show up after the stream closed (normally a few ms). */
export const DEFAULT_EXEC_EXIT_POLL_MS = 5_000;

/** Delays between polls: short at first (the usual case), then backing off. */
const POLL_DELAYS_MS = [2, 5, 10, 20, 50, 100];

export interface WaitExecExitOptions {
  readonly signal?: AbortSignal;
  /** Give up after this long (TIMEOUT). */
  readonly timeoutMs?: number;
}

/** An exec that has finished: not running, with its exit code. */
export type FinishedExec = ExecDetails & {readonly running: false; readonly exitCode: number};

function isFinished(details: ExecDetails): details is FinishedExec {
  return !details.running && details.exitCode !== null;
}

/**
Polls `inspectExec` until the exec is not running and has an exit code. Throws TIMEOUT after `timeoutMs`,
CANCELLED when the signal fires, and passes runtime errors (NOT_FOUND when the container went away) through.
*/
export async function waitExecExit(
  runtime: ContainerRuntime,
  execId: string,
  options: WaitExecExitOptions = {},
): Promise<FinishedExec> {
  const {signal} = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_EXIT_POLL_MS;
  const started = performance.now();
  for (let attempt = 0; ; attempt += 1) {
    throwIfAborted(signal);
    const details = await runtime.inspectExec(execId, signal === undefined ? {} : {signal});
    if (isFinished(details)) return details;
    const elapsed = performance.now() - started;
    if (elapsed >= timeoutMs) {
      throw new EngineError('TIMEOUT', `exec ${execId} did not report its exit code within ${timeoutMs} ms`, {
        details: {execId, timeoutMs, running: details.running},
      });
    }
    const wait = Math.min(POLL_DELAYS_MS[attempt] ?? 100, timeoutMs - elapsed);
    try {
      await delay(wait, undefined, signal === undefined ? {} : {signal});
    } catch (error) {
      throw toEngineError(error);
    }
  }
}

/** How long `running` without a pid is waited on before it is believed (see waitExecStarted). */
export const RUNNING_WITHOUT_PID_MS = 2_000;

/**
Polls until the exec has started (running, with a pid) or already finished. Docker answers the start
request before the process runs, so a kill right after the start could otherwise find nothing to kill and
miss the process that appears a moment later. Throws TIMEOUT after `timeoutMs`.
*/
export async function waitExecStarted(
  runtime: ContainerRuntime,
  execId: string,
  options: WaitExecExitOptions = {},
): Promise<ExecDetails> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_EXIT_POLL_MS;
  const started = performance.now();
  for (let attempt = 0; ; attempt += 1) {
    throwIfAborted(options.signal);
    const details = await runtime.inspectExec(
      execId,
      options.signal === undefined ? {} : {signal: options.signal},
    );
    const elapsed = performance.now() - started;
    if (details.exitCode !== null) return details;
    // Docker marks an exec running before it asks containerd to start the process: its Pid is the sign that
    // the process exists (a kill scan before that finds nothing, and the process would appear after it). A
    // runtime that never reports a pid is taken at its word after a moment.
    if (details.running && (details.pid > 0 || elapsed >= RUNNING_WITHOUT_PID_MS)) return details;
    if (elapsed >= timeoutMs) {
      throw new EngineError('TIMEOUT', `exec ${execId} did not start within ${timeoutMs} ms`, {
        details: {execId, timeoutMs},
      });
    }
    await delay(Math.min(POLL_DELAYS_MS[attempt] ?? 100, timeoutMs - elapsed));
  }
}
