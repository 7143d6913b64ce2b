/**
Log timestamps. Docker prefixes each line with RFC 3339 and nanoseconds (`2024-05-01T10:00:00.123456789Z `)
when asked; ordering lines and resuming a follow need those as exact numbers, which a JS Date (milliseconds)
and a double (about 0.2 µs at today's epoch) are not, so they become bigint nanoseconds.
*/
import {validationError} from '../../errors.js';

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch of an RFC 3339 time, or undefined when it is not one. */
export function timestampNanos(ts: string): bigint | undefined {
  const match = RFC3339.exec(ts);
  if (match === null) return undefined;
  const [, seconds, fraction, zone] = match;
  const millis = Date.parse(`${seconds ?? ''}${zone ?? ''}`);
  if (Number.isNaN(millis)) return undefined;
  return BigInt(millis) * 1_000_000n + BigInt((fraction ?? '').padEnd(9, '0'));
}

/** Splits Docker's timestamp prefix off a line: `{ts, text}`, or undefined when the line carries none. */
export function splitTimestamp(line: string): {readonly ts: string; readonly text: string} | undefined {
  const space = line.indexOf(' ');
  // The longest RFC 3339 with nanoseconds and an offset is 35 characters; a line without a prefix is cut short.
  if (space < 20 || space > 35) return undefined;
  const ts = line.slice(0, space);
  if (timestampNanos(ts) === undefined) return undefined;
  return {ts, text: line.slice(space + 1)};
}

/**
A `since` as the runtime takes it (unix seconds, fractional): from unix seconds, or from RFC 3339. Anything
else is VALIDATION at `path`.
*/
export function sinceSeconds(since: number | string, path = 'since'): number {
  if (typeof since === 'number') {
    if (Number.isFinite(since) && since >= 0) return since;
    throw validationError([
      {path, message: `${since} is not a time`, allowed: 'unix seconds >= 0 or RFC 3339'},
    ]);
  }
  const trimmed = since.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const nanos = timestampNanos(trimmed);
  if (nanos === undefined) {
    throw validationError([
      {path, message: `"${since}" is not a time`, allowed: 'unix seconds or RFC 3339 (2024-05-01T10:00:00Z)'},
    ]);
  }
  return Number(nanos / 1_000_000_000n) + Number(nanos % 1_000_000_000n) / 1e9;
}

/**
Unix seconds for a `since` that must not land after `nanos`: rounded down to the microsecond and one more
microsecond earlier, so neither the cut nor the double's rounding can skip the line at `nanos` (Docker's
`since` is inclusive; the caller drops the lines it already saw).
*/
export function nanosToSeconds(nanos: bigint): number {
  const exact = nanos / 1000n;
  const micros = exact > 0n ? exact - 1n : 0n;
  const whole = micros / 1_000_000n;
  const fraction = micros % 1_000_000n;
  return Number(whole) + Number(fraction) / 1e6;
}
