/** Log lines as the logs tab shows them: prefix, sanitised text, and search matches. */
import type {LogLine} from '../../src/index.js';
import {sanitizeLine} from './format.js';

/** A log line ready to draw. */
export interface DisplayLine {
  /** `HH:MM:SS.mmm ` when timestamps are on. */
  readonly time: string;
  /** The container name in merged pod logs, else ''. */
  readonly source: string;
  readonly stderr: boolean;
  readonly text: string;
}

/** Formats a Docker timestamp (RFC 3339 with nanoseconds) as local `HH:MM:SS.mmm`. */
export function logTime(ts: string): string {
  const at = new Date(ts);
  if (Number.isNaN(at.getTime())) return ts.slice(11, 23);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

/** The displayed form of a line. */
export function toDisplayLine(
  line: LogLine,
  options: {readonly timestamps: boolean; readonly merged: boolean},
): DisplayLine {
  return {
    time: options.timestamps ? `${logTime(line.ts)} ` : '',
    source: options.merged ? line.container : '',
    stderr: line.stream === 'stderr',
    text: sanitizeLine(line.text),
  };
}

/** Indexes of the lines whose text contains `needle` (case-insensitive). */
export function matchingLines(lines: readonly LogLine[], needle: string): number[] {
  if (needle === '') return [];
  const lower = needle.toLowerCase();
  const out: number[] = [];
  lines.forEach((line, index) => {
    if (line.text.toLowerCase().includes(lower)) out.push(index);
  });
  return out;
}

/** A run of text, marked when it is a match. */
export interface Segment {
  readonly text: string;
  readonly match: boolean;
}

/** Splits text into runs around each case-insensitive occurrence of `needle`. */
export function splitMatches(text: string, needle: string): readonly Segment[] {
  if (needle === '') return [{text, match: false}];
  const lowerText = text.toLowerCase();
  const lower = needle.toLowerCase();
  const out: Segment[] = [];
  let from = 0;
  for (let at = lowerText.indexOf(lower); at !== -1; at = lowerText.indexOf(lower, from)) {
    if (at > from) out.push({text: text.slice(from, at), match: false});
    out.push({text: text.slice(at, at + needle.length), match: true});
    from = at + needle.length;
  }
  if (from < text.length) out.push({text: text.slice(from), match: false});
  return out;
}

/** The next match after (delta 1) or before (delta -1) line `from`, wrapping around; null without matches. */
export function nextMatch(matches: readonly number[], from: number, delta: 1 | -1): number | null {
  if (matches.length === 0) return null;
  if (delta === 1) return matches.find((i) => i > from) ?? matches[0] ?? null;
  return [...matches].reverse().find((i) => i < from) ?? matches[matches.length - 1] ?? null;
}
