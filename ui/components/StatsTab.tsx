import type {ContainerView} from '../../src/index.js';
import type {StatsSeries} from '../store/tui-store.js';
import {fit, formatBytes, formatPercent, sparkline} from '../model/format.js';
import {Line} from './Line.js';

type Props = {
  /** The selected pod's containers on screen (stats exist only for those). */
  readonly containers: readonly ContainerView[];
  readonly stats: ReadonlyMap<string, StatsSeries>;
  readonly selected: string | null;
  readonly width: number;
  readonly height: number;
};

/** The stats tab: one line per container, CPU and memory sparklines with the current values. */
export function StatsTab({containers, stats, selected, width, height}: Props) {
  const nameWidth = Math.max(9, ...containers.map((c) => c.name.length));
  // name, "CPU ", spark, " 100.0%", "  MEM ", spark, " 1023.9 MiB / 1023.9 MiB"
  const spark = Math.max(4, Math.min(40, Math.floor((width - nameWidth - 2 - 4 - 7 - 6 - 24) / 2)));
  const lines = containers.map((container) => {
    const series = stats.get(container.id);
    const name = fit(container.name, nameWidth);
    if (container.status !== 'running') {
      return (
        <Line
          key={container.name}
          spans={[
            {text: `${name}  `, bold: container.name === selected},
            {text: `(${container.status}: no stats)`, dim: true},
          ]}
        />
      );
    }
    if (series === undefined) {
      return (
        <Line
          key={container.name}
          spans={[
            {text: `${name}  `, bold: container.name === selected},
            {text: '(waiting for the first sample…)', dim: true},
          ]}
        />
      );
    }
    const limit = series.latest.memoryLimitBytes;
    return (
      <Line
        key={container.name}
        spans={[
          {text: `${name}  `, bold: container.name === selected},
          {text: 'CPU ', dim: true},
          // Each line scales to its own peak (at least 1 % or 1 byte): the shape, not the absolute level, is the point.
          {text: sparkline(series.cpu, spark), color: 'green'},
          {text: fit(formatPercent(series.latest.cpuPercent), 7, 'right')},
          {text: '  MEM ', dim: true},
          {text: sparkline(series.memory, spark), color: 'magenta'},
          {text: ` ${formatBytes(series.latest.memoryBytes)}${limit > 0 ? ` / ${formatBytes(limit)}` : ''}`},
        ]}
      />
    );
  });
  const selectedContainer = containers.find((c) => c.name === selected);
  const selectedSeries = selectedContainer === undefined ? undefined : stats.get(selectedContainer.id);
  const footer =
    selectedSeries === undefined
      ? null
      : `${selected ?? ''}: net rx ${formatBytes(selectedSeries.latest.networkRxBytes)} tx ${formatBytes(selectedSeries.latest.networkTxBytes)}  block r ${formatBytes(selectedSeries.latest.blockReadBytes)} w ${formatBytes(selectedSeries.latest.blockWriteBytes)}  pids ${selectedSeries.latest.pids}`;
  if (containers.length === 0) return <Line spans={[{text: '  (no containers on screen)', dim: true}]} />;
  return (
    <>
      {lines.slice(0, Math.max(0, height - (footer === null ? 0 : 1)))}
      {footer === null ? null : <Line spans={[{text: footer, dim: true}]} />}
    </>
  );
}
