/**
The seed's task model (package `container`, task.go and container.go), in camelCase TypeScript.
Field meanings follow ../shared/reference/seed-spec.md section 1; the fixes of section 8 live in the mapping and
validation, not here.
*/

/** `{Key, Value}`: env entries, labels and the seed's `name=value` ulimits. */
export interface BcsKV {
  key: string;
  value: string;
}

/** A port mapping; all strings as in the seed. */
export interface BcsPort {
  name?: string;
  containerPort: string;
  hostPort: string;
  /** tcp, udp, sctp; http and https map to tcp. */
  protocol?: string;
  hostIP?: string;
}

export interface BcsVolume {
  /** Default true in the seed, and now really read-only (`:ro`). */
  readOnly: boolean;
  hostPath: string;
  containerPath: string;
}

export interface BcsImage {
  id: string;
  /** RepoTags. */
  repository: string[];
  /** Unix seconds. */
  created: number;
  /** Bytes. */
  size: number;
}

/** schedTypes.Resource: cores and MB. */
export interface Resource {
  cpus: number;
  mem: number;
  disk?: number;
}

/** The newer UpdateResources input (schedTypes TaskResources): request and limit, CPU in cores, memory in MB. */
export interface TaskResources {
  taskId?: string;
  reqCpu?: number;
  reqMem?: number;
  cpu?: number;
  mem?: number;
}

/** A ulimit in the structured form; the seed's `BcsKV` form `nofile=1024` (or the new `1024:2048`) is accepted too. */
export interface UlimitSpec {
  name: string;
  soft: number;
  hard: number;
}

export interface NetLimit {
  /** Mbps. */
  egressLimit: number;
}

/**
An extended resource. The seed's device-plugin form (a unix `socket`) is refused as Unsupported; the form
this engine supports gives host device paths to map into the container.
*/
export interface ExtendedResource {
  name: string;
  value: number;
  capacity?: number;
  socket?: string;
  innerIP?: string;
  /** Host device paths (`/dev/fuse`) mapped with rwm. */
  devices?: string[];
}

/** The seed's LOCALFILE message: a file written into the container between create and start. */
export interface BcsFileMessage {
  /** Absolute path in the container. */
  to: string;
  /** File content, base64. */
  base64: string;
  /** Octal mode string ("0644"); the seed's `right: "rw"` means 0666. */
  mode?: string;
  right?: string;
  /** uid[:gid] or user name inside the container. */
  user?: string;
}

export type HealthCheckType = 'http' | 'tcp' | 'command';

export interface HealthCheckSpec {
  type: HealthCheckType;
  /** http and tcp. */
  port?: number;
  /** http. */
  path?: string;
  /** http: "http" or "https". */
  scheme?: string;
  /** command: an argv array, or a string split with shell-like quoting rules (no shell is run). */
  command?: string | string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  gracePeriodSeconds: number;
  consecutiveFailures: number;
  /** What to do when `consecutiveFailures` is reached: report (the seed) or restart the container. */
  action?: 'report' | 'restart';
}

/** The seed's BcsContainerTask. */
export interface BcsContainerTask {
  name: string;
  image: string;
  hostName?: string;
  /** `host:ip` pairs for /etc/hosts. */
  hosts?: string[];
  command?: string;
  args?: string[];
  env?: BcsKV[];
  volumes?: BcsVolume[];
  /** bridge, host, none, a user network, or `container:<id>`. */
  networkName?: string;
  networkIPAddr?: string;
  forcePullImage?: boolean;
  oomKillDisabled?: boolean;
  /** The executor removes the container after it stopped it (not Docker's AutoRemove). Default true. */
  autoRemove?: boolean;
  ulimits?: (BcsKV | UlimitSpec)[];
  /** Bytes. */
  shmSize?: number;
  privileged?: boolean;
  publishAllPorts?: boolean;
  /** Key `<containerPort>/<protocol>`. */
  portBindings?: Record<string, BcsPort>;
  labels?: BcsKV[];
  /** Request; required by the seed (nil crashed it), defaulted here when absent. */
  resource?: Resource;
  limitResource?: Resource;
  extendedResources?: ExtendedResource[];
  bcsMessages?: BcsFileMessage[];
  runtimeConf?: BcsContainerInfo;
  healthCheck?: HealthCheckSpec;
  /** Stop grace in seconds (default 1, as the seed). */
  killPolicy?: number;
  netLimit?: NetLimit;
  taskId?: string;
  ipc?: string;
  /** New: working directory and user of the main process. */
  workingDir?: string;
  user?: string;
}

/** Runtime state of a container (the seed's BcsContainerInfo), camelCase. */
export interface BcsContainerInfo {
  id: string;
  name: string;
  pid: number;
  /** RFC 3339. */
  startAt: string;
  finishAt: string;
  status: string;
  healthy: boolean;
  isChecked: boolean;
  consecutiveFailureTimes: number;
  exitCode: number;
  hostname: string;
  networkMode: string;
  ipAddress: string;
  nodeAddress: string;
  ports: BcsPort[];
  message: string;
  resource?: Resource;
  oomKilled: boolean;
}

/** The seed's RequestCommandTask, with the fixes: a timeout and an output cap. */
export interface RequestCommandTask {
  id?: string;
  taskId?: string;
  containerId: string;
  /** `K=V`. */
  env?: string[];
  cmd: string[];
  /** Empty means the image's user (the seed forced root). */
  user?: string;
  workingDir?: string;
  privileged?: boolean;
  timeoutMs?: number;
  maxOutputBytes?: number;
}

export interface CommandInspect {
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
}

export type CommandStatus = 'staging' | 'running' | 'finish' | 'failed';

export interface ResponseCommandTask {
  id?: string;
  taskId?: string;
  containerId: string;
  status: CommandStatus;
  message: string;
  commInspect?: CommandInspect;
}
