/**
Paths of the task validator's issues, moved back onto the pod spec: `resource.mem` of the second container's
task is `containers[1].resources.memMB`, `bcsMessages[0].to` is `containers[1].files[0].path`, the infra task's
`hostName` is `hostname`. Lists that lost bad entries are indexed through their index maps.
*/
import {fieldPath, indexPath, keyPath} from '../../task/issue-path.js';
import type {BcsContainerTask} from '../../task/types.js';
import type {ContainerSpec} from '../spec-types.js';

/** One converted container: where it sits in the spec, what was read of it, and the task made of it. */
export interface AppTaskContext {
  readonly index: number;
  readonly container: Partial<ContainerSpec>;
  readonly indexMaps: Readonly<Partial<Record<keyof ContainerSpec, readonly number[]>>>;
  readonly task: BcsContainerTask;
}

/** The infra task's port binding keys, each with the spec index of its port. */
export interface InfraTaskContext {
  readonly portIndexByKey: ReadonlyMap<string, number>;
  readonly hostIndices: readonly number[] | undefined;
}

const TASK_PATH = /^([A-Za-z]+)(?:\[(\d+)\])?(.*)$/;
const PORT_BINDING_PATH = /^portBindings\[("(?:[^"\\]|\\.)*")\](.*)$/;

/** Lists that map one to one from spec to task, under the same name. */
const SAME_LISTS = new Set<string>(['env', 'volumes', 'ulimits', 'extendedResources']);

const FILE_FIELDS: Readonly<Record<string, string>> = {'.to': '.path', '.mode': '.mode', '.user': '.owner'};

function through(map: readonly number[] | undefined, index: number): number {
  return map?.[index] ?? index;
}

function resourcePath(base: string, rest: string): string {
  if (rest.startsWith('.mem')) return `${base}.memMB${rest.slice(4)}`;
  if (rest.startsWith('.cpus')) return `${base}${rest}`;
  return base;
}

function filePath(context: AppTaskContext, containerBase: string, index: number, rest: string): string {
  const specIndex = through(context.indexMaps.files, index);
  const base = indexPath(fieldPath(containerBase, 'files'), specIndex);
  if (rest === '.base64') {
    const file = context.container.files?.[index];
    return `${base}${file?.base64 === undefined ? '.content' : '.base64'}`;
  }
  const renamed = FILE_FIELDS[rest];
  return renamed === undefined ? `${base}${rest}` : `${base}${renamed}`;
}

function labelPath(context: AppTaskContext, containerBase: string, index: number): string {
  const key = context.task.labels?.[index]?.key;
  if (key === undefined) return fieldPath(containerBase, 'labels');
  const own = context.container.labels !== undefined && Object.hasOwn(context.container.labels, key);
  return own ? keyPath(fieldPath(containerBase, 'labels'), key) : keyPath('labels', key);
}

/** The spec path of an issue the task validator reported at `path` of an app container's task. */
export function rebaseAppPath(path: string, context: AppTaskContext): string {
  const base = indexPath('containers', context.index);
  const match = TASK_PATH.exec(path);
  if (match === null) return base;
  const [, field = '', indexText, rest = ''] = match;
  const index = indexText === undefined ? undefined : Number(indexText);
  switch (field) {
    case 'resource':
      return resourcePath(fieldPath(base, 'resources'), rest);
    case 'limitResource':
      return resourcePath(fieldPath(base, 'limits'), rest);
    case 'shmSize':
      return fieldPath(base, 'shmMB');
    case 'killPolicy':
      return context.container.killPolicy === undefined
        ? 'killPolicy.graceSeconds'
        : fieldPath(base, 'killPolicy.graceSeconds');
    case 'netLimit':
      return 'netLimit.egressMbps';
    case 'ipc':
      return 'ipc';
    case 'networkName':
      return 'network.name';
    case 'labels':
      return index === undefined ? fieldPath(base, 'labels') : labelPath(context, base, index);
    case 'bcsMessages':
      return index === undefined ? fieldPath(base, 'files') : filePath(context, base, index, rest);
    default:
      break;
  }
  const at = fieldPath(base, field);
  if (index === undefined) return `${at}${rest}`;
  const mapped = SAME_LISTS.has(field)
    ? through(context.indexMaps[field as keyof ContainerSpec], index)
    : index;
  return `${indexPath(at, mapped)}${rest}`;
}

const INFRA_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  image: 'infraImage',
  hostName: 'hostname',
  networkIPAddr: 'network.ip',
  networkName: 'network.name',
};

/** The spec path of an issue the task validator reported at `path` of the pod's infra task. */
export function rebaseInfraPath(path: string, context: InfraTaskContext): string {
  const binding = PORT_BINDING_PATH.exec(path);
  if (binding !== null) {
    const key: unknown = JSON.parse(binding[1] ?? '""');
    const index = typeof key === 'string' ? context.portIndexByKey.get(key) : undefined;
    return index === undefined ? 'ports' : `${indexPath('ports', index)}${binding[2] ?? ''}`;
  }
  const match = TASK_PATH.exec(path);
  if (match === null) return '';
  const [, field = '', indexText, rest = ''] = match;
  if (field === 'hosts' && indexText !== undefined) {
    return `${indexPath('hosts', through(context.hostIndices, Number(indexText)))}${rest}`;
  }
  return `${INFRA_FIELDS[field] ?? field}${indexText === undefined ? '' : `[${indexText}]`}${rest}`;
}
