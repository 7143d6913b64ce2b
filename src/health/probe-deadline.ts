/**
Runs one probe for a checker under a deadline kept on the checker's own clock, so that a probe (or command
runner) that ignores its timeout still ends, and so fake-clock tests can make a probe time out.
*/
import {EngineError} from '../errors.js';
import type {HealthClock} from './clock.js';
import {timedOutOutput, type Probe, type ProbeResult} from './probe.js';

export interface ProbeDeadlineOptions {
  readonly clock: HealthClock;
  /** Aborted by the checker to abandon the probe (stop, pause, reset), and by the deadline. */
  readonly controller: AbortController;
  /** Passed to the probe as its own timeout. */
  readonly timeoutMs: number;
  /** When the checker gives up on the probe: `{ok: false}` "timed out after <timeoutMs> ms". */
  readonly deadlineMs: number;
}

/**
Resolves with the probe's result or, at the deadline, with a timeout failure (aborting the probe). Rejects with
CANCELLED as soon as the controller is aborted by anyone else, and with whatever the probe throws.
*/
export function runProbeWithDeadline(probe: Probe, options: ProbeDeadlineOptions): Promise<ProbeResult> {
  const {clock, controller, timeoutMs, deadlineMs} = options;
  const startedAt = clock.now();
  return new Promise<ProbeResult>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      cancelDeadline();
      reject(new EngineError('CANCELLED', 'health probe abandoned', {cause: controller.signal.reason}));
    };
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      cancelDeadline();
      controller.signal.removeEventListener('abort', onAbort);
      return true;
    };
    const cancelDeadline = clock.schedule(() => {
      if (!settle()) return;
      const output = timedOutOutput(timeoutMs);
      controller.abort(new EngineError('TIMEOUT', output, {details: {timeoutMs}}));
      resolve({ok: false, output, durationMs: clock.now() - startedAt});
    }, deadlineMs);
    controller.signal.addEventListener('abort', onAbort, {once: true});
    // Called inside a then() so a probe that throws synchronously is handled like one that rejects.
    Promise.resolve()
      .then(() => probe({signal: controller.signal, timeoutMs}))
      .then(
        (result) => {
          if (settle()) resolve(result);
        },
        (error: unknown) => {
          if (settle()) reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
  });
}
