/**
The seed's container-create mapping (seed-spec §1.1, §1.6) from a BcsContainerTask to the runtime's
ContainerCreateSpec, pure, with the fixes of §8: read-only binds really read-only, no bogus top-level Mounts,
env de-duplicated last-wins, a requested IP only on a user-defined network, host IPs of port bindings honoured.

Validate first (`assertValidTask`): the mapping trusts its input, except that it refuses what it cannot express.
*/
import {EngineError, validationError} from '../errors.js';
import type {
  ContainerCreateSpec,
  DeviceMapping,
  EndpointSpec,
  HostSpec,
  PortBinding,
  Ulimit,
} from '../runtime/port.js';
import {createPorts} from './create-ports.js';
import {createResources} from './create-resources.js';
import {dedupeEnv} from './env-oper-copy.js';
import {fieldPath, indexPath} from './issue-path.js';
import {isUserDefinedNetwork, toDockerNetworkMode} from './network-mode.js';
import type {BcsContainerTask, ExtendedResource} from './types.js';
import {parseTaskUlimit, type TaskUlimit} from './ulimits.js';

/** The seed always added it, so that debuggers and `strace` work inside the container. */
const CAP_ADD = ['SYS_PTRACE'];

function ulimits(entries: readonly TaskUlimit[]): Ulimit[] {
  return entries.map((entry, index) => {
    const parsed = parseTaskUlimit(entry, indexPath('ulimits', index));
    if (Array.isArray(parsed)) throw validationError(parsed, 'container task');
    return parsed;
  });
}

/** Host devices of extended resources, mapped at the same path with rwm. The device-plugin form cannot be mapped. */
function devices(resources: readonly ExtendedResource[]): DeviceMapping[] {
  return resources.flatMap((resource, index) => {
    if ((resource.socket ?? '') !== '') {
      throw new EngineError(
        'UNSUPPORTED',
        `extended resource "${resource.name}": device-plugin sockets are unsupported; list host devices instead`,
        {
          details: {path: fieldPath(indexPath('extendedResources', index), 'socket')},
        },
      );
    }
    return (resource.devices ?? []).map((device) => ({
      pathOnHost: device,
      pathInContainer: device,
      cgroupPermissions: 'rwm',
    }));
  });
}

function hostSpec(
  task: BcsContainerTask,
  portBindings: Readonly<Record<string, readonly PortBinding[]>>,
): HostSpec {
  const binds = (task.volumes ?? []).map(
    (volume) => `${volume.hostPath}:${volume.containerPath}${volume.readOnly ? ':ro' : ''}`,
  );
  const ipcMode = task.ipc ?? '';
  const hosts = task.hosts ?? [];
  const shmSize = task.shmSize ?? 0;
  const limits = ulimits(task.ulimits ?? []);
  const deviceMappings = devices(task.extendedResources ?? []);
  const networkName = task.networkName ?? '';
  return {
    ...(binds.length > 0 ? {binds} : {}),
    ...(networkName === '' ? {} : {networkMode: toDockerNetworkMode(networkName)}),
    ...(ipcMode === '' ? {} : {ipcMode}),
    ...(Object.keys(portBindings).length > 0 ? {portBindings} : {}),
    ...(task.publishAllPorts === true ? {publishAllPorts: true} : {}),
    ...(hosts.length > 0 ? {extraHosts: [...hosts]} : {}),
    ...(task.privileged === undefined ? {} : {privileged: task.privileged}),
    capAdd: [...CAP_ADD],
    ...createResources(task.resource, task.limitResource),
    // Always a boolean, as the seed sent it; the seed's docs said the default was true, its code false.
    oomKillDisable: task.oomKillDisabled ?? false,
    ...(limits.length > 0 ? {ulimits: limits} : {}),
    ...(shmSize > 0 ? {shmSize} : {}),
    ...(deviceMappings.length > 0 ? {devices: deviceMappings} : {}),
    // No autoRemove: the executor removes the container itself after it stopped it (the seed's AutoRemove).
  };
}

function endpoints(task: BcsContainerTask): Record<string, EndpointSpec> | undefined {
  const ip = task.networkIPAddr ?? '';
  const network = task.networkName ?? '';
  if (ip === '' || !isUserDefinedNetwork(network)) return undefined;
  return {[network]: {ipv4Address: ip}};
}

/** The ContainerCreateSpec of `task`, created under `name`. Does not mutate the task; run `envOperCopy` before. */
export function taskToCreateSpec(name: string, task: BcsContainerTask): ContainerCreateSpec {
  const command = task.command ?? '';
  const cmd = [...(command === '' ? [] : [command]), ...(task.args ?? [])];
  const env = dedupeEnv(task.env ?? []).map((entry) => `${entry.key}=${entry.value}`);
  // Object.fromEntries keeps the last of duplicate keys, as the seed's map did.
  const labels = Object.fromEntries((task.labels ?? []).map((label) => [label.key, label.value]));
  const {exposedPorts, portBindings} = createPorts(task.portBindings ?? {}, task.publishAllPorts === true);
  const hostname = task.hostName ?? '';
  const workingDir = task.workingDir ?? '';
  const user = task.user ?? '';
  const requestedEndpoints = endpoints(task);
  return {
    name,
    image: task.image,
    ...(cmd.length > 0 ? {cmd} : {}),
    ...(env.length > 0 ? {env} : {}),
    ...(Object.keys(labels).length > 0 ? {labels} : {}),
    ...(hostname === '' ? {} : {hostname}),
    ...(workingDir === '' ? {} : {workingDir}),
    ...(user === '' ? {} : {user}),
    ...(exposedPorts.length > 0 ? {exposedPorts} : {}),
    tty: false,
    openStdin: false,
    attachStdout: true,
    attachStderr: true,
    host: hostSpec(task, portBindings),
    ...(requestedEndpoints === undefined ? {} : {endpoints: requestedEndpoints}),
  };
}
