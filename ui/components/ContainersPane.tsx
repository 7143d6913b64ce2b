import type {ContainerView, PodView} from '../../src/index.js';
import type {StatsSeries} from '../store/tui-store.js';
import {containerStatusColor, healthColor} from '../theme.js';
import {CONTAINER_COLUMNS, containerCells} from '../model/rows.js';
import {containerKey} from '../model/select.js';
import type {TableRow} from './TablePane.js';
import {TablePane} from './TablePane.js';

type Props = {
  readonly pod: PodView | undefined;
  /** The containers on screen. */
  readonly containers: readonly ContainerView[];
  readonly start: number;
  readonly total: number;
  readonly selected: number;
  readonly focused: boolean;
  readonly marks: readonly string[];
  readonly stats: ReadonlyMap<string, StatsSeries>;
  readonly height: number;
  readonly width: number;
  readonly now: number;
};

/** The containers of the selected pod. */
export function ContainersPane({
  pod,
  containers,
  start,
  total,
  selected,
  focused,
  marks,
  stats,
  height,
  width,
  now,
}: Props) {
  const rows: TableRow[] =
    pod === undefined
      ? []
      : containers.map((container) => ({
          key: containerKey(container),
          cells: containerCells(container, pod, stats.get(container.id), now),
          colors: [undefined, containerStatusColor(container.status), healthColor(container.healthy)],
          marked: marks.includes(containerKey(container)),
          dim: container.role === 'infra',
        }));
  const title =
    pod === undefined ? 'CONTAINERS' : `CONTAINERS of ${pod.name} ${total === 0 ? 0 : selected + 1}/${total}`;
  return (
    <TablePane
      title={title}
      columns={CONTAINER_COLUMNS}
      rows={rows}
      selected={selected - start}
      focused={focused}
      height={height}
      width={width}
      empty={pod === undefined ? 'select a pod' : 'no containers'}
    />
  );
}
