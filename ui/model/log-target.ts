/** What the logs tab follows: the pod's merged logs or the selected container's. */
import type {ContainerView, PodView} from '../../src/index.js';
import {containerRef} from './select.js';
import type {ViewState} from './view-state.js';

/** A log stream: `key` names it in the store (`pod:NAME`, `container:REF`), `ref` is what the engine takes. */
export interface LogTarget {
  readonly key: string;
  readonly ref: string;
}

/** The logs tab's stream for the view and selection, or null when nothing is selected. */
export function logTargetOf(
  view: ViewState,
  pod: PodView | undefined,
  container: ContainerView | undefined,
): LogTarget | null {
  if (view.logScope === 'pod') return pod === undefined ? null : {key: `pod:${pod.name}`, ref: pod.name};
  if (container === undefined) return null;
  const ref = containerRef(container);
  return {key: `container:${ref}`, ref};
}
