/** Pure updates of pod views from engine events. */
import type {ContainerView, PodView} from '../../src/index.js';

/** The pod with one container (infra or app, matched by name) replaced; the same pod when it has no such container. */
export function withContainer(pod: PodView, container: ContainerView): PodView {
  if (container.role === 'infra' || container.name === pod.infra.name) {
    return container === pod.infra ? pod : {...pod, infra: container};
  }
  const index = pod.containers.findIndex((c) => c.name === container.name);
  if (index === -1) return pod;
  const containers = pod.containers.slice();
  containers[index] = container;
  return {...pod, containers};
}

/** Every container of a pod, infra first, then apps in spec order. */
export function podMembers(pod: PodView): readonly ContainerView[] {
  return [pod.infra, ...pod.containers];
}
