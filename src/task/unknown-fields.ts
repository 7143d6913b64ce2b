/**
Unknown-field checks for callers that build tasks from JSON or YAML, where a misspelt key would otherwise be
dropped without a word.
*/
import type {ValidationIssue} from '../errors.js';
import {fieldPath} from './issue-path.js';
import type {BcsContainerTask} from './types.js';

// A Record over keyof makes the compiler insist on every field, so the list cannot fall behind the type.
const TASK_FIELDS: Readonly<Record<keyof BcsContainerTask, true>> = {
  name: true,
  image: true,
  hostName: true,
  hosts: true,
  command: true,
  args: true,
  env: true,
  volumes: true,
  networkName: true,
  networkIPAddr: true,
  forcePullImage: true,
  oomKillDisabled: true,
  autoRemove: true,
  ulimits: true,
  shmSize: true,
  privileged: true,
  publishAllPorts: true,
  portBindings: true,
  labels: true,
  resource: true,
  limitResource: true,
  extendedResources: true,
  bcsMessages: true,
  runtimeConf: true,
  healthCheck: true,
  killPolicy: true,
  netLimit: true,
  taskId: true,
  ipc: true,
  workingDir: true,
  user: true,
};

/** Every field of BcsContainerTask. */
export const BCS_CONTAINER_TASK_FIELDS: readonly (keyof BcsContainerTask)[] = Object.keys(
  TASK_FIELDS,
) as (keyof BcsContainerTask)[];

/**
One issue per own key of `obj` that is not in `allowedKeys`, at `path.<key>`, listing what is allowed. A value
that is not a plain object gives one issue at `path`.
*/
export function unknownFieldIssues(
  obj: unknown,
  allowedKeys: readonly string[],
  path: string,
): ValidationIssue[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return [{path, message: 'is not an object'}];
  }
  const allowed = new Set(allowedKeys);
  return Object.keys(obj)
    .filter((key) => !allowed.has(key))
    .map((key) => ({
      path: fieldPath(path, key),
      message: `unknown field "${key}"`,
      allowed: allowedKeys.join(', '),
    }));
}
