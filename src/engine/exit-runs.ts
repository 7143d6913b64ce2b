/**
Runs of containers, as reactions need them. A reaction is tied to one run of one container (identified by
its StartedAt: every start makes a new run) and to the moment that run ended, in the daemon's own clock
(nanoseconds, as Docker writes them). It acts only while that run is still the container's latest (a start
since supersedes it) and only on other containers whose current run began before it ended (one started
afterwards was started in answer to the failure, or regardless of it, and is not the reaction's to undo).
*/
import {isZeroTime} from '../pod/derive-status.js';
import type {ContainerDetails} from '../runtime/port.js';

/** The process is there, or about to be. */
export const UP: ReadonlySet<string> = new Set(['running', 'paused', 'restarting']);
/** The run ended. */
export const DOWN: ReadonlySet<string> = new Set(['exited', 'dead']);

/** One run of an app container that ended: what a reaction reacts to. */
export interface ExitRecord {
  readonly pod: string;
  readonly id: string;
  /** The container's name in the spec. */
  readonly name: string;
  /** The run's StartedAt, as Docker wrote it: the run's identity. */
  readonly startedAt: string;
  /** When the run ended, in nanoseconds of the daemon's clock. */
  readonly endedAtNs: bigint;
  readonly exitCode: number;
  /** When this engine saw it (its clock, ms): exits seen while observing are caught up on at a takeover. */
  readonly seenAt: number;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch of an RFC 3339 time with up to nanosecond digits; undefined when not one. */
export function rfc3339Ns(value: string): bigint | undefined {
  const match = RFC3339.exec(value);
  if (match === null) return undefined;
  const [, base = '', fraction = '', zone = ''] = match;
  const ms = Date.parse(`${base}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

/** The exit record of `details` when its latest run has ended; undefined while it runs or never ran. */
export function exitRecordOf(
  pod: string,
  name: string,
  details: ContainerDetails,
  seenAt: number,
): ExitRecord | undefined {
  const {state} = details;
  if (!DOWN.has(state.status) || isZeroTime(state.startedAt)) return undefined;
  return {
    pod,
    id: details.id,
    name,
    startedAt: state.startedAt,
    // Docker sets FinishedAt with the exit; a daemon that did not is taken at its word of "now".
    endedAtNs: rfc3339Ns(state.finishedAt) ?? BigInt(seenAt) * 1_000_000n,
    exitCode: state.exitCode,
    seenAt,
  };
}

/** The run `record` names is still the container's latest, and still over (nobody started it since). */
export function stillEnded(details: ContainerDetails | undefined, record: ExitRecord): boolean {
  return (
    details !== undefined && DOWN.has(details.state.status) && details.state.startedAt === record.startedAt
  );
}

/** `details` runs a run that began no later than `ns`: it was there when the reaction's run ended. */
export function upSince(details: ContainerDetails | undefined, ns: bigint): boolean {
  if (details === undefined || !UP.has(details.state.status)) return false;
  const started = rfc3339Ns(details.state.startedAt);
  return started !== undefined && started <= ns;
}
