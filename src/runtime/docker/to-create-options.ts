import type {ContainerCreateSpec, EndpointSpec, HostSpec, PortBinding} from '../port.js';
import {compact} from './json.js';

/** The `POST /containers/create` call: the `name` query parameter and the JSON body. */
export interface CreateRequest {
  readonly name?: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
Maps a ContainerCreateSpec to Docker's create body (Config + HostConfig + NetworkingConfig). Only fields the
spec sets are sent, so Docker's own defaults apply to the rest; `bridge` goes out as `default`, as the seed did.
*/
export function toCreateRequest(spec: ContainerCreateSpec): CreateRequest {
  const body = compact({
    Image: spec.image,
    Cmd: list(spec.cmd),
    Entrypoint: list(spec.entrypoint),
    Env: list(spec.env),
    Labels: spec.labels === undefined ? undefined : {...spec.labels},
    Hostname: spec.hostname,
    WorkingDir: spec.workingDir,
    User: spec.user,
    ExposedPorts: spec.exposedPorts === undefined ? undefined : toPortSet(spec.exposedPorts),
    Tty: spec.tty,
    OpenStdin: spec.openStdin,
    AttachStdout: spec.attachStdout,
    AttachStderr: spec.attachStderr,
    StopSignal: spec.stopSignal,
    StopTimeout: spec.stopTimeout,
    HostConfig: toHostConfig(spec.host),
    NetworkingConfig: spec.endpoints === undefined ? undefined : toNetworkingConfig(spec.endpoints),
  });
  return spec.name === undefined ? {body} : {name: spec.name, body};
}

/** HostConfig, field by field. */
export function toHostConfig(host: HostSpec): Readonly<Record<string, unknown>> {
  return compact({
    Binds: list(host.binds),
    NetworkMode: host.networkMode === 'bridge' ? 'default' : host.networkMode,
    IpcMode: host.ipcMode,
    PidMode: host.pidMode,
    UTSMode: host.utsMode,
    PortBindings: host.portBindings === undefined ? undefined : toPortBindings(host.portBindings),
    PublishAllPorts: host.publishAllPorts,
    ExtraHosts: list(host.extraHosts),
    Dns: list(host.dns),
    DnsSearch: list(host.dnsSearch),
    DnsOptions: list(host.dnsOptions),
    Privileged: host.privileged,
    CapAdd: list(host.capAdd),
    CpuShares: host.cpuShares,
    CpuPeriod: host.cpuPeriod,
    CpuQuota: host.cpuQuota,
    Memory: host.memory,
    MemorySwap: host.memorySwap,
    OomKillDisable: host.oomKillDisable,
    Ulimits: host.ulimits?.map((u) => ({Name: u.name, Soft: u.soft, Hard: u.hard})),
    ShmSize: host.shmSize,
    Init: host.init,
    AutoRemove: host.autoRemove,
    RestartPolicy:
      host.restartPolicy === undefined
        ? undefined
        : compact({Name: host.restartPolicy.name, MaximumRetryCount: host.restartPolicy.maximumRetryCount}),
    Devices: host.devices?.map((d) => ({
      PathOnHost: d.pathOnHost,
      PathInContainer: d.pathInContainer,
      CgroupPermissions: d.cgroupPermissions,
    })),
  });
}

function list(values: readonly string[] | undefined): string[] | undefined {
  return values === undefined ? undefined : [...values];
}

function toPortSet(ports: readonly string[]): Record<string, Record<string, never>> {
  return Object.fromEntries(ports.map((port) => [port, {}]));
}

function toPortBindings(
  bindings: Readonly<Record<string, readonly PortBinding[]>>,
): Record<string, Record<string, string>[]> {
  const out: Record<string, Record<string, string>[]> = {};
  for (const [port, list] of Object.entries(bindings)) {
    out[port] = list.map((binding) => compact({HostIp: binding.hostIp, HostPort: binding.hostPort}));
  }
  return out;
}

function toNetworkingConfig(endpoints: Readonly<Record<string, EndpointSpec>>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [network, endpoint] of Object.entries(endpoints)) {
    config[network] = compact({
      IPAMConfig: endpoint.ipv4Address === undefined ? undefined : {IPv4Address: endpoint.ipv4Address},
      Aliases: list(endpoint.aliases),
    });
  }
  return {EndpointsConfig: config};
}
