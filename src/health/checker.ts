/**
HealthChecker: runs one probe on a schedule and turns results into a status, counters, history and events.

What it fixes from the seed (seed-spec §5, §8 item 7): unhealthy only after `consecutiveFailures` failures in a
row, and healthy again after a success; the failure total is really counted; the grace period is cancellable
(stop during grace means no probe runs); each probe has a deadline on the checker's own clock, so even a probe
that ignores its timeout cannot block the checker; probes never overlap; listeners are told of every change.

Scheduling: the first probe runs `gracePeriodSeconds` after start(); each next one `intervalSeconds` after the
previous one started, or as soon as it ends if it ran longer. State is only touched from the clock's callbacks
and probe continuations on the one JS thread, and every stop/pause/reset bumps an epoch so a result arriving
late from a cancelled probe is dropped rather than counted.
*/
import {EngineError, validationError, type ValidationIssue} from '../errors.js';
import type {
  HealthCheckAction,
  HealthCheckState,
  HealthCheckStatus,
  HealthCheckerConfig,
  HealthEvent,
  HealthListener,
  HealthProbeRecord,
} from './checker-types.js';
import {systemClock, type HealthClock} from './clock.js';
import {runProbeWithDeadline} from './probe-deadline.js';
import {errorOutput, summarizeOutput, type Probe, type ProbeResult} from './probe.js';
import {RingBuffer} from './ring-buffer.js';
import {validateHealthTiming} from './validate.js';

/** History length when the config gives none. */
export const DEFAULT_HEALTH_HISTORY_SIZE = 20;

/**
How long past its timeout the checker waits before abandoning a probe itself. The probes enforce the timeout
with their own, more precise message; this backstop only catches a probe (or runner) that ignores it.
*/
export const PROBE_DEADLINE_SLACK_MS = 250;

export interface HealthCheckerOptions {
  readonly probe: Probe;
  /** Default: the system clock. */
  readonly clock?: HealthClock;
}

function validateConfig(config: HealthCheckerConfig): ValidationIssue[] {
  const issues = validateHealthTiming({...config}, '');
  const size = config.historySize;
  if (size !== undefined && (!Number.isInteger(size) || size < 1)) {
    issues.push({
      path: 'historySize',
      message: 'must be an integer of at least 1',
      allowed: 'an integer >= 1',
    });
  }
  return issues;
}

/** A health checker over one probe; see the module comment for its rules. */
export class HealthChecker {
  readonly config: Readonly<Required<HealthCheckerConfig>>;
  readonly #probe: Probe;
  readonly #clock: HealthClock;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #graceMs: number;
  readonly #history: RingBuffer<HealthProbeRecord>;
  readonly #listeners = new Set<HealthListener>();

  #running = false;
  #paused = false;
  #status: HealthCheckStatus = 'starting';
  #consecutiveFailures = 0;
  #totalFailures = 0;
  #totalChecks = 0;
  #lastCheckAt: number | null = null;
  #lastFailureAt: number | null = null;
  #lastResult: HealthProbeRecord | null = null;
  #graceEndsAt = 0;
  // Bumped by stop, pause and reset: timers and probes from an older epoch are ignored when they come back.
  #epoch = 0;
  #cancelTimer: (() => void) | undefined;
  #inFlight: AbortController | undefined;
  #detachSignal: (() => void) | undefined;
  #snapshot: HealthCheckState | undefined;

  /** Throws a VALIDATION EngineError listing every problem with `config`. */
  constructor(config: HealthCheckerConfig, options: HealthCheckerOptions) {
    const issues = validateConfig(config);
    if (issues.length > 0) throw validationError(issues, 'health checker config');
    this.config = Object.freeze({
      intervalSeconds: config.intervalSeconds,
      timeoutSeconds: config.timeoutSeconds,
      gracePeriodSeconds: config.gracePeriodSeconds,
      consecutiveFailures: config.consecutiveFailures,
      action: config.action ?? 'report',
      historySize: config.historySize ?? DEFAULT_HEALTH_HISTORY_SIZE,
    });
    this.#probe = options.probe;
    this.#clock = options.clock ?? systemClock;
    this.#intervalMs = config.intervalSeconds * 1000;
    // Probes take whole milliseconds; never round a tiny timeout down to "no time at all".
    this.#timeoutMs = Math.max(1, Math.ceil(config.timeoutSeconds * 1000));
    this.#graceMs = config.gracePeriodSeconds * 1000;
    this.#history = new RingBuffer(this.config.historySize);
  }

  /** The current state as a frozen snapshot (the same object until something changes). */
  get state(): HealthCheckState {
    this.#snapshot ??= Object.freeze({
      status: this.#status,
      running: this.#running,
      paused: this.#paused,
      consecutiveFailures: this.#consecutiveFailures,
      totalFailures: this.#totalFailures,
      totalChecks: this.#totalChecks,
      lastCheckAt: this.#lastCheckAt,
      lastFailureAt: this.#lastFailureAt,
      lastResult: this.#lastResult,
      history: Object.freeze(this.#history.toArray()),
    });
    return this.#snapshot;
  }

  /** Subscribes to probe, status and threshold events; returns the disposer. */
  onChange(listener: HealthListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
  Starts checking: status `starting`, first probe after the grace period. A no-op while running. `signal`, if
  given, stops the checker when it aborts. A stopped checker may be started again (totals and history are kept).
  */
  start(signal?: AbortSignal): void {
    if (this.#running || signal?.aborted) return;
    this.#running = true;
    this.#paused = false;
    if (signal !== undefined) {
      const onAbort = (): void => this.stop();
      signal.addEventListener('abort', onAbort, {once: true});
      this.#detachSignal = () => signal.removeEventListener('abort', onAbort);
    }
    this.#restartGrace();
  }

  /** Stops checking: cancels the grace wait or the next tick and abandons a probe in flight. Idempotent. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#paused = false;
    this.#cancelWork();
    this.#detachSignal?.();
    this.#detachSignal = undefined;
    this.#changed();
  }

  /** Suspends probing (a probe in flight is abandoned, not counted); status and counters stay as they are. */
  pause(): void {
    if (!this.#running || this.#paused) return;
    this.#paused = true;
    this.#cancelWork();
    this.#changed();
  }

  /** Resumes probing: at the end of the grace period if it is not over yet, otherwise one interval from now. */
  resume(): void {
    if (!this.#running || !this.#paused) return;
    this.#paused = false;
    const now = this.#clock.now();
    this.#schedule(now < this.#graceEndsAt ? this.#graceEndsAt - now : this.#intervalMs);
    this.#changed();
  }

  /**
  Starts over after the checked container was restarted: status `starting`, the failure streak cleared, and
  the grace period running again (unless paused or stopped). Totals and history are kept.
  */
  reset(): void {
    this.#consecutiveFailures = 0;
    if (this.#running) {
      this.#restartGrace();
      return;
    }
    this.#setStatus('starting');
    this.#changed();
  }

  #restartGrace(): void {
    this.#cancelWork();
    this.#consecutiveFailures = 0;
    this.#graceEndsAt = this.#clock.now() + this.#graceMs;
    if (!this.#paused) this.#schedule(this.#graceMs);
    this.#changed();
    this.#setStatus('starting');
  }

  #cancelWork(): void {
    this.#epoch++;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#inFlight?.abort(new EngineError('CANCELLED', 'health checker stopped, paused or reset'));
    this.#inFlight = undefined;
  }

  #schedule(delayMs: number): void {
    const epoch = this.#epoch;
    this.#cancelTimer = this.#clock.schedule(() => {
      this.#cancelTimer = undefined;
      if (epoch === this.#epoch) void this.#tick(epoch);
    }, delayMs);
  }

  async #tick(epoch: number): Promise<void> {
    const controller = new AbortController();
    this.#inFlight = controller;
    const startedAt = this.#clock.now();
    let result: ProbeResult;
    try {
      result = await runProbeWithDeadline(this.#probe, {
        clock: this.#clock,
        controller,
        timeoutMs: this.#timeoutMs,
        deadlineMs: this.#timeoutMs + PROBE_DEADLINE_SLACK_MS,
      });
    } catch (error) {
      if (epoch !== this.#epoch) return;
      // A probe is not supposed to throw for a failure, but one that does has failed.
      result = {ok: false, output: errorOutput(error), durationMs: this.#clock.now() - startedAt};
    } finally {
      if (this.#inFlight === controller) this.#inFlight = undefined;
    }
    if (epoch !== this.#epoch) return;
    this.#record(startedAt, result);
    // A listener may have stopped, paused or reset the checker while hearing about this result.
    if (epoch !== this.#epoch) return;
    this.#schedule(Math.max(0, startedAt + this.#intervalMs - this.#clock.now()));
  }

  #record(at: number, result: ProbeResult): void {
    const durationMs =
      Number.isFinite(result.durationMs) && result.durationMs >= 0
        ? result.durationMs
        : this.#clock.now() - at;
    const record: HealthProbeRecord = Object.freeze({
      at,
      ok: result.ok,
      output: summarizeOutput(result.output),
      durationMs,
    });
    this.#totalChecks++;
    this.#lastCheckAt = at;
    this.#lastResult = record;
    this.#history.push(record);
    const previous = this.#status;
    if (record.ok) {
      this.#consecutiveFailures = 0;
      this.#status = 'healthy';
    } else {
      this.#consecutiveFailures++;
      this.#totalFailures++;
      this.#lastFailureAt = at;
      if (this.#consecutiveFailures >= this.config.consecutiveFailures) this.#status = 'unhealthy';
    }
    this.#changed();

    // Events describe this probe; if a listener stops, pauses or resets the checker, the rest would be stale.
    const epoch = this.#epoch;
    const consecutiveFailures = this.#consecutiveFailures;
    this.#emit({type: 'probe', result: record, consecutiveFailures});
    if (this.#status !== previous && epoch === this.#epoch) {
      this.#emit({type: 'status', status: this.#status, previous, consecutiveFailures, lastResult: record});
    }
    if (!record.ok && consecutiveFailures === this.config.consecutiveFailures && epoch === this.#epoch) {
      const action: HealthCheckAction = this.config.action;
      this.#emit({
        type: 'threshold',
        consecutiveFailures,
        threshold: this.config.consecutiveFailures,
        action,
        lastResult: record,
      });
    }
  }

  #setStatus(status: HealthCheckStatus): void {
    const previous = this.#status;
    if (previous === status) return;
    this.#status = status;
    this.#changed();
    this.#emit({
      type: 'status',
      status,
      previous,
      consecutiveFailures: this.#consecutiveFailures,
      lastResult: this.#lastResult,
    });
  }

  #changed(): void {
    this.#snapshot = undefined;
  }

  #emit(event: HealthEvent): void {
    const frozen = Object.freeze(event);
    for (const listener of [...this.#listeners]) {
      try {
        listener(frozen);
      } catch (error) {
        // One bad listener must neither corrupt the checker nor silence the others; surface it as an
        // uncaught error, as an EventEmitter listener's would be.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
