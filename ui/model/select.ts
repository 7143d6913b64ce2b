/** Pure selectors: the lists the panes show, the selection in them, and list windows. */
import type {ContainerView, PodView} from '../../src/index.js';
import type {SortKey, ViewState} from './view-state.js';

const STATUS_ORDER = ['failed', 'killing', 'starting', 'init', 'running', 'unknown', 'killed', 'finish'];

function restartsOf(pod: PodView): number {
  return pod.containers.reduce((sum, c) => sum + c.restartCount, 0);
}

/** Pods matching the filter (a case-insensitive substring of the name), in the chosen order. */
export function visiblePods(pods: readonly PodView[], filter: string, sort: SortKey): readonly PodView[] {
  const needle = filter.trim().toLowerCase();
  const shown = needle === '' ? pods.slice() : pods.filter((pod) => pod.name.toLowerCase().includes(needle));
  const byName = (a: PodView, b: PodView): number => a.name.localeCompare(b.name);
  switch (sort) {
    case 'name':
      return shown.sort(byName);
    case 'status':
      return shown.sort(
        (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || byName(a, b),
      );
    case 'age':
      return shown.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || byName(a, b));
    case 'restarts':
      return shown.sort((a, b) => restartsOf(b) - restartsOf(a) || byName(a, b));
  }
}

/** The pod's rows in the containers pane: the infra container first, then the apps in spec order. */
export function containerRows(pod: PodView | undefined): readonly ContainerView[] {
  return pod === undefined ? [] : [pod.infra, ...pod.containers];
}

/** Index of the item named `name`, or 0 (the first) when it is gone or none is selected. */
export function indexOfName(items: readonly {readonly name: string}[], name: string | null): number {
  if (name === null) return 0;
  const index = items.findIndex((item) => item.name === name);
  return index === -1 ? 0 : index;
}

/** The ref the engine takes for a container: its id, or `POD/NAME` while it has none. */
export function containerRef(container: ContainerView): string {
  return container.id === '' ? `${container.pod}/${container.name}` : container.id;
}

/** The key of a container in the marks. */
export function containerKey(container: ContainerView): string {
  return `${container.pod}/${container.name}`;
}

/** The first row of a window of `height` rows that keeps `index` visible, moving as little as possible. */
export function windowStart(index: number, offset: number, height: number, total: number): number {
  if (height <= 0 || total <= height) return 0;
  let start = Math.min(Math.max(0, offset), total - height);
  if (index < start) start = index;
  if (index >= start + height) start = index - height + 1;
  return Math.max(0, start);
}

/** A cursor move in a windowed list: the new index and the window start that keeps it visible. */
export function moveCursor(
  index: number,
  delta: number,
  total: number,
  offset: number,
  height: number,
): {readonly index: number; readonly offset: number} {
  if (total === 0) return {index: 0, offset: 0};
  const next = Math.min(total - 1, Math.max(0, index + delta));
  return {index: next, offset: windowStart(next, offset, height, total)};
}

/** What the detail pane is about: the selected pod and container. */
export interface Selection {
  readonly pods: readonly PodView[];
  readonly podIndex: number;
  readonly pod: PodView | undefined;
  readonly containers: readonly ContainerView[];
  readonly containerIndex: number;
  readonly container: ContainerView | undefined;
}

/** Resolves the view's selection against the current pods. */
export function select(pods: readonly PodView[], view: ViewState): Selection {
  const shown = visiblePods(pods, view.filter, view.sort);
  const podIndex = indexOfName(shown, view.pod);
  const pod = shown[podIndex];
  const containers = containerRows(pod);
  // With nothing chosen yet, the first app (not the infra) is the interesting row.
  const containerIndex =
    view.container === null
      ? Math.min(1, Math.max(0, containers.length - 1))
      : indexOfName(containers, view.container);
  return {pods: shown, podIndex, pod, containers, containerIndex, container: containers[containerIndex]};
}
