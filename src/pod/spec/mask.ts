/**
Secrets never leave the engine in the clear: views, logs, notifications and the spec stored in labels show a
masked copy of the spec.
*/
import type {ContainerSpec, PodSpec} from '../spec-types.js';

/** What a secret value shows as. */
export const SECRET_MASK = '***';

function maskContainer(container: ContainerSpec): ContainerSpec {
  if (container.env?.some((entry) => entry.secret === true) !== true) return container;
  return {
    ...container,
    env: container.env.map((entry) => (entry.secret === true ? {...entry, value: SECRET_MASK} : entry)),
  };
}

/** A copy of `spec` with every secret env value replaced by `***`; `spec` itself is left as it is. */
export function maskSpec(spec: PodSpec): PodSpec {
  return {...spec, containers: spec.containers.map(maskContainer)};
}
