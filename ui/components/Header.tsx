import type {ConnectionState} from '../../src/index.js';
import type {Span} from './Line.js';
import {Line} from './Line.js';

type Props = {
  readonly connection: ConnectionState;
  readonly serverVersion: string;
  readonly pods: number;
  readonly runningPods: number;
  readonly containers: number;
  readonly runningContainers: number;
};

/** The top line: engine host, API version, connection state, pod and container counts. */
export function Header({connection, serverVersion, pods, runningPods, containers, runningContainers}: Props) {
  const state: Span = connection.connected
    ? {text: '● connected', color: 'green', bold: true}
    : {
        text: `○ engine unreachable, retrying${connection.error === undefined ? '' : `: ${connection.error}`}`,
        color: 'red',
        bold: true,
      };
  const api = connection.apiVersion === '' ? 'API ?' : `API ${connection.apiVersion}`;
  const version = serverVersion === '' ? '' : ` (engine ${serverVersion})`;
  const spans: Span[] = [
    {text: ' bcs-executor ', bold: true, color: 'cyan'},
    {text: `│ ${connection.endpoint} │ ${api}${version} │ `},
    state,
    {
      text: ` │ pods ${pods} (${runningPods} running) │ containers ${containers} (${runningContainers} running)`,
    },
  ];
  return <Line spans={spans} />;
}
