/**
Validation of a BcsContainerTask before any Docker call (seed-spec §8.14): every problem is reported with its
path, not just the first, so a caller can fix a spec in one go.
*/
import {validationError, type ValidationIssue} from '../errors.js';
import {validateHealthCheck} from '../health/validate.js';
import {imageReferenceIssues} from '../images/reference.js';
import {fieldPath, indexPath} from './issue-path.js';
import type {BcsContainerTask, BcsKV} from './types.js';
import {parseTaskUlimit, type TaskUlimit} from './ulimits.js';
import {validateFiles} from './validate-files.js';
import {validateExtendedResources, validateVolumes} from './validate-mounts.js';
import {validateNetworking} from './validate-network.js';
import {validatePortBindings} from './validate-ports.js';
import {validateResource} from './validate-resources.js';

export {validateResource, validateTaskResources} from './validate-resources.js';
export {BCS_CONTAINER_TASK_FIELDS, unknownFieldIssues} from './unknown-fields.js';

/** Docker's container name rule (without its optional leading `/`). */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const IPC_MODES = ['none', 'private', 'shareable', 'host'];

function nameIssues(name: string, path: string): ValidationIssue[] {
  if (CONTAINER_NAME.test(name)) return [];
  return [
    {
      path,
      message: name === '' ? 'name is required' : `name "${name}" is not a valid container name`,
      allowed: '[a-zA-Z0-9][a-zA-Z0-9_.-]+ (at least 2 characters)',
    },
  ];
}

function envIssues(env: readonly BcsKV[], path: string): ValidationIssue[] {
  return env.flatMap((entry, index) => {
    if (entry.key !== '' && !entry.key.includes('=')) return [];
    const message = entry.key === '' ? 'env key is empty' : `env key "${entry.key}" contains "="`;
    return [
      {path: fieldPath(indexPath(path, index), 'key'), message, allowed: 'a non-empty name without "="'},
    ];
  });
}

function labelIssues(labels: readonly BcsKV[], path: string): ValidationIssue[] {
  return labels.flatMap((label, index) =>
    label.key === '' ? [{path: fieldPath(indexPath(path, index), 'key'), message: 'label key is empty'}] : [],
  );
}

function ulimitIssues(ulimits: readonly TaskUlimit[], path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  ulimits.forEach((entry, index) => {
    const entryPath = indexPath(path, index);
    const parsed = parseTaskUlimit(entry, entryPath);
    if (Array.isArray(parsed)) {
      issues.push(...parsed);
      return;
    }
    if (seen.has(parsed.name))
      issues.push({path: entryPath, message: `ulimit "${parsed.name}" is given twice`});
    seen.add(parsed.name);
  });
  return issues;
}

/** An optional whole number that must be >= 0 (seconds, bytes, Mbps). */
function countIssues(value: number | undefined, path: string, unit: string): ValidationIssue[] {
  if (value === undefined || (Number.isSafeInteger(value) && value >= 0)) return [];
  return [
    {path, message: `${value} is not a whole number of ${unit} >= 0`, allowed: `an integer >= 0 (${unit})`},
  ];
}

function ipcIssues(ipc: string, path: string): ValidationIssue[] {
  if (ipc === '' || IPC_MODES.includes(ipc) || /^container:.+/.test(ipc)) return [];
  return [{path, message: `unknown IPC mode "${ipc}"`, allowed: `${IPC_MODES.join(', ')}, container:<id>`}];
}

function workingDirIssues(workingDir: string, path: string): ValidationIssue[] {
  if (workingDir === '' || workingDir.startsWith('/')) return [];
  return [{path, message: `working directory "${workingDir}" is not absolute`, allowed: 'an absolute path'}];
}

/**
Every problem of `task`, each at `path.<field>` (`path` defaults to the root). Checks names, the image
reference, resources against Docker's minimums, ulimits, ports, network-mode conflicts, volumes, env and label
keys, the health check, extended resources (the device-plugin `socket` form is unsupported) and files.
*/
export function validateTask(task: BcsContainerTask, path = ''): ValidationIssue[] {
  const at = (key: string): string => fieldPath(path, key);
  return [
    ...nameIssues(task.name, at('name')),
    ...imageReferenceIssues(task.image, at('image')),
    ...(task.resource === undefined ? [] : validateResource(task.resource, at('resource'))),
    ...(task.limitResource === undefined
      ? []
      : validateResource(task.limitResource, at('limitResource'), true)),
    ...ulimitIssues(task.ulimits ?? [], at('ulimits')),
    ...countIssues(task.shmSize, at('shmSize'), 'bytes'),
    ...validatePortBindings(task.portBindings ?? {}, at('portBindings')),
    ...validateNetworking(task, path),
    ...validateVolumes(task.volumes ?? [], at('volumes')),
    ...countIssues(task.killPolicy, at('killPolicy'), 'seconds'),
    ...countIssues(task.netLimit?.egressLimit, fieldPath(at('netLimit'), 'egressLimit'), 'Mbps'),
    ...envIssues(task.env ?? [], at('env')),
    ...labelIssues(task.labels ?? [], at('labels')),
    ...(task.healthCheck === undefined ? [] : validateHealthCheck(task.healthCheck, at('healthCheck'))),
    ...validateExtendedResources(task.extendedResources ?? [], at('extendedResources')),
    ...validateFiles(task.bcsMessages ?? [], at('bcsMessages')),
    ...ipcIssues(task.ipc ?? '', at('ipc')),
    ...workingDirIssues(task.workingDir ?? '', at('workingDir')),
  ];
}

/** Throws a VALIDATION EngineError listing every problem of `task`; returns when it has none. */
export function assertValidTask(task: BcsContainerTask, path = ''): void {
  const issues = validateTask(task, path);
  if (issues.length > 0) throw validationError(issues, 'container task');
}
