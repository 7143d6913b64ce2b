/**
Validation of a pod spec that is already a value (the rpc face's JSON params, or parsed YAML): every problem
in one answer, each with its spec path. Three passes, each on what the previous one left usable: shapes and
types field by field, rules across fields, then the task validator's rules on the converted spec.
*/
import {z} from 'zod';
import {LOCAL_IMAGES} from '../../constants.js';
import type {ValidationIssue} from '../../errors.js';
import {validateHealthCheck} from '../../health/validate.js';
import {indexPath} from '../../task/issue-path.js';
import type {ContainerSpec, PodSpec} from '../spec-types.js';
import {healthCheckWithDefaults} from './defaults.js';
import {mergeIssues} from './merge-issues.js';
import {podRuleIssues} from './pod-rules.js';
import {readFields, type CustomReader} from './read-fields.js';
import {CONTAINER_FIELDS, CONTAINER_REQUIRED, healthCheck, POD_FIELDS, POD_REQUIRED} from './schema.js';
import {taskIssues, type ReadContainer} from './task-issues.js';
import {checkWith} from './zod-issues.js';

/** A valid spec, or every problem found. */
export type PodSpecValidation = {readonly spec: PodSpec} | {readonly issues: readonly ValidationIssue[]};

type PodInput = Omit<PodSpec, 'containers'> & {readonly containers: readonly unknown[]};

const POD_INPUT_FIELDS = {
  ...POD_FIELDS,
  containers: z.array(z.unknown()).min(1).describe('a list of at least one container'),
};

/** The health check's own validator owns its rules; it sees the check with the defaults filled in. */
const readHealthCheck: CustomReader = (raw, path) => {
  const issues = validateHealthCheck(healthCheckWithDefaults(raw), path);
  if (issues.length > 0) return {issues};
  const checked = checkWith(healthCheck, raw, path);
  return checked.ok ? {value: checked.value, issues: []} : {issues: checked.issues};
};

function identity(length: number): number[] {
  return Array.from({length}, (_, index) => index);
}

/**
Checks `value` as a pod spec: unknown fields, types and ranges, names, networks, ports, labels, files, health
checks, and the task rules (memory and CPU minimums, ulimits, paths, hostnames, image references, ...). Returns
the spec as typed (env values as strings, the network's defaults filled in), or every issue found.
*/
export function validatePodSpec(value: unknown): PodSpecValidation {
  const issues: ValidationIssue[] = [];
  const pod = readFields<PodInput>(value, POD_INPUT_FIELDS, '', issues, {
    required: [...POD_REQUIRED, 'containers'],
  });
  if (pod === undefined) return {issues};

  const read: ReadContainer[] = [];
  const containers: ContainerSpec[] = [];
  const containerNames: {index: number; name: string}[] = [];
  (pod.value.containers ?? []).forEach((raw, index) => {
    const result = readFields<ContainerSpec>(raw, CONTAINER_FIELDS, indexPath('containers', index), issues, {
      required: CONTAINER_REQUIRED,
      custom: {healthCheck: readHealthCheck},
      salvage: ['resources', 'limits'],
    });
    if (result === undefined) return;
    if (result.value.name !== undefined) containerNames.push({index, name: result.value.name});
    // Placeholders stand in for a missing name or image so the rest of the container is still checked; the
    // issues they would cause sit on paths already flagged, and merging drops them.
    const container: ContainerSpec = {
      ...result.value,
      name: result.value.name ?? `container-${index}`,
      image: result.value.image ?? LOCAL_IMAGES.pause,
    };
    containers.push(container);
    read.push({index, container, indexMaps: result.indexMaps});
  });

  const {containers: _raw, ...fields} = pod.value;
  const ports = fields.ports ?? [];
  issues.push(
    ...podRuleIssues({
      fields,
      networkFailed: pod.failed.has('network'),
      portIndices: pod.indexMaps.ports ?? identity(ports.length),
      containerNames,
    }),
  );

  const spec: PodSpec = {...fields, name: fields.name ?? 'pod', containers};
  const all = mergeIssues(
    issues,
    taskIssues(spec, read, {ports: pod.indexMaps.ports, hosts: pod.indexMaps.hosts}),
  );
  return all.length === 0 ? {spec} : {issues: all};
}
