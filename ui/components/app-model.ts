/** Pure helpers of the App: what the logs and text tabs follow, what an empty pods pane says. */
import type {ContainerView, PodView} from '../../src/index.js';
import type {TextRequest} from '../hooks/use-detail-text.js';
import type {LogTarget} from '../hooks/use-log-follow.js';
import type {Selection} from '../model/select.js';
import {containerRef} from '../model/select.js';
import type {ViewState} from '../model/view-state.js';
import type {TuiSnapshot} from '../store/tui-store.js';

/** The log stream of the logs tab: the pod's merged logs or the selected container's. */
export function logTargetOf(view: ViewState, selection: Selection): LogTarget | null {
  if (view.logScope === 'pod') {
    return selection.pod === undefined ? null : {key: `pod:${selection.pod.name}`, ref: selection.pod.name};
  }
  const container = selection.container;
  if (container === undefined) return null;
  const ref = containerRef(container);
  return {key: `container:${ref}`, ref};
}

/** The spec or inspect text the tab needs, keyed so it reloads when the thing changes. */
export function textRequestOf(view: ViewState, selection: Selection): TextRequest | null {
  if (view.tab === 'spec' && selection.pod !== undefined) {
    const pod = selection.pod;
    return {key: `spec:${pod.name}:${pod.specHash}`, kind: 'spec', ref: pod.name};
  }
  if (view.tab === 'inspect' && selection.container !== undefined) {
    const c = selection.container;
    const ref = containerRef(c);
    return {key: `inspect:${ref}:${c.status}:${c.startedAt ?? ''}:${c.restartCount}`, kind: 'inspect', ref};
  }
  return null;
}

/** The age (ms) of the youngest pod or running container on screen: seconds need a faster clock. */
export function youngestAge(
  pods: readonly PodView[],
  containers: readonly ContainerView[],
  now: number,
): number {
  const times = [
    ...pods.map((pod) => Date.parse(pod.createdAt)),
    ...containers
      .filter((c) => c.status === 'running' && c.startedAt !== null)
      .map((c) => Date.parse(c.startedAt ?? '')),
  ].filter((t) => Number.isFinite(t));
  return times.length === 0 ? Number.POSITIVE_INFINITY : Math.max(0, now - Math.max(...times));
}

/** What the pods pane says when it has no rows. */
export function emptyPodsText(snapshot: TuiSnapshot, filter: string): string {
  if (!snapshot.loaded) {
    return snapshot.connection.connected
      ? 'loading pods…'
      : `engine unreachable at ${snapshot.connection.endpoint}, retrying…`;
  }
  if (snapshot.pods.length > 0 && filter !== '') return `no pod matches "${filter}" (Esc clears the filter)`;
  return 'No pods yet. Press D to launch the demo pod, or type :apply FILE';
}
