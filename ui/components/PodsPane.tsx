import type {PodView} from '../../src/index.js';
import {podStatusColor, healthColor} from '../theme.js';
import {POD_COLUMNS, podCells, podHealthy} from '../model/rows.js';
import type {TableRow} from './TablePane.js';
import {TablePane} from './TablePane.js';

type Props = {
  /** The pods on screen. */
  readonly pods: readonly PodView[];
  /** Index of `pods[0]` in the whole list. */
  readonly start: number;
  readonly total: number;
  /** Index of the selected pod in the whole list. */
  readonly selected: number;
  readonly focused: boolean;
  readonly marks: readonly string[];
  readonly height: number;
  readonly width: number;
  readonly now: number;
  readonly filter: string;
  readonly sort: string;
  /** What to say when there are no pods. */
  readonly empty: string;
};

/** The pods pane. */
export function PodsPane({
  pods,
  start,
  total,
  selected,
  focused,
  marks,
  height,
  width,
  now,
  filter,
  sort,
  empty,
}: Props) {
  const rows: TableRow[] = pods.map((pod) => ({
    key: pod.name,
    cells: podCells(pod, now),
    colors: [undefined, podStatusColor(pod.status), undefined, healthColor(podHealthy(pod))],
    marked: marks.includes(pod.name),
  }));
  const extras = [
    filter === '' ? '' : `filter:${filter}`,
    sort === 'name' ? '' : `sort:${sort}`,
    marks.length > 0 ? `marked:${marks.length}` : '',
  ]
    .filter((text) => text !== '')
    .join(' ');
  const title = `PODS ${total === 0 ? 0 : selected + 1}/${total}${extras === '' ? '' : ` ${extras}`}`;
  return (
    <TablePane
      title={title}
      columns={POD_COLUMNS}
      rows={rows}
      selected={selected - start}
      focused={focused}
      height={height}
      width={width}
      empty={empty}
    />
  );
}
