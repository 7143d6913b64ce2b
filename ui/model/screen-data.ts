/**
What one frame shows, selected from a store snapshot for the current view and terminal size. The App
re-renders only when this changes (see use-screen-data.ts): an event about a pod off screen, a stats sample
of a container not shown, or an activity line while the events tab is closed costs no frame. That matters
because Ink re-serialises the whole screen on every React commit (about 20 ms at 120x40 here).
*/
import type {ConnectionState, ContainerView, PodView} from '../../src/index.js';
import type {
  ExecOutput,
  LogState,
  Message,
  StatsSeries,
  TuiSnapshot,
  UiActivity,
} from '../store/tui-store.js';
import type {Layout} from './layout.js';
import {computeLayout} from './layout.js';
import {logTargetOf} from './log-target.js';
import {select, windowStart} from './select.js';
import type {ViewState} from './view-state.js';

export interface ScreenData {
  readonly connection: ConnectionState;
  readonly serverVersion: string;
  readonly loaded: boolean;
  readonly podCount: number;
  readonly runningPods: number;
  readonly containerCount: number;
  readonly runningContainers: number;
  /** Pods after the filter; the selected one's index among them. */
  readonly podTotal: number;
  readonly podIndex: number;
  readonly pod: PodView | undefined;
  /** The selected pod's rows (infra first) and the selected row. */
  readonly containers: readonly ContainerView[];
  readonly containerIndex: number;
  readonly container: ContainerView | undefined;
  readonly layout: Layout;
  readonly podStart: number;
  readonly podRows: readonly PodView[];
  readonly containerStart: number;
  readonly containerRows: readonly ContainerView[];
  /** Samples of the container rows on screen only. */
  readonly stats: ReadonlyMap<string, StatsSeries>;
  /** Only while the logs tab shows. */
  readonly logs: LogState | null;
  /** Only while the events tab shows. */
  readonly activity: readonly UiActivity[] | null;
  readonly exec: ExecOutput | null;
  readonly message: Message | null;
  /** Whether a pod list was read but nothing matched (for the empty pods pane). */
  readonly anyPods: boolean;
}

let emptyLogs: LogState = {key: null, lines: [], dropped: 0, ended: false, error: null};

/** No lines yet for `key`: one object per key, so an unchanged empty log does not count as a change. */
function noLogs(key: string): LogState {
  if (emptyLogs.key !== key) emptyLogs = {key, lines: [], dropped: 0, ended: false, error: null};
  return emptyLogs;
}

/** Selects the frame's data. */
export function screenData(
  snapshot: TuiSnapshot,
  view: ViewState,
  rows: number,
  columns: number,
): ScreenData {
  const selection = select(snapshot.pods, view);
  const layout = computeLayout(rows, columns, selection.containers.length);
  const podBody = layout.pods - 1;
  const podStart = windowStart(selection.podIndex, view.podOffset, podBody, selection.pods.length);
  const containerBody = layout.containers - 1;
  const containerStart = windowStart(
    selection.containerIndex,
    view.containerOffset,
    containerBody,
    selection.containers.length,
  );
  const containerRows = selection.containers.slice(containerStart, containerStart + containerBody);
  const logTarget = view.tab === 'logs' ? logTargetOf(view, selection.pod, selection.container) : null;
  const stats = new Map<string, StatsSeries>();
  for (const row of containerRows) {
    const series = snapshot.stats.get(row.id);
    if (series !== undefined) stats.set(row.id, series);
  }
  let runningContainers = 0;
  let containerCount = 0;
  for (const pod of snapshot.pods) {
    containerCount += pod.containers.length;
    for (const c of pod.containers) if (c.status === 'running') runningContainers++;
  }
  return {
    connection: snapshot.connection,
    serverVersion: snapshot.serverVersion,
    loaded: snapshot.loaded,
    podCount: snapshot.pods.length,
    runningPods: snapshot.pods.filter((pod) => pod.status === 'running').length,
    containerCount,
    runningContainers,
    podTotal: selection.pods.length,
    podIndex: selection.podIndex,
    pod: selection.pod,
    containers: selection.containers,
    containerIndex: selection.containerIndex,
    container: selection.container,
    layout,
    podStart,
    podRows: selection.pods.slice(podStart, podStart + podBody),
    containerStart,
    containerRows,
    stats,
    logs:
      logTarget === null ? null : snapshot.logs.key === logTarget.key ? snapshot.logs : noLogs(logTarget.key),
    activity: view.tab === 'events' ? snapshot.activity : null,
    exec: view.tab === 'exec' ? snapshot.exec : null,
    message: snapshot.message,
    anyPods: snapshot.pods.length > 0,
  };
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameMap<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

/** Whether two selections draw the same frame (items compared by identity: the store replaces what changed). */
export function sameScreen(a: ScreenData, b: ScreenData): boolean {
  return (
    a.connection === b.connection &&
    a.serverVersion === b.serverVersion &&
    a.loaded === b.loaded &&
    a.podCount === b.podCount &&
    a.runningPods === b.runningPods &&
    a.containerCount === b.containerCount &&
    a.runningContainers === b.runningContainers &&
    a.podTotal === b.podTotal &&
    a.podIndex === b.podIndex &&
    a.pod === b.pod &&
    sameItems(a.containers, b.containers) &&
    a.containerIndex === b.containerIndex &&
    a.layout.columns === b.layout.columns &&
    a.layout.frame === b.layout.frame &&
    a.layout.pods === b.layout.pods &&
    a.layout.containers === b.layout.containers &&
    a.podStart === b.podStart &&
    sameItems(a.podRows, b.podRows) &&
    a.containerStart === b.containerStart &&
    sameMap(a.stats, b.stats) &&
    a.logs === b.logs &&
    a.activity === b.activity &&
    a.exec === b.exec &&
    a.message === b.message &&
    a.anyPods === b.anyPods
  );
}
