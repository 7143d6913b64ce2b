/**
What every health probe (http, tcp, command) returns and takes, and the small helpers they share.

A probe never throws for an unhealthy target: refused connections, bad statuses, non-zero exits and timeouts
are all `{ok: false}` with a short `output`. It throws only EngineError CANCELLED when the caller's signal fires,
so a checker that is stopping can tell "cancelled" from "failed".
*/
import {performance} from 'node:perf_hooks';
import {EngineError} from '../errors.js';

/** One probe's outcome. `output` is short: an HTTP status line, an exit code with a bit of output, or an error. */
export interface ProbeResult {
  readonly ok: boolean;
  readonly output: string;
  readonly durationMs: number;
}

export interface ProbeOptions {
  /** Cancels the probe: it then rejects with EngineError CANCELLED. */
  readonly signal?: AbortSignal;
  /** The whole probe's deadline; past it the probe gives `{ok: false}` "timed out after N ms". */
  readonly timeoutMs: number;
}

/** A probe bound to its target, as a checker runs it. */
export type Probe = (options: ProbeOptions) => Promise<ProbeResult>;

/** Outputs are cut to this many characters: enough for a status line or an error, small enough for history. */
export const MAX_PROBE_OUTPUT_CHARS = 512;

/** Trims `text` and cuts it to `max` characters on a code point boundary, marking the cut with `…`. */
export function summarizeOutput(text: string, max = MAX_PROBE_OUTPUT_CHARS): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  const codePoints = Array.from(trimmed);
  if (codePoints.length <= max) return trimmed;
  return `${codePoints.slice(0, max - 1).join('')}…`;
}

/** Milliseconds since a `performance.now()` reading, to a tenth of a millisecond. */
export function elapsedMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 10) / 10;
}

/** Reads a monotonic start time for {@link elapsedMs}. */
export function probeStart(): number {
  return performance.now();
}

/** The error a probe throws when its caller cancels it. */
export function probeCancelled(signal: AbortSignal): EngineError {
  return new EngineError('CANCELLED', 'health probe cancelled', {cause: signal.reason});
}

/** The `output` of a probe that ran out of time. */
export function timedOutOutput(timeoutMs: number): string {
  return `timed out after ${timeoutMs} ms`;
}

/** A short message for anything thrown. */
export function errorOutput(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
