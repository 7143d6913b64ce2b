import type {ContainerView} from '../../src/index.js';
import {fit, formatClock} from '../model/format.js';
import {healthColor} from '../theme.js';
import {Line} from './Line.js';

type Props = {
  readonly container: ContainerView | undefined;
  readonly height: number;
  readonly scroll: number;
};

/** The health tab: the check's state and its probe history, newest first (time, result, duration, output). */
export function HealthTab({container, height, scroll}: Props) {
  if (container === undefined) return <Line spans={[{text: '  (no container selected)', dim: true}]} />;
  const health = container.health;
  if (health === null) {
    const docker =
      container.dockerHealth === null || container.dockerHealth === 'none'
        ? ''
        : ` (Docker HEALTHCHECK: ${container.dockerHealth})`;
    return (
      <Line
        spans={[{text: `  ${container.pod}/${container.name} has no health check${docker}`, dim: true}]}
      />
    );
  }
  const summary = `${health.type} check  ${health.status}  checks ${health.totalChecks}  failures ${health.totalFailures}  streak ${health.consecutiveFailures}`;
  const history = [...health.history].reverse();
  const body = Math.max(0, height - 2);
  const start = Math.min(Math.max(0, scroll), Math.max(0, history.length - body));
  return (
    <>
      <Line
        spans={[
          {
            text: summary,
            bold: true,
            color: healthColor(health.status === 'starting' ? null : health.status === 'healthy'),
          },
        ]}
      />
      <Line
        spans={[
          {text: `${fit('TIME', 9)} ${fit('RESULT', 6)} ${fit('DURATION', 8, 'right')}  OUTPUT`, dim: true},
        ]}
      />
      {history.length === 0 ? <Line spans={[{text: '  (no probe has run yet)', dim: true}]} /> : null}
      {history.slice(start, start + body).map((probe, i) => (
        <Line
          key={start + i}
          spans={[
            {text: `${fit(formatClock(probe.at), 9)} `},
            {text: fit(probe.ok ? 'ok' : 'FAIL', 6), color: probe.ok ? 'green' : 'red', bold: !probe.ok},
            {text: ` ${fit(`${probe.durationMs} ms`, 8, 'right')}  `},
            {text: probe.output.replace(/\s+/g, ' ').trim(), dim: true},
          ]}
        />
      ))}
    </>
  );
}
