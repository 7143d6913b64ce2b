import {Box} from 'ink';
import type {ColorName} from '../theme.js';
import type {Column} from '../model/columns.js';
import {fitColumns, layoutRow} from '../model/columns.js';
import {fit} from '../model/format.js';
import type {Span} from './Line.js';
import {Line} from './Line.js';

/** One row of a table pane. */
export interface TableRow {
  readonly key: string;
  readonly cells: readonly string[];
  /** A colour per cell (undefined: default). */
  readonly colors: readonly (ColorName | undefined)[];
  readonly marked: boolean;
  readonly dim?: boolean;
}

type Props = {
  /** The first column's title, with counts and the like. */
  readonly title: string;
  readonly columns: readonly Column[];
  /** Only the rows on screen (the caller windows the list). */
  readonly rows: readonly TableRow[];
  /** Index in `rows` of the selected row, or -1. */
  readonly selected: number;
  readonly focused: boolean;
  /** Lines including the title. */
  readonly height: number;
  readonly width: number;
  /** Shown instead of rows when there are none. */
  readonly empty: string;
};

/** Two characters before each row: the mark and the cursor. */
const GUTTER = 2;

/** A titled, windowed table that fills exactly `height` lines. */
export function TablePane({title, columns, rows, selected, focused, height, width, empty}: Props) {
  const fitted = fitColumns(columns, width - GUTTER);
  const header = layoutRow(columns, fitted, [title, ...columns.slice(1).map((c) => c.title)]).join(' ');
  const lines = rows.slice(0, Math.max(0, height - 1)).map((row, i) => {
    const isSelected = i === selected;
    const cells = layoutRow(columns, fitted, row.cells);
    const kept = row.colors.filter((_, c) => fitted.keep[c]);
    const spans: Span[] = [
      {text: `${row.marked ? '*' : ' '}${isSelected && !focused ? '›' : ' '}`, bold: true},
    ];
    cells.forEach((cell, c) => {
      spans.push({
        text: c === 0 ? cell : ` ${cell}`,
        color: isSelected && focused ? undefined : kept[c],
        ...(row.dim === true ? {dim: true} : {}),
        ...(isSelected && !focused ? {bold: true} : {}),
      });
    });
    return <Line key={row.key} spans={spans} inverse={isSelected && focused} />;
  });
  return (
    <Box flexDirection="column" height={height} width={width} overflowY="hidden">
      <Line spans={[{text: fit(`${focused ? '▌ ' : '  '}${header}`, width)}]} inverse={focused} bold />
      {lines.length === 0 ? <Line spans={[{text: `  ${empty}`, dim: true}]} /> : lines}
    </Box>
  );
}
