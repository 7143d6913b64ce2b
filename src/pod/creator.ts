/**
Who created a pod: `<host>:<pid>:<process start ms>` on the infra's `creator` label, and whether that process
is still alive. The start time tells a live creator from a recycled pid: both are read from /proc the same way
(boot time + the process's start ticks), so the same process always gives the same value.
*/
import {readFileSync} from 'node:fs';
import {hostname} from 'node:os';

/** Linux's USER_HZ: /proc/<pid>/stat counts start time in these ticks on every mainstream architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

let bootTimeMs: number | undefined;

function readBootTimeMs(): number | undefined {
  if (bootTimeMs !== undefined) return bootTimeMs;
  try {
    const match = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    if (match?.[1] !== undefined) bootTimeMs = Number(match[1]) * 1000;
  } catch {
    return undefined;
  }
  return bootTimeMs;
}

/**
The start time of process `pid` in milliseconds since the epoch, from /proc; undefined when the process does
not exist (or /proc cannot tell).
*/
export function processStartMs(pid: number): number | undefined {
  const boot = readBootTimeMs();
  if (boot === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Field 22 overall (starttime) is the 20th after the name: state is field 3.
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? boot + Math.round((ticks * 1000) / CLOCK_TICKS_PER_SECOND) : undefined;
}

let self: string | undefined;

/** This process's creator id. */
export function currentCreator(): string {
  self ??= `${hostname()}:${process.pid}:${processStartMs(process.pid) ?? Math.round(performance.timeOrigin)}`;
  return self;
}

/** A creator label's parts. */
export interface CreatorId {
  readonly host: string;
  readonly pid: number;
  readonly startMs: number;
}

/** Parses a creator label; undefined when it is not one. Host names hold no `:`, so the last two fields are numbers. */
export function parseCreator(text: string): CreatorId | undefined {
  const parts = text.split(':');
  if (parts.length < 3) return undefined;
  const startMs = Number(parts.pop());
  const pid = Number(parts.pop());
  const host = parts.join(':');
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isFinite(startMs) || host === '') return undefined;
  return {host, pid, startMs};
}

/**
What is known about the creator process: `alive`, `gone` (same host, and no process with that pid and start
time), or `unknown` (another host, or a label that cannot be read).
*/
export type CreatorLiveness = 'alive' | 'gone' | 'unknown';

/** `isAlive` is injectable for tests; by default it checks this host's /proc. */
export function creatorLiveness(
  creator: string,
  isAlive: (id: CreatorId) => boolean = processIsAlive,
): CreatorLiveness {
  const id = parseCreator(creator);
  if (id === undefined || id.host !== hostname()) return 'unknown';
  return isAlive(id) ? 'alive' : 'gone';
}

/** Same host: a process with that pid exists and started when the label says (within a tick's rounding). */
export function processIsAlive(id: CreatorId): boolean {
  if (id.pid === process.pid) return currentCreator() === `${id.host}:${id.pid}:${id.startMs}`;
  const startMs = processStartMs(id.pid);
  if (startMs === undefined) return false;
  return Math.abs(startMs - id.startMs) <= 1000 / CLOCK_TICKS_PER_SECOND;
}
