/** Plain-text rendering for the headless commands. */
import type {PodView} from '../../src/index.js';

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function health(healthy: boolean | null): string {
  if (healthy === null) return '-';
  return healthy ? 'healthy' : 'unhealthy';
}

export function podsTable(pods: readonly PodView[]): string {
  if (pods.length === 0) return 'no pods (try `bcs-executor demo`)';
  return table(
    ['POD', 'STATUS', 'IP', 'CONTAINERS', 'HEALTH', 'MESSAGE'],
    pods.map((pod) => {
      const running = pod.containers.filter((c) => c.status === 'running').length;
      return [
        pod.name,
        pod.status,
        pod.ip || '-',
        `${running}/${pod.containers.length}`,
        health(pod.healthy),
        pod.message,
      ];
    }),
  );
}

export function podDetails(pod: PodView): string {
  const ports = pod.ports.map(
    (p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`,
  );
  const head = [
    `pod:       ${pod.name} (${pod.id.slice(0, 12) || 'no infra'})`,
    `status:    ${pod.status}${pod.message ? ` (${pod.message})` : ''}`,
    `network:   ${pod.network.driver}/${pod.network.name}  ip ${pod.ip || '-'}  hostname ${pod.hostname || '-'}`,
    `ports:     ${ports.length > 0 ? ports.join(', ') : '-'}`,
    `restart:   ${pod.restartPolicy}`,
    `created:   ${pod.id === '' ? '-' : pod.createdAt}`,
    '',
  ].join('\n');
  const rows = [pod.infra, ...pod.containers].map((c) => [
    c.name,
    c.id.slice(0, 12) || '-',
    c.status,
    health(c.healthy),
    c.exitCode === null ? '-' : String(c.exitCode) + (c.oomKilled ? ' (OOM)' : ''),
    String(c.restartCount),
    c.image,
  ]);
  return head + table(['CONTAINER', 'ID', 'STATUS', 'HEALTH', 'EXIT', 'RESTARTS', 'IMAGE'], rows);
}
