import {createContext, memo, useContext} from 'react';
import {Text} from 'ink';
import type {ColorName} from '../theme.js';
import {useTheme} from '../theme.js';

/** A run of text with optional emphasis. */
export interface Span {
  readonly text: string;
  readonly color?: ColorName | undefined;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

type Props = {
  readonly spans: readonly Span[];
  readonly inverse?: boolean;
  readonly bold?: boolean;
};

function same(a: Props, b: Props): boolean {
  if (a.inverse !== b.inverse || a.bold !== b.bold || a.spans.length !== b.spans.length) return false;
  return a.spans.every((span, i) => {
    const other = b.spans[i];
    return (
      other !== undefined &&
      span.text === other.text &&
      span.color === other.color &&
      span.bold === other.bold &&
      span.dim === other.dim &&
      span.inverse === other.inverse
    );
  });
}

function sameStyle(a: Span, b: Span): boolean {
  return a.color === b.color && a.bold === b.bold && a.dim === b.dim && a.inverse === b.inverse;
}

/**
Adjacent spans of one style merged (Ink's cost per frame grows with the number of text nodes), and line breaks
flattened: a message with a newline must not add a line to the frame.
*/
export function coalesce(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const raw of spans) {
    const span = raw.text.includes('\n') ? {...raw, text: raw.text.replace(/\s*\n\s*/g, ' · ')} : raw;
    const last = out[out.length - 1];
    if (last !== undefined && sameStyle(last, span))
      out[out.length - 1] = {...last, text: last.text + span.text};
    else out.push(span);
  }
  return out;
}

/** The width lines are cut at (the frame's columns); Infinity leaves cutting to Ink. */
export const LineWidth = createContext(Number.POSITIVE_INFINITY);

/**
Spans cut to `width` characters, the last one ending in `…`. Cutting here, on plain strings, spares Ink its
ANSI-aware truncation of every over-long line on every frame; Ink still truncates what this cannot measure
(wide characters).
*/
export function cut(spans: readonly Span[], width: number): Span[] {
  let total = 0;
  for (const span of spans) total += span.text.length;
  if (total <= width) return spans.slice();
  const out: Span[] = [];
  let left = width - 1;
  for (const span of spans) {
    if (left <= 0) break;
    out.push(span.text.length <= left ? span : {...span, text: span.text.slice(0, left)});
    left -= span.text.length;
  }
  out.push({text: '…'});
  return out;
}

/**
One terminal line made of spans, cut (never wrapped) at the pane's width so it cannot add lines to the frame.
Memoised on the spans' content: rows that did not change cost nothing to re-render.
*/
export const Line = memo(function Line({spans, inverse, bold}: Props) {
  const theme = useTheme();
  const width = useContext(LineWidth);
  return (
    <Text wrap="truncate-end" inverse={inverse ?? false} bold={bold ?? false}>
      {cut(coalesce(spans), width).map((span, i) => {
        const color = span.color === undefined ? undefined : theme.color(span.color);
        // Plain text needs no node of its own.
        if (color === undefined && span.bold !== true && span.dim !== true && span.inverse !== true)
          return span.text;
        return (
          <Text
            key={i}
            {...(color === undefined ? {} : {color})}
            bold={span.bold ?? false}
            dimColor={span.dim ?? false}
            inverse={span.inverse ?? false}
          >
            {span.text}
          </Text>
        );
      })}
    </Text>
  );
}, same);
