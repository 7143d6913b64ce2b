/** Pure helpers of the App: what the text tabs load, what an empty pods pane says. */
export {logTargetOf} from '../model/log-target.js';
import type {ContainerView, PodView} from '../../src/index.js';
import type {TextRequest} from '../hooks/use-detail-text.js';
import type {ScreenData} from '../model/screen-data.js';
import {containerRef} from '../model/select.js';
import type {ViewState} from '../model/view-state.js';

/** The spec or inspect text the tab needs, keyed so it reloads when the thing changes. */
export function textRequestOf(
  view: ViewState,
  pod: PodView | undefined,
  container: ContainerView | undefined,
): TextRequest | null {
  if (view.tab === 'spec' && pod !== undefined) {
    return {key: `spec:${pod.name}:${pod.specHash}`, kind: 'spec', ref: pod.name};
  }
  if (view.tab === 'inspect' && container !== undefined) {
    const c = container;
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
export function emptyPodsText(screen: ScreenData, filter: string): string {
  if (!screen.loaded) {
    return screen.connection.connected
      ? 'loading pods…'
      : `engine unreachable at ${screen.connection.endpoint}, retrying…`;
  }
  if (screen.anyPods && filter !== '') return `no pod matches "${filter}" (Esc clears the filter)`;
  return 'No pods yet. Press D to launch the demo pod, or type :apply FILE';
}
