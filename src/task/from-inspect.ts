/**
BcsContainerInfo from a container inspect (seed-spec §2 InspectContainer), its seed JSON (§1.2), and the seed's
`Update` merge. Fixes: CPUs as a float (the seed's integer division made 512 shares 0 CPUs), the IP read from
the network matching the mode (bridge ↔ default), and a stale message replaced.
*/
import type {ContainerDetails, PublishedPort} from '../runtime/port.js';
import {fromDockerNetworkMode, isContainerNetworkMode} from './network-mode.js';
import type {BcsContainerInfo, BcsPort} from './types.js';

const MIB = 1024 * 1024;
const SHARES_PER_CPU = 1024;
/** Go's zero time.Time, which the seed's JSON carried for a time never set (omitempty cannot drop a struct). */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
const NO_IP_MODES = new Set(['host', 'none']);

function ipAddress(details: ContainerDetails, mode: string): string {
  if (NO_IP_MODES.has(mode) || isContainerNetworkMode(mode)) return '';
  const networks = details.network.networks;
  const network = networks[mode] ?? (mode === 'bridge' ? networks.default : undefined);
  return network?.ipAddress ?? '';
}

function toBcsPort(port: PublishedPort): BcsPort {
  return {
    containerPort: String(port.containerPort),
    hostPort: String(port.hostPort),
    protocol: port.protocol,
    ...(port.hostIp === '' ? {} : {hostIP: port.hostIp}),
  };
}

/**
The runtime state of an inspected container. Health comes from Docker's own health check when the image has
one (the engine's checkers fill it otherwise, as the seed's pod did); `message` carries Docker's state error.
*/
export function inspectToBcsInfo(details: ContainerDetails): BcsContainerInfo {
  const {state, host} = details;
  const networkMode = fromDockerNetworkMode(host.networkMode);
  const health = state.health;
  const checked = health !== undefined && (health.status === 'healthy' || health.status === 'unhealthy');
  return {
    id: details.id,
    name: details.name.replace(/^\//, ''),
    pid: state.pid,
    startAt: state.startedAt,
    finishAt: state.finishedAt,
    status: state.status,
    healthy: health?.status === 'healthy',
    isChecked: checked,
    consecutiveFailureTimes: health?.failingStreak ?? 0,
    exitCode: state.exitCode,
    hostname: details.config.hostname,
    networkMode,
    ipAddress: ipAddress(details, networkMode),
    nodeAddress: '',
    ports: details.network.ports.filter((port) => port.hostPort > 0).map(toBcsPort),
    message: state.error,
    resource: {cpus: (host.cpuShares ?? 0) / SHARES_PER_CPU, mem: (host.memory ?? 0) / MIB},
    oomKilled: state.oomKilled,
  };
}

/** A BcsPort in the seed's JSON: lower-case keys, empty strings left out. */
export interface BcsPortJson {
  name?: string;
  containerPort?: string;
  hostPort?: string;
  protocol?: string;
  hostIP?: string;
}

/** BcsContainerInfo in the seed's JSON: PascalCase keys, Go's omitempty (zero values left out, times always there). */
export interface BcsInfoJson {
  ID?: string;
  Name?: string;
  Pid?: number;
  StartAt: string;
  FinishAt: string;
  Status?: string;
  Healthy?: true;
  IsChecked?: true;
  ConsecutiveFailureTimes?: number;
  ExitCode?: number;
  Hostname?: string;
  NetworkMode?: string;
  IPAddress?: string;
  NodeAddress?: string;
  Ports?: BcsPortJson[];
  Message?: string;
  /** schedTypes.Resource has no JSON tags and no omitempty: all three keys are always there. */
  Resource?: {Cpus: number; Mem: number; Disk: number};
  OOMKilled?: true;
}

/** Go's omitempty: "", 0, false, and a nil slice or pointer (undefined here). */
function isGoEmpty(value: unknown): boolean {
  return value === '' || value === 0 || value === false || value === undefined;
}

/** Keeps the non-empty fields, in order (Go marshals struct fields in declaration order). */
function omitEmpty(fields: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter(([, value]) => !isGoEmpty(value)));
}

function portJson(port: BcsPort): BcsPortJson {
  return omitEmpty([
    ['name', port.name],
    ['containerPort', port.containerPort],
    ['hostPort', port.hostPort],
    ['protocol', port.protocol],
    ['hostIP', port.hostIP],
  ]);
}

/** `info` as the seed marshalled it into Mesos TaskStatus data, for BCS consumers; key order as the Go struct. */
export function toBcsInfoJson(info: BcsContainerInfo): BcsInfoJson {
  const resource = info.resource;
  return omitEmpty([
    ['ID', info.id],
    ['Name', info.name],
    ['Pid', info.pid],
    ['StartAt', info.startAt === '' ? GO_ZERO_TIME : info.startAt],
    ['FinishAt', info.finishAt === '' ? GO_ZERO_TIME : info.finishAt],
    ['Status', info.status],
    ['Healthy', info.healthy],
    ['IsChecked', info.isChecked],
    ['ConsecutiveFailureTimes', info.consecutiveFailureTimes],
    ['ExitCode', info.exitCode],
    ['Hostname', info.hostname],
    ['NetworkMode', info.networkMode],
    ['IPAddress', info.ipAddress],
    ['NodeAddress', info.nodeAddress],
    ['Ports', info.ports.length === 0 ? undefined : info.ports.map(portJson)],
    ['Message', info.message],
    ['Resource', resource && {Cpus: resource.cpus, Mem: resource.mem, Disk: resource.disk ?? 0}],
    ['OOMKilled', info.oomKilled],
  ]) as unknown as BcsInfoJson;
}

/**
Merges `other` into `target` as the seed's `Update`: nothing when the names differ; state fields always copied;
NetworkMode becomes `user` for a `container:` mode; IPAddress and NodeAddress only when non-empty; Resource only
when present; Ports never (the cached copy keeps the ports it was built with). One fix: Message is copied
whenever `other` has one, even empty, so a message does not outlive the state it described (the seed kept the
old one when the new was empty); leave `message` out of `other` to keep the current one. Returns whether it
merged.
*/
export function updateBcsInfo(
  target: BcsContainerInfo,
  other: Omit<BcsContainerInfo, 'message'> & {readonly message?: string},
): boolean {
  if (target.name !== other.name) return false;
  target.id = other.id;
  target.pid = other.pid;
  target.startAt = other.startAt;
  target.finishAt = other.finishAt;
  target.healthy = other.healthy;
  target.status = other.status;
  target.exitCode = other.exitCode;
  target.hostname = other.hostname;
  target.isChecked = other.isChecked;
  target.consecutiveFailureTimes = other.consecutiveFailureTimes;
  target.oomKilled = other.oomKilled;
  target.networkMode = other.networkMode.includes('container:') ? 'user' : other.networkMode;
  if (other.ipAddress !== '') target.ipAddress = other.ipAddress;
  if (other.nodeAddress !== '') target.nodeAddress = other.nodeAddress;
  if (other.message !== undefined) target.message = other.message;
  if (other.resource !== undefined) target.resource = other.resource;
  return true;
}
