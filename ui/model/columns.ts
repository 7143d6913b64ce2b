/**
Fixed-width table rows. Each column has a width and a priority; the first column is flexible (takes what is
left) and narrow terminals drop the lowest-priority columns first, so a row never wraps.
*/
import {fit} from './format.js';

export interface Column {
  readonly title: string;
  readonly width: number;
  readonly align?: 'left' | 'right';
  /** Higher stays longer when the terminal is narrow. */
  readonly priority: number;
}

/** The columns that fit: which to keep and how wide the flexible first column is. */
export interface Fitted {
  readonly keep: readonly boolean[];
  readonly flexWidth: number;
}

/** Fits `columns` (the first flexible, at least `minFlex` wide) into `width` characters. */
export function fitColumns(columns: readonly Column[], width: number, minFlex = 12): Fitted {
  const keep = columns.map(() => true);
  const used = (): number =>
    columns.reduce((sum, column, i) => (i === 0 || !keep[i] ? sum : sum + column.width + 1), 0);
  const order = columns
    .map((column, i) => ({i, priority: column.priority}))
    .slice(1)
    .sort((a, b) => a.priority - b.priority);
  for (const {i} of order) {
    if (width - used() >= minFlex) break;
    keep[i] = false;
  }
  return {keep, flexWidth: Math.max(1, width - used())};
}

/** One row's cells laid out on the fitted columns. */
export function layoutRow(columns: readonly Column[], fitted: Fitted, cells: readonly string[]): string[] {
  const out: string[] = [];
  columns.forEach((column, i) => {
    if (!fitted.keep[i]) return;
    const width = i === 0 ? fitted.flexWidth : column.width;
    out.push(fit(cells[i] ?? '', width, column.align ?? 'left'));
  });
  return out;
}
