import type {LogLine} from '../../src/index.js';
import {sourceColor} from '../theme.js';
import {splitMatches, toDisplayLine} from '../model/log-lines.js';
import type {Span} from './Line.js';
import {Line} from './Line.js';

type Props = {
  /** Every buffered line, oldest first. */
  readonly lines: readonly LogLine[];
  readonly height: number;
  readonly follow: boolean;
  /** First line shown when not following. */
  readonly scroll: number;
  readonly timestamps: boolean;
  /** Merged pod logs: each line names its container. */
  readonly merged: boolean;
  readonly search: string;
  readonly ended: boolean;
  readonly error: string | null;
};

/** The first line shown: the tail when following, else the scroll position kept within the buffer. */
export function logWindowStart(total: number, height: number, follow: boolean, scroll: number): number {
  const last = Math.max(0, total - height);
  return follow ? last : Math.min(Math.max(0, scroll), last);
}

/** The logs tab: a window on the buffered lines, with search matches highlighted. */
export function LogView({lines, height, follow, scroll, timestamps, merged, search, ended, error}: Props) {
  if (lines.length === 0) {
    const text =
      error !== null ? `log stream failed: ${error}` : ended ? '(no log lines)' : '(waiting for log lines…)';
    return (
      <Line
        spans={[{text: `  ${text}`, dim: error === null, ...(error === null ? {} : {color: 'red' as const})}]}
      />
    );
  }
  const start = logWindowStart(lines.length, height, follow, scroll);
  const sourceWidth = merged ? Math.max(...lines.map((l) => l.container.length)) : 0;
  return (
    <>
      {lines.slice(start, start + height).map((line, i) => {
        const shown = toDisplayLine(line, {timestamps, merged});
        const spans: Span[] = [];
        if (shown.time !== '') spans.push({text: shown.time, dim: true});
        if (shown.source !== '')
          spans.push({text: `${shown.source.padEnd(sourceWidth)} │ `, color: sourceColor(shown.source)});
        for (const segment of splitMatches(shown.text, search)) {
          spans.push(
            segment.match
              ? {text: segment.text, inverse: true, color: 'yellow', bold: true}
              : {text: segment.text, ...(shown.stderr ? {color: 'red' as const} : {})},
          );
        }
        // Keys by absolute index: a scrolled window re-renders only the lines that moved in.
        return <Line key={start + i} spans={spans} />;
      })}
    </>
  );
}
