import {memo} from 'react';
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

/** Adjacent spans of one style merged: Ink's cost per frame grows with the number of text nodes. */
export function coalesce(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last !== undefined && sameStyle(last, span))
      out[out.length - 1] = {...last, text: last.text + span.text};
    else out.push(span);
  }
  return out;
}

/**
One terminal line made of spans, cut (never wrapped) at the pane's width so it cannot add lines to the frame.
Memoised on the spans' content: rows that did not change cost nothing to re-render.
*/
export const Line = memo(function Line({spans, inverse, bold}: Props) {
  const theme = useTheme();
  return (
    <Text wrap="truncate-end" inverse={inverse ?? false} bold={bold ?? false}>
      {coalesce(spans).map((span, i) => {
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
