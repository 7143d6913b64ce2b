import type {
  ContainerDetails,
  ContainerHealth,
  ContainerNetwork,
  ContainerState,
  ContainerStatus,
  HealthStatus,
  HostSpec,
  PortBinding,
  PublishedPort,
  RestartPolicySpec,
} from '../port.js';
import {
  arr,
  asObject,
  bool,
  compact,
  field,
  isObject,
  keysOf,
  num,
  obj,
  optBool,
  optNum,
  optStr,
  str,
  strList,
  strMap,
} from './json.js';

const STATUSES: readonly ContainerStatus[] = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
];
const HEALTH: readonly HealthStatus[] = ['none', 'starting', 'healthy', 'unhealthy'];
const RESTART: readonly RestartPolicySpec['name'][] = ['no', 'always', 'on-failure', 'unless-stopped'];

/**
Podman's own transient states, which its compat API passes through, in Docker's words: `initialized` (set up,
not started yet) is still created, and `stopping` is still running (Docker says running until the process
has exited).
*/
const PODMAN_STATES: Readonly<Record<string, ContainerStatus>> = {
  initialized: 'created',
  stopping: 'running',
};

/** Docker's status string, or `dead` for one neither Docker nor podman defines. */
export function toContainerStatus(value: string): ContainerStatus {
  if ((STATUSES as readonly string[]).includes(value)) return value as ContainerStatus;
  return PODMAN_STATES[value] ?? 'dead';
}

/** Maps `GET /containers/{id}/json` to ContainerDetails. */
export function fromContainerInspect(json: unknown): ContainerDetails {
  const config = obj(json, 'Config');
  const settings = obj(json, 'NetworkSettings');
  return {
    id: str(json, 'Id'),
    name: str(json, 'Name').replace(/^\//, ''),
    image: str(config, 'Image'),
    imageId: str(json, 'Image'),
    created: str(json, 'Created'),
    restartCount: num(json, 'RestartCount'),
    labels: strMap(config, 'Labels'),
    state: fromState(obj(json, 'State')),
    config: {
      hostname: str(config, 'Hostname'),
      env: strList(config, 'Env'),
      cmd: strList(config, 'Cmd'),
      entrypoint: strList(config, 'Entrypoint'),
      workingDir: str(config, 'WorkingDir'),
      user: str(config, 'User'),
      tty: bool(config, 'Tty'),
      exposedPorts: keysOf(config, 'ExposedPorts'),
    },
    host: fromHostConfig(obj(json, 'HostConfig')),
    network: {
      networks: fromNetworks(obj(settings, 'Networks')),
      ports: fromPortMap(obj(settings, 'Ports')),
      sandboxKey: str(settings, 'SandboxKey'),
    },
  };
}

/** `State`, with Health only when the container has a health check. */
export function fromState(state: unknown): ContainerState {
  const base: ContainerState = {
    status: toContainerStatus(str(state, 'Status')),
    running: bool(state, 'Running') || str(state, 'Status') === 'stopping',
    paused: bool(state, 'Paused'),
    restarting: bool(state, 'Restarting'),
    oomKilled: bool(state, 'OOMKilled'),
    dead: bool(state, 'Dead'),
    pid: num(state, 'Pid'),
    exitCode: num(state, 'ExitCode'),
    error: str(state, 'Error'),
    startedAt: str(state, 'StartedAt', '0001-01-01T00:00:00Z'),
    finishedAt: str(state, 'FinishedAt', '0001-01-01T00:00:00Z'),
  };
  const health = field(state, 'Health');
  return isObject(health) ? {...base, health: fromHealth(health)} : base;
}

function fromHealth(health: unknown): ContainerHealth {
  const status = str(health, 'Status', 'none');
  return {
    status: (HEALTH as readonly string[]).includes(status) ? (status as HealthStatus) : 'none',
    failingStreak: num(health, 'FailingStreak'),
    log: arr(health, 'Log').map((entry) => ({
      start: str(entry, 'Start'),
      end: str(entry, 'End'),
      exitCode: num(entry, 'ExitCode'),
      output: str(entry, 'Output'),
    })),
  };
}

/**
HostConfig as reported. Fields Docker reports as `null` (unset pointers such as Init or PidsLimit) stay
absent; `default` network mode reads back as `bridge`, the inverse of what create sends.
*/
export function fromHostConfig(host: unknown): HostSpec & {readonly networkMode: string} {
  const mode = str(host, 'NetworkMode');
  const restart = obj(host, 'RestartPolicy');
  const restartName = str(restart, 'Name');
  const bindings = obj(host, 'PortBindings');
  const spec = compact({
    binds: optList(host, 'Binds'),
    ipcMode: optStr(host, 'IpcMode'),
    pidMode: optStr(host, 'PidMode'),
    utsMode: optStr(host, 'UTSMode'),
    portBindings: Object.keys(bindings).length === 0 ? undefined : fromPortBindings(bindings),
    publishAllPorts: optBool(host, 'PublishAllPorts'),
    extraHosts: optList(host, 'ExtraHosts'),
    dns: optList(host, 'Dns'),
    dnsSearch: optList(host, 'DnsSearch'),
    dnsOptions: optList(host, 'DnsOptions'),
    privileged: optBool(host, 'Privileged'),
    capAdd: optList(host, 'CapAdd'),
    cpuShares: optNum(host, 'CpuShares'),
    cpuPeriod: optNum(host, 'CpuPeriod'),
    cpuQuota: optNum(host, 'CpuQuota'),
    memory: optNum(host, 'Memory'),
    memorySwap: optNum(host, 'MemorySwap'),
    oomKillDisable: optBool(host, 'OomKillDisable'),
    ulimits: Array.isArray(asObject(host)['Ulimits'])
      ? arr(host, 'Ulimits').map((u) => ({name: str(u, 'Name'), soft: num(u, 'Soft'), hard: num(u, 'Hard')}))
      : undefined,
    shmSize: optNum(host, 'ShmSize'),
    init: optBool(host, 'Init'),
    autoRemove: optBool(host, 'AutoRemove'),
    restartPolicy: (RESTART as readonly string[]).includes(restartName)
      ? {name: restartName as RestartPolicySpec['name'], maximumRetryCount: num(restart, 'MaximumRetryCount')}
      : undefined,
    devices: Array.isArray(asObject(host)['Devices'])
      ? arr(host, 'Devices').map((d) => ({
          pathOnHost: str(d, 'PathOnHost'),
          pathInContainer: str(d, 'PathInContainer'),
          cgroupPermissions: str(d, 'CgroupPermissions'),
        }))
      : undefined,
  });
  return {...spec, networkMode: mode === 'default' ? 'bridge' : mode};
}

function optList(source: unknown, key: string): readonly string[] | undefined {
  return Array.isArray(asObject(source)[key]) ? strList(source, key) : undefined;
}

function fromPortBindings(
  bindings: Readonly<Record<string, unknown>>,
): Record<string, readonly PortBinding[]> {
  const out: Record<string, readonly PortBinding[]> = {};
  for (const port of Object.keys(bindings)) {
    out[port] = arr(bindings, port).map((b) =>
      compact({hostIp: optStr(b, 'HostIp'), hostPort: optStr(b, 'HostPort')}),
    );
  }
  return out;
}

function fromNetworks(networks: Readonly<Record<string, unknown>>): Record<string, ContainerNetwork> {
  const out: Record<string, ContainerNetwork> = {};
  for (const [name, endpoint] of Object.entries(networks)) {
    out[name] = {
      networkId: str(endpoint, 'NetworkID'),
      ipAddress: str(endpoint, 'IPAddress'),
      ipPrefixLen: num(endpoint, 'IPPrefixLen'),
      gateway: str(endpoint, 'Gateway'),
      macAddress: str(endpoint, 'MacAddress'),
    };
  }
  return out;
}

/** `NetworkSettings.Ports` (`{"80/tcp": [{HostIp, HostPort}] | null}`): only the published ones. */
export function fromPortMap(ports: Readonly<Record<string, unknown>>): readonly PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const [key, bindings] of Object.entries(ports)) {
    const [portText = '', protocol = 'tcp'] = key.split('/');
    for (const binding of Array.isArray(bindings) ? (bindings as unknown[]) : []) {
      const hostPort = Number(str(binding, 'HostPort'));
      if (!Number.isInteger(hostPort) || hostPort <= 0) continue;
      out.push({containerPort: Number(portText), protocol, hostIp: str(binding, 'HostIp'), hostPort});
    }
  }
  return out;
}
