/**
How the fake runtime answers in the port's words (inspect, list) and the checks Docker makes on create; shared
by the container operations and FakeRuntime.
*/
import type {ContainerCreateSpec, ContainerDetails, ContainerSummary} from '../../src/runtime/port.js';
import type {FakeContainer} from './fake-runtime-state.js';
import {engineError} from './fake-runtime-util.js';

/** Docker refuses memory limits under 6 MiB. */
export const MIN_MEMORY = 6 * 1024 * 1024;

const NAME_PATTERN = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function isUp(container: FakeContainer): boolean {
  return container.status === 'running' || container.status === 'paused';
}

/** Docker merges the image's labels under the container's. */
export function labelsOf(container: FakeContainer): Record<string, string> {
  return {...container.image.config.labels, ...container.spec.labels};
}

/** Docker's env merge: the image's variables, overridden by the container's of the same name. */
export function mergeEnv(base: readonly string[], extra: readonly string[]): string[] {
  const key = (entry: string) => entry.split('=')[0] ?? entry;
  const keys = new Set(extra.map(key));
  return [...base.filter((entry) => !keys.has(key(entry))), ...extra];
}

export function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

/** Docker's create-time checks the contract or the engine can meet (400s). */
export function validateCreate(spec: ContainerCreateSpec): void {
  if (spec.name !== undefined && !NAME_PATTERN.test(spec.name)) {
    throw engineError(
      400,
      `Invalid container name (${spec.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    );
  }
  const {host} = spec;
  if (host.memory !== undefined && host.memory > 0 && host.memory < MIN_MEMORY) {
    throw engineError(400, 'Minimum memory limit allowed is 6MB');
  }
  if (host.cpuQuota !== undefined && host.cpuQuota > 0 && host.cpuQuota < 1000) {
    throw engineError(400, 'CPU cfs quota can not be less than 1ms (i.e. 1000)');
  }
  if (host.networkMode?.startsWith('container:') === true) {
    if (spec.hostname !== undefined && spec.hostname !== '') {
      throw engineError(400, 'conflicting options: hostname and the network mode');
    }
    if ((host.dns?.length ?? 0) > 0) throw engineError(400, 'conflicting options: dns and the network mode');
    if ((host.extraHosts?.length ?? 0) > 0) {
      throw engineError(400, 'conflicting options: custom host-to-IP mapping and the network mode');
    }
    if (host.publishAllPorts === true || Object.keys(host.portBindings ?? {}).length > 0) {
      throw engineError(400, 'conflicting options: port publishing and the container type network mode');
    }
    if ((spec.exposedPorts?.length ?? 0) > 0) {
      throw engineError(400, 'conflicting options: port exposing and the container type network mode');
    }
  }
}

export function toDetails(container: FakeContainer): ContainerDetails {
  const {spec, image} = container;
  const up = isUp(container);
  const networks: ContainerDetails['network']['networks'] = Object.fromEntries(
    [...container.endpoints].map(([name, endpoint]) => [
      name,
      {
        networkId: endpoint.networkId,
        ipAddress: endpoint.ipAddress,
        ipPrefixLen: endpoint.ipAddress === '' ? 0 : endpoint.ipPrefixLen,
        gateway: endpoint.gateway,
        macAddress: endpoint.macAddress,
      },
    ]),
  );
  return {
    id: container.id,
    name: container.name,
    image: spec.image,
    imageId: image.id,
    created: container.created.toISOString(),
    restartCount: container.restartCount,
    labels: labelsOf(container),
    state: {
      status: container.status,
      running: up,
      paused: container.status === 'paused',
      restarting: container.status === 'restarting',
      oomKilled: container.oomKilled,
      dead: container.status === 'dead',
      pid: container.pid,
      exitCode: container.exitCode,
      error: container.error,
      startedAt: container.startedAt,
      finishedAt: container.finishedAt,
      ...(container.health === undefined ? {} : {health: container.health}),
    },
    config: {
      hostname: spec.hostname ?? container.id.slice(0, 12),
      env: mergeEnv(image.config.env, spec.env ?? []),
      cmd: [...(spec.cmd ?? (spec.entrypoint === undefined ? image.config.cmd : []))],
      entrypoint: [...(spec.entrypoint ?? image.config.entrypoint)],
      workingDir: spec.workingDir ?? image.config.workingDir,
      user: spec.user ?? image.config.user,
      tty: spec.tty ?? false,
      exposedPorts: [...new Set([...image.config.exposedPorts, ...(spec.exposedPorts ?? [])])],
    },
    host: {...container.host},
    network: {
      networks,
      ports: up ? [...container.ports] : [],
      sandboxKey: up ? `/var/run/docker/netns/${container.id.slice(0, 12)}` : '',
    },
  };
}

export function toSummary(container: FakeContainer, now: number): ContainerSummary {
  const since = (iso: string) => {
    const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
    return seconds < 60 ? `${seconds} seconds` : `${Math.round(seconds / 60)} minutes`;
  };
  const health =
    container.health === undefined || container.health.status === 'none'
      ? ''
      : ` (${container.health.status})`;
  const statusText =
    container.status === 'created'
      ? 'Created'
      : container.status === 'running'
        ? `Up ${since(container.startedAt)}${health}`
        : container.status === 'paused'
          ? `Up ${since(container.startedAt)} (Paused)`
          : `Exited (${container.exitCode}) ${since(container.finishedAt)} ago`;
  return {
    id: container.id,
    name: container.name,
    image: container.spec.image,
    imageId: container.image.id,
    created: Math.floor(container.created.getTime() / 1000),
    labels: labelsOf(container),
    status: container.status,
    statusText,
    ports: [...container.ports],
  };
}
