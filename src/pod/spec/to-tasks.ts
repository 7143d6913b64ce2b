/**
A validated pod spec as the seed's tasks, one per container in spec order. Pod-level items that Docker only
accepts on the namespace owner (ports, hostname, hosts, DNS) are not here: see infraSettings.
*/
import type {
  BcsContainerTask,
  BcsFileMessage,
  BcsKV,
  BcsVolume,
  ExtendedResource,
  Resource,
  UlimitSpec,
} from '../../task/types.js';
import type {ContainerSpec, FileSpec, PodSpec, ResourceSpec} from '../spec-types.js';
import {DEFAULT_FILE_MODE, DEFAULT_GRACE_SECONDS, networkOf, toHealthCheckSpec} from './defaults.js';

const MIB = 1024 * 1024;

/** The Docker name of a pod's container: `<pod>-<container>`. */
export function dockerContainerName(pod: string, container: string): string {
  return `${pod}-${container}`;
}

function resource(spec: ResourceSpec | undefined): Resource {
  return {cpus: spec?.cpus ?? 0, mem: spec?.memMB ?? 0};
}

/** The pod's labels, then the container's; a container label replaces a pod label of the same key in place. */
function labels(pod: PodSpec, container: ContainerSpec): BcsKV[] {
  const merged = new Map<string, string>(Object.entries(pod.labels ?? {}));
  for (const [key, value] of Object.entries(container.labels ?? {})) merged.set(key, value);
  return [...merged].map(([key, value]) => ({key, value}));
}

function fileMessage(file: FileSpec): BcsFileMessage {
  const base64 = file.base64 ?? Buffer.from(file.content ?? '', 'utf8').toString('base64');
  return {
    to: file.path,
    base64,
    mode: file.mode ?? DEFAULT_FILE_MODE,
    ...(file.owner === undefined ? {} : {user: file.owner}),
  };
}

function extendedResources(container: ContainerSpec): ExtendedResource[] {
  return (container.extendedResources ?? []).map((entry) => ({
    name: entry.name,
    value: entry.value ?? entry.devices?.length ?? 0,
    ...(entry.devices === undefined ? {} : {devices: [...entry.devices]}),
    ...(entry.socket === undefined ? {} : {socket: entry.socket}),
  }));
}

function optionalList<T>(key: string, list: readonly T[] | undefined): Record<string, T[]> {
  return list === undefined || list.length === 0 ? {} : {[key]: [...list]};
}

function containerTask(pod: PodSpec, container: ContainerSpec): BcsContainerTask {
  const env = (container.env ?? []).map(({key, value}): BcsKV => ({key, value}));
  const volumes = (container.volumes ?? []).map((volume): BcsVolume => ({
    hostPath: volume.hostPath,
    containerPath: volume.containerPath,
    readOnly: volume.readOnly ?? false,
  }));
  const ulimits = (container.ulimits ?? []).map(({name, soft, hard}): UlimitSpec => ({name, soft, hard}));
  const files = (container.files ?? []).map(fileMessage);
  const extended = extendedResources(container);
  const taskLabels = labels(pod, container);
  return {
    name: dockerContainerName(pod.name, container.name),
    image: container.image,
    ...(container.command === undefined ? {} : {command: container.command}),
    ...optionalList('args', container.args),
    ...optionalList('env', env),
    ...optionalList('volumes', volumes),
    // The pod layer rewrites it to container:<infra> when it creates the app containers.
    networkName: networkOf(pod).name,
    ...(container.forcePullImage === undefined ? {} : {forcePullImage: container.forcePullImage}),
    ...(container.oomKillDisabled === undefined ? {} : {oomKillDisabled: container.oomKillDisabled}),
    ...optionalList('ulimits', ulimits),
    ...(container.shmMB === undefined ? {} : {shmSize: container.shmMB * MIB}),
    ...(container.privileged === undefined ? {} : {privileged: container.privileged}),
    ...optionalList('labels', taskLabels),
    // The seed crashed without a request; an empty one means 1024 CPU shares and no memory limit.
    resource: resource(container.resources),
    ...(container.limits === undefined ? {} : {limitResource: resource(container.limits)}),
    ...optionalList('extendedResources', extended),
    ...optionalList('bcsMessages', files),
    ...(container.healthCheck === undefined ? {} : {healthCheck: toHealthCheckSpec(container.healthCheck)}),
    killPolicy: container.killPolicy?.graceSeconds ?? pod.killPolicy?.graceSeconds ?? DEFAULT_GRACE_SECONDS,
    ...(pod.netLimit === undefined ? {} : {netLimit: {egressLimit: pod.netLimit.egressMbps}}),
    ...(pod.ipc === undefined ? {} : {ipc: pod.ipc}),
    ...(container.workingDir === undefined ? {} : {workingDir: container.workingDir}),
    ...(container.user === undefined ? {} : {user: container.user}),
  };
}

/**
The seed tasks of a validated spec, in spec order: named `<pod>-<container>`, resources in cores and MB, shm in
bytes, files as base64 LOCALFILE messages, the health check with its defaults, the container's kill policy or
the pod's (default 10 s), the pod's labels under the container's, and the pod's network, egress limit and IPC
mode on every task. Engine labels are the pod layer's business.
*/
export function specToTasks(spec: PodSpec): BcsContainerTask[] {
  return spec.containers.map((container) => containerTask(spec, container));
}

/**
Env keys whose values must never be shown: the secret ones, and those whose value is `$<secret key>`, which
`envOperCopy` turns into the secret's value. Across all containers, so masking errs on the side of hiding.
*/
export function secretEnvKeys(spec: PodSpec): ReadonlySet<string> {
  const secret = new Set<string>();
  for (const container of spec.containers) {
    for (const entry of container.env ?? []) if (entry.secret === true) secret.add(entry.key);
  }
  // One level only: envOperCopy makes one pass over a snapshot, so `C=$B` with `B=$SECRET` gets "$SECRET".
  const copies = spec.containers.flatMap((container) =>
    (container.env ?? []).filter((entry) => entry.value.startsWith('$') && secret.has(entry.value.slice(1))),
  );
  for (const entry of copies) secret.add(entry.key);
  return secret;
}
