/**
The pure parts of a log read: checking the options, the grep, keeping the last `tail` lines, fitting the newest
lines into `maxBytes`, and merging several containers' lines by time.
*/
import {validationError, type ValidationIssue} from '../../errors.js';
import type {LogLine, LogsOptions} from '../engine.js';
import {timestampNanos} from './log-time.js';

/** Lines a log read returns when `tail` is not given. */
export const DEFAULT_LOG_TAIL = 200;

/** Bytes of text a log read returns at most when `maxBytes` is not given. */
export const DEFAULT_LOG_MAX_BYTES = 256 * 1024;

/** A log read's options, checked, with defaults. */
export interface LogSelection {
  readonly tail: number;
  readonly maxBytes: number;
  readonly grep: RegExp | undefined;
}

/** Checks `tail`, `maxBytes` and `grep`, listing every problem (VALIDATION); an invalid regex gives its error. */
export function logSelection(options: LogsOptions): LogSelection {
  const issues: ValidationIssue[] = [];
  const tail = options.tail ?? DEFAULT_LOG_TAIL;
  if (!Number.isSafeInteger(tail) || tail < 0) {
    issues.push({path: 'tail', message: `${tail} is not a line count`, allowed: 'an integer >= 0'});
  }
  const maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    issues.push({path: 'maxBytes', message: `${maxBytes} is not a byte count`, allowed: 'an integer >= 1'});
  }
  let grep: RegExp | undefined;
  if (options.grep !== undefined && options.grep !== '') {
    try {
      grep = new RegExp(options.grep);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      issues.push({path: 'grep', message: reason, allowed: 'a JavaScript regular expression'});
    }
  }
  if (issues.length > 0) throw validationError(issues, 'log options');
  return {tail, maxBytes, grep};
}

/** Bytes a line counts for against `maxBytes`: its text in UTF-8 and a newline. */
export function lineBytes(line: LogLine): number {
  return Buffer.byteLength(line.text, 'utf8') + 1;
}

/**
The newest lines whose text fits in `maxBytes` (each counted by {@link lineBytes}), in their order;
`truncated` when older lines had to go. A newest line bigger than the budget alone leaves nothing.
*/
export function fitNewest(
  lines: readonly LogLine[],
  maxBytes: number,
): {readonly lines: readonly LogLine[]; readonly truncated: boolean} {
  let used = 0;
  let first = lines.length;
  while (first > 0) {
    const size = lineBytes(lines[first - 1] as LogLine);
    if (used + size > maxBytes) break;
    used += size;
    first -= 1;
  }
  return {lines: first === 0 ? lines : lines.slice(first), truncated: first > 0};
}

/** Keeps the last `tail` items pushed, without holding more than twice that many at any time. */
export class TailKeeper<T> {
  readonly #tail: number;
  #items: T[] = [];
  #seen = 0;

  constructor(tail: number) {
    this.#tail = tail;
  }

  push(item: T): void {
    this.#seen += 1;
    if (this.#tail === 0) return;
    this.#items.push(item);
    if (this.#items.length >= 2 * this.#tail) this.#items = this.#items.slice(-this.#tail);
  }

  /** How many were pushed in all. */
  get seen(): number {
    return this.#seen;
  }

  /** The last `tail` items, oldest first. */
  items(): T[] {
    return this.#tail === 0 ? [] : this.#items.slice(-this.#tail);
  }
}

/** A line's time for ordering; lines without a readable timestamp sort first. */
function sortKey(line: LogLine): bigint {
  return timestampNanos(line.ts) ?? -1n;
}

/**
Merges per-container line lists (each already in time order) into one list ordered by timestamp. Ties keep
the order of the lists, then each list's own order, so the result is stable.
*/
export function mergeByTime(lists: readonly (readonly LogLine[])[]): LogLine[] {
  const keyed = lists.flatMap((lines, list) =>
    lines.map((line, index) => ({line, key: sortKey(line), list, index})),
  );
  keyed.sort((a, b) => {
    if (a.key !== b.key) return a.key < b.key ? -1 : 1;
    return a.list - b.list || a.index - b.index;
  });
  return keyed.map((entry) => entry.line);
}
