/** The cells of pod and container rows (pure; the panes colour and lay them out). */
import type {ContainerView, PodView} from '../../src/index.js';
import type {StatsSeries} from '../store/tui-store.js';
import type {Column} from './columns.js';
import {formatBytes, formatPercent, formatPorts, formatSince} from './format.js';

export const POD_COLUMNS: readonly Column[] = [
  {title: 'POD', width: 0, priority: 100},
  {title: 'STATUS', width: 8, priority: 90},
  {title: 'READY', width: 5, priority: 80},
  {title: 'HEALTH', width: 9, priority: 60},
  {title: 'RESTARTS', width: 8, align: 'right', priority: 70},
  {title: 'IP', width: 15, priority: 30},
  {title: 'PORTS', width: 14, priority: 40},
  {title: 'AGE', width: 6, align: 'right', priority: 50},
];

export const CONTAINER_COLUMNS: readonly Column[] = [
  {title: 'CONTAINER', width: 0, priority: 100},
  {title: 'STATUS', width: 11, priority: 90},
  {title: 'HEALTH', width: 9, priority: 70},
  {title: 'RESTARTS', width: 8, align: 'right', priority: 60},
  {title: 'CPU%', width: 6, align: 'right', priority: 80},
  {title: 'MEM', width: 9, align: 'right', priority: 75},
  {title: 'PORTS', width: 14, priority: 30},
  {title: 'UPTIME', width: 6, align: 'right', priority: 50},
];

/** `healthy`, `unhealthy`, `starting` or `-`. */
export function healthText(healthy: boolean | null, health?: ContainerView['health']): string {
  if (health?.status === 'starting') return 'starting';
  if (healthy === null) return '-';
  return healthy ? 'healthy' : 'unhealthy';
}

/**
The pod's health from its containers' (kept current by `container:health` events, while the pod view itself
only changes with the pod's status); the pod's own value when no container reports one.
*/
export function podHealthy(pod: PodView): boolean | null {
  const checked = pod.containers.filter((c) => c.healthy !== null);
  return checked.length === 0 ? pod.healthy : checked.every((c) => c.healthy === true);
}

/** The cells of a pod row, in POD_COLUMNS order. */
export function podCells(pod: PodView, now: number): string[] {
  const running = pod.containers.filter((c) => c.status === 'running').length;
  const restarts = pod.containers.reduce((sum, c) => sum + c.restartCount, 0);
  return [
    pod.name,
    pod.status,
    `${running}/${pod.containers.length}`,
    healthText(podHealthy(pod)),
    String(restarts),
    pod.ip === '' ? '-' : pod.ip,
    formatPorts(pod.ports),
    formatSince(pod.createdAt, now),
  ];
}

/** The cells of a container row, in CONTAINER_COLUMNS order. Stats only exist for rows on screen. */
export function containerCells(
  container: ContainerView,
  pod: PodView,
  stats: StatsSeries | undefined,
  now: number,
): string[] {
  const running = container.status === 'running';
  const status =
    container.status === 'exited' && container.exitCode !== null
      ? `exited(${container.exitCode})`
      : container.oomKilled
        ? 'oomkilled'
        : container.status;
  return [
    container.role === 'infra' ? `${container.name} (pause)` : container.name,
    status,
    healthText(container.healthy, container.health),
    String(container.restartCount),
    running ? formatPercent(stats?.latest.cpuPercent) : '-',
    running ? formatBytes(stats?.latest.memoryBytes) : '-',
    formatPorts(pod.ports),
    running ? formatSince(container.startedAt, now) : '-',
  ];
}
