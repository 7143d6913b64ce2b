/**
The health checker's configuration, state snapshot and events.
*/

/** `starting`: in the grace period, or no result has decided yet. */
export type HealthCheckStatus = 'starting' | 'healthy' | 'unhealthy';

/** What the owner does when the failure threshold is reached: report (the seed) or restart the container. */
export type HealthCheckAction = 'report' | 'restart';

export interface HealthCheckerConfig {
  /** Seconds from one probe's start to the next (fractions allowed). */
  readonly intervalSeconds: number;
  /** Seconds one probe may take; must be below the interval. */
  readonly timeoutSeconds: number;
  /** Seconds after start (or reset) before the first probe. */
  readonly gracePeriodSeconds: number;
  /** Consecutive failures that make the check unhealthy. */
  readonly consecutiveFailures: number;
  /** Default `report`. */
  readonly action?: HealthCheckAction;
  /** How many probe results the history keeps (default 20). */
  readonly historySize?: number;
}

/** One probe in the history. `at` is when it started (clock milliseconds since the epoch). */
export interface HealthProbeRecord {
  readonly at: number;
  readonly ok: boolean;
  readonly output: string;
  readonly durationMs: number;
}

/** An immutable (frozen) snapshot of a checker. */
export interface HealthCheckState {
  readonly status: HealthCheckStatus;
  /** Between start() and stop(). */
  readonly running: boolean;
  readonly paused: boolean;
  /** Failures since the last success; back to 0 on a success. */
  readonly consecutiveFailures: number;
  /** Every failed probe since the checker was made. */
  readonly totalFailures: number;
  /** Every completed probe since the checker was made. */
  readonly totalChecks: number;
  readonly lastCheckAt: number | null;
  readonly lastFailureAt: number | null;
  readonly lastResult: HealthProbeRecord | null;
  /** The last `historySize` probes, oldest first. */
  readonly history: readonly HealthProbeRecord[];
}

/** After every completed probe. */
export interface HealthProbeEvent {
  readonly type: 'probe';
  readonly result: HealthProbeRecord;
  readonly consecutiveFailures: number;
}

/** When the status changes (a probe decided it, or start/reset put it back to `starting`). */
export interface HealthStatusEvent {
  readonly type: 'status';
  readonly status: HealthCheckStatus;
  readonly previous: HealthCheckStatus;
  readonly consecutiveFailures: number;
  readonly lastResult: HealthProbeRecord | null;
}

/**
Once per failure streak, when consecutive failures reach the threshold. With action `restart` the owner restarts
the container, then calls `reset()` so the grace period runs again and a new streak can fire again.
*/
export interface HealthThresholdEvent {
  readonly type: 'threshold';
  readonly consecutiveFailures: number;
  readonly threshold: number;
  readonly action: HealthCheckAction;
  readonly lastResult: HealthProbeRecord;
}

/** Events of one probe arrive in this order: probe, then status (if it changed), then threshold (if reached). */
export type HealthEvent = HealthProbeEvent | HealthStatusEvent | HealthThresholdEvent;

export type HealthListener = (event: HealthEvent) => void;
