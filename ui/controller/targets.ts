/** What an action applies to: the marked rows of the focused list, else the selected row. */
import type {ContainerView} from '../../src/index.js';
import {containerKey, containerRef} from '../model/select.js';
import type {Selection} from '../model/select.js';
import type {Intent, LifecycleOp, Target, ViewState} from '../model/view-state.js';

/** A container as an action target. */
export function containerTarget(container: ContainerView): Target {
  return {ref: containerRef(container), label: `${container.pod}/${container.name}`};
}

/** The intent of a lifecycle key, or null when nothing is selected. */
export function lifecycleIntent(op: LifecycleOp, view: ViewState, selection: Selection): Intent | null {
  if (view.focus === 'pods') {
    const marked = selection.pods.filter((pod) => view.marks.pods.includes(pod.name));
    const pods = marked.length > 0 ? marked : selection.pod === undefined ? [] : [selection.pod];
    if (pods.length === 0) return null;
    return {op, scope: 'pod', targets: pods.map((pod) => ({ref: pod.name, label: pod.name}))};
  }
  // Marks may span pods: they are kept by POD/NAME and looked up in every pod shown.
  const all = selection.pods.flatMap((pod) => [pod.infra, ...pod.containers]);
  const marked = all.filter((c) => view.marks.containers.includes(containerKey(c)));
  const containers =
    marked.length > 0 ? marked : selection.container === undefined ? [] : [selection.container];
  if (containers.length === 0) return null;
  return {op, scope: 'container', targets: containers.map(containerTarget)};
}
