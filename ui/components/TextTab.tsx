import {sanitizeLine} from '../model/format.js';
import {Line} from './Line.js';

type Props = {
  /** The text, or null while it loads. */
  readonly lines: readonly string[] | null;
  readonly error: string | null;
  readonly height: number;
  readonly scroll: number;
};

/** A scrollable block of text (spec, inspect). */
export function TextTab({lines, error, height, scroll}: Props) {
  if (error !== null) return <Line spans={[{text: `  ${error}`, color: 'red'}]} />;
  if (lines === null) return <Line spans={[{text: '  loading…', dim: true}]} />;
  const start = Math.min(Math.max(0, scroll), Math.max(0, lines.length - height));
  return (
    <>
      {lines.slice(start, start + height).map((line, i) => (
        <Line key={start + i} spans={[{text: sanitizeLine(line)}]} />
      ))}
    </>
  );
}
