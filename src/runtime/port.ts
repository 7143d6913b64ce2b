/**
The ContainerRuntime port: everything the engine asks of a container engine, in the engine's own words.

Only `src/runtime/docker/` implements it over dockerode (talking to dockerd or to podman's Docker-compatible
API); `test/support/fake-runtime.ts` implements it in memory for fast tests. One contract suite
(`test/contract/runtime-contract.ts`) runs against both, so the fake cannot drift from the real engine.

Conventions:
- Every method that waits takes `{signal}` and stops (throwing EngineError CANCELLED) when it fires.
- Failures are EngineErrors with stable codes: 404 NOT_FOUND, 409 on create ALREADY_EXISTS, other 409
  INVALID_STATE, socket refused/missing ENGINE_UNAVAILABLE, anything else ENGINE_ERROR (details.statusCode).
- Docker's 304 ("already started", "already stopped") is not an error: the result says `changed: false`.
- No dockerode type crosses this boundary.
*/
import type {Readable, Writable} from 'node:stream';

export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** Docker's `State.Status` values. */
export type ContainerStatus =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export type HealthStatus = 'none' | 'starting' | 'healthy' | 'unhealthy';

// ---------------------------------------------------------------------------------------------------------
// Engine identity

export interface RuntimeVersion {
  /** The API version this client speaks, negotiated from `/_ping` (min of daemon and our max tested). */
  readonly apiVersion: string;
  /** The daemon's own maximum API version. */
  readonly serverApiVersion: string;
  readonly minApiVersion: string;
  readonly serverVersion: string;
  readonly os: string;
  readonly arch: string;
  /** `docker` or `podman` (podman's compat API reports Components containing "Podman Engine"). */
  readonly flavor: 'docker' | 'podman';
}

export interface RuntimeInfo {
  readonly name: string;
  readonly serverVersion: string;
  readonly containers: number;
  readonly containersRunning: number;
  readonly images: number;
  readonly driver: string;
  readonly cgroupVersion: string;
  readonly cgroupDriver: string;
  readonly ncpu: number;
  readonly memTotal: number;
  readonly kernelVersion: string;
  readonly operatingSystem: string;
}

// ---------------------------------------------------------------------------------------------------------
// Containers

export interface PortBinding {
  readonly hostIp?: string;
  /** A number as a string; "" or absent lets Docker pick. */
  readonly hostPort?: string;
}

export interface Ulimit {
  readonly name: string;
  readonly soft: number;
  readonly hard: number;
}

export interface DeviceMapping {
  readonly pathOnHost: string;
  readonly pathInContainer: string;
  /** e.g. "rwm". */
  readonly cgroupPermissions: string;
}

export interface RestartPolicySpec {
  readonly name: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  readonly maximumRetryCount?: number;
}

/** HostConfig, in our words. Absent means "Docker's default"; the mapping never sends fields it did not set. */
export interface HostSpec {
  /** `host:container` or `host:container:ro`. */
  readonly binds?: readonly string[];
  /** `bridge` is sent as `default`, as the seed does; `container:<id>`, `host`, `none` or a network name. */
  readonly networkMode?: string;
  readonly ipcMode?: string;
  readonly pidMode?: string;
  readonly utsMode?: string;
  /** Keys are `<port>/<proto>`. */
  readonly portBindings?: Readonly<Record<string, readonly PortBinding[]>>;
  readonly publishAllPorts?: boolean;
  /** `host:ip`. */
  readonly extraHosts?: readonly string[];
  readonly dns?: readonly string[];
  readonly dnsSearch?: readonly string[];
  readonly dnsOptions?: readonly string[];
  readonly privileged?: boolean;
  readonly capAdd?: readonly string[];
  readonly cpuShares?: number;
  readonly cpuPeriod?: number;
  readonly cpuQuota?: number;
  /** Bytes. */
  readonly memory?: number;
  /** Bytes; equal to memory means no swap headroom. */
  readonly memorySwap?: number;
  readonly oomKillDisable?: boolean;
  readonly ulimits?: readonly Ulimit[];
  /** Bytes. */
  readonly shmSize?: number;
  /** Run Docker's init (tini) as PID 1. */
  readonly init?: boolean;
  readonly autoRemove?: boolean;
  readonly restartPolicy?: RestartPolicySpec;
  readonly devices?: readonly DeviceMapping[];
}

export interface EndpointSpec {
  readonly ipv4Address?: string;
  readonly aliases?: readonly string[];
}

/** What `createContainer` needs: Config + HostConfig + NetworkingConfig of Docker's create call. */
export interface ContainerCreateSpec {
  readonly name?: string;
  readonly image: string;
  readonly cmd?: readonly string[];
  readonly entrypoint?: readonly string[];
  /** `K=V`, order kept. */
  readonly env?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly hostname?: string;
  readonly workingDir?: string;
  readonly user?: string;
  /** `<port>/<proto>` keys. */
  readonly exposedPorts?: readonly string[];
  readonly tty?: boolean;
  readonly openStdin?: boolean;
  readonly attachStdout?: boolean;
  readonly attachStderr?: boolean;
  readonly stopSignal?: string;
  /** Seconds Docker waits on `stop` before SIGKILL when no `t` is given. */
  readonly stopTimeout?: number;
  readonly host: HostSpec;
  /** Network name → endpoint settings (requested IP). */
  readonly endpoints?: Readonly<Record<string, EndpointSpec>>;
}

export interface ContainerNetwork {
  readonly networkId: string;
  readonly ipAddress: string;
  readonly ipPrefixLen: number;
  readonly gateway: string;
  readonly macAddress: string;
}

export interface PublishedPort {
  readonly containerPort: number;
  readonly protocol: string;
  readonly hostIp: string;
  readonly hostPort: number;
}

export interface HealthLogEntry {
  readonly start: string;
  readonly end: string;
  readonly exitCode: number;
  readonly output: string;
}

export interface ContainerHealth {
  readonly status: HealthStatus;
  readonly failingStreak: number;
  readonly log: readonly HealthLogEntry[];
}

export interface ContainerState {
  readonly status: ContainerStatus;
  readonly running: boolean;
  readonly paused: boolean;
  readonly restarting: boolean;
  readonly oomKilled: boolean;
  readonly dead: boolean;
  readonly pid: number;
  readonly exitCode: number;
  readonly error: string;
  /** RFC 3339; `0001-01-01T00:00:00Z` when never started, as Docker says. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly health?: ContainerHealth;
}

/** `GET /containers/{id}/json`, in our words. */
export interface ContainerDetails {
  readonly id: string;
  /** Without the leading `/`. */
  readonly name: string;
  readonly image: string;
  readonly imageId: string;
  readonly created: string;
  readonly restartCount: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: ContainerState;
  readonly config: {
    readonly hostname: string;
    readonly env: readonly string[];
    readonly cmd: readonly string[];
    readonly entrypoint: readonly string[];
    readonly workingDir: string;
    readonly user: string;
    readonly tty: boolean;
    readonly exposedPorts: readonly string[];
  };
  /** HostConfig as the engine reports it back (Docker fills defaults: 0, false, empty). */
  readonly host: HostSpec & {readonly networkMode: string};
  readonly network: {
    readonly networks: Readonly<Record<string, ContainerNetwork>>;
    readonly ports: readonly PublishedPort[];
    /** The sandbox key (`/var/run/docker/netns/...`), when the engine reports it. */
    readonly sandboxKey: string;
  };
}

/** `GET /containers/json`, in our words. */
export interface ContainerSummary {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly imageId: string;
  readonly created: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: ContainerStatus;
  /** Docker's human text, e.g. "Up 3 minutes (healthy)". */
  readonly statusText: string;
  readonly ports: readonly PublishedPort[];
}

export interface ListContainersOptions extends CallOptions {
  /** Include stopped containers (default true: the engine cares about exited members). */
  readonly all?: boolean;
  /** `key` or `key=value`, ANDed. */
  readonly labels?: readonly string[];
  readonly names?: readonly string[];
  readonly ids?: readonly string[];
}

export interface StopOptions extends CallOptions {
  /** Docker's `t`: seconds between the stop signal and SIGKILL. */
  readonly timeoutSeconds?: number;
}

export interface RemoveOptions extends CallOptions {
  readonly force?: boolean;
  readonly volumes?: boolean;
}

export interface ChangeResult {
  /** false when the container was already in the asked state (Docker's 304), or already gone for remove. */
  readonly changed: boolean;
}

export interface ResourceUpdate {
  readonly cpuShares?: number;
  readonly cpuPeriod?: number;
  readonly cpuQuota?: number;
  readonly memory?: number;
  readonly memorySwap?: number;
  readonly pidsLimit?: number;
  readonly restartPolicy?: RestartPolicySpec;
}

export interface CommitOptions extends CallOptions {
  readonly repo?: string;
  readonly tag?: string;
  readonly comment?: string;
  readonly author?: string;
  readonly pause?: boolean;
  /** Dockerfile instructions applied to the image's config (`ENV KEY=""`), Docker's and podman's `changes`. */
  readonly changes?: readonly string[];
}

export interface WaitResult {
  readonly exitCode: number;
  readonly error?: string;
}

export interface TopResult {
  readonly titles: readonly string[];
  readonly processes: readonly (readonly string[])[];
}

export interface PathStat {
  readonly name: string;
  readonly size: number;
  readonly mode: number;
  readonly mtime: string;
  readonly linkTarget: string;
}

// ---------------------------------------------------------------------------------------------------------
// Exec

export interface ExecCreateSpec {
  readonly cmd: readonly string[];
  readonly env?: readonly string[];
  readonly user?: string;
  readonly workingDir?: string;
  readonly privileged?: boolean;
  readonly tty?: boolean;
  readonly attachStdin?: boolean;
}

export interface ExecStartOptions extends CallOptions {
  readonly tty?: boolean;
  /** Open stdin (hijack); otherwise stdin is closed at once. */
  readonly stdin?: boolean;
}

/**
A started exec. Non-TTY output arrives demultiplexed on `stdout`/`stderr`; with a TTY, everything is on
`stdout` raw and `stderr` ends at once. `stdin` is null unless asked for. `ended` resolves when the output
stream closes (which is not yet the exit: inspect for the code).
*/
export interface ExecSession {
  readonly id: string;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly stdin: Writable | null;
  readonly ended: Promise<void>;
  /** Drops the connection (the process keeps running: Docker has no exec kill). */
  close(): void;
}

export interface ExecDetails {
  readonly id: string;
  readonly running: boolean;
  /** null while running (and briefly after the stream closes). */
  readonly exitCode: number | null;
  /** Host PID of the exec'd process; 0 when unknown. */
  readonly pid: number;
  readonly containerId: string;
}

// ---------------------------------------------------------------------------------------------------------
// Logs and stats

export interface LogOptions extends CallOptions {
  readonly follow?: boolean;
  /** A count, or 'all'. */
  readonly tail?: number | 'all';
  /** Unix seconds (may be fractional). */
  readonly since?: number;
  readonly until?: number;
  readonly timestamps?: boolean;
  readonly stdout?: boolean;
  readonly stderr?: boolean;
}

/** One demultiplexed piece of a log stream; not split on lines (the caller buffers). */
export interface LogChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly data: Buffer;
}

/** One raw stats sample, in our words (formulas are the engine's business). */
export interface StatsSample {
  /** RFC 3339 time of the sample. */
  readonly read: string;
  readonly cpuTotalUsage: number;
  readonly systemCpuUsage: number;
  readonly onlineCpus: number;
  readonly precpuTotalUsage: number;
  readonly presystemCpuUsage: number;
  readonly memoryUsage: number;
  /** Page cache to subtract: `inactive_file` on cgroup v2, `cache` on v1. */
  readonly memoryCache: number;
  readonly memoryLimit: number;
  readonly networkRxBytes: number;
  readonly networkTxBytes: number;
  readonly blockReadBytes: number;
  readonly blockWriteBytes: number;
  readonly pids: number;
}

// ---------------------------------------------------------------------------------------------------------
// Images

export interface ImageSummary {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
  /** Unix seconds. */
  readonly created: number;
  readonly size: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ImageDetails extends ImageSummary {
  readonly architecture: string;
  readonly os: string;
  readonly config: {
    readonly env: readonly string[];
    readonly cmd: readonly string[];
    readonly entrypoint: readonly string[];
    readonly workingDir: string;
    readonly user: string;
    readonly exposedPorts: readonly string[];
  };
}

export interface RegistryAuth {
  readonly username: string;
  readonly password: string;
  /** The registry these credentials are for; they are sent to no other. */
  readonly serveraddress: string;
}

/** One message of a pull, push or build progress stream. */
export interface ProgressEvent {
  readonly id?: string;
  readonly status?: string;
  readonly progress?: string;
  readonly current?: number;
  readonly total?: number;
  readonly stream?: string;
}

export interface PullOptions extends CallOptions {
  readonly auth?: RegistryAuth;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Abort when the stream is silent this long (the seed's 3 minutes). */
  readonly inactivityTimeoutMs?: number;
}

export interface BuildOptions extends CallOptions {
  /** Full reference to tag the result with. */
  readonly tag: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly onProgress?: (event: ProgressEvent) => void;
}

// ---------------------------------------------------------------------------------------------------------
// Networks

export interface NetworkCreateSpec {
  readonly name: string;
  readonly driver?: string;
  readonly subnet?: string;
  readonly gateway?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly internal?: boolean;
}

export interface NetworkDetails {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly subnets: readonly string[];
  /** Container id → its address on this network. */
  readonly containers: Readonly<Record<string, {readonly ipv4Address: string; readonly name: string}>>;
}

// ---------------------------------------------------------------------------------------------------------
// Events

export type RuntimeEventType = 'container' | 'image' | 'network' | 'volume' | 'daemon' | 'plugin' | 'builder';

/** One message of the engine's event stream. */
export interface RuntimeEvent {
  readonly type: RuntimeEventType;
  /** `die`, `start`, `oom`, `health_status: healthy`, ... as Docker sends them. */
  readonly action: string;
  readonly id: string;
  /** Container events carry every label plus `name`, `image`, `exitCode` (die), `signal` (kill). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Nanoseconds since the epoch. */
  readonly timeNano: bigint;
}

export interface EventsOptions {
  readonly signal: AbortSignal;
  readonly types?: readonly RuntimeEventType[];
  readonly labels?: readonly string[];
  readonly actions?: readonly string[];
  /** Unix seconds: replay from here (Docker keeps only the last 256 events). */
  readonly since?: number;
}

// ---------------------------------------------------------------------------------------------------------

export interface ContainerRuntime {
  /** Where this runtime connects (`unix:///var/run/docker.sock`, `tcp://...`), for display. */
  readonly endpoint: string;

  ping(options?: CallOptions): Promise<{readonly apiVersion: string}>;
  version(options?: CallOptions): Promise<RuntimeVersion>;
  info(options?: CallOptions): Promise<RuntimeInfo>;

  createContainer(
    spec: ContainerCreateSpec,
    options?: CallOptions,
  ): Promise<{readonly id: string; readonly warnings: readonly string[]}>;
  startContainer(id: string, options?: CallOptions): Promise<ChangeResult>;
  stopContainer(id: string, options?: StopOptions): Promise<ChangeResult>;
  restartContainer(id: string, options?: StopOptions): Promise<void>;
  /** `signal` is a name (`SIGTERM`) or a number; default SIGKILL. Not running: INVALID_STATE. */
  killContainer(id: string, signal?: string | number, options?: CallOptions): Promise<void>;
  /** Already gone: `{changed: false}`. */
  removeContainer(id: string, options?: RemoveOptions): Promise<ChangeResult>;
  pauseContainer(id: string, options?: CallOptions): Promise<void>;
  unpauseContainer(id: string, options?: CallOptions): Promise<void>;
  inspectContainer(id: string, options?: CallOptions): Promise<ContainerDetails>;
  listContainers(options?: ListContainersOptions): Promise<readonly ContainerSummary[]>;
  updateContainer(
    id: string,
    update: ResourceUpdate,
    options?: CallOptions,
  ): Promise<{readonly warnings: readonly string[]}>;
  commitContainer(id: string, options?: CommitOptions): Promise<{readonly imageId: string}>;
  /** Waits for `not-running` (default) or `next-exit`. */
  waitContainer(
    id: string,
    condition?: 'not-running' | 'next-exit',
    options?: CallOptions,
  ): Promise<WaitResult>;
  topContainer(id: string, psArgs?: string, options?: CallOptions): Promise<TopResult>;
  /** Extracts a tar archive into directory `path` of the container. */
  putArchive(id: string, path: string, tar: Buffer | Readable, options?: CallOptions): Promise<void>;
  getArchive(id: string, path: string, options?: CallOptions): Promise<Readable>;
  statPath(id: string, path: string, options?: CallOptions): Promise<PathStat>;

  createExec(containerId: string, spec: ExecCreateSpec, options?: CallOptions): Promise<string>;
  startExec(execId: string, options?: ExecStartOptions): Promise<ExecSession>;
  inspectExec(execId: string, options?: CallOptions): Promise<ExecDetails>;
  resizeExec(
    execId: string,
    size: {readonly rows: number; readonly cols: number},
    options?: CallOptions,
  ): Promise<void>;

  logs(id: string, options?: LogOptions): AsyncIterable<LogChunk>;
  /** One sample; with `precpu` filled (Docker waits two collector intervals). */
  stats(id: string, options?: CallOptions): Promise<StatsSample>;
  statsStream(id: string, options: {readonly signal: AbortSignal}): AsyncIterable<StatsSample>;

  /** Exact reference resolution (`GET /images/{ref}/json`); null when absent. */
  inspectImage(ref: string, options?: CallOptions): Promise<ImageDetails | null>;
  listImages(
    options?: CallOptions & {readonly reference?: string; readonly labels?: readonly string[]},
  ): Promise<readonly ImageSummary[]>;
  pullImage(ref: string, options?: PullOptions): Promise<void>;
  pushImage(ref: string, options?: PullOptions): Promise<void>;
  tagImage(source: string, target: string, options?: CallOptions): Promise<void>;
  removeImage(ref: string, options?: CallOptions & {readonly force?: boolean}): Promise<ChangeResult>;
  /** Builds from a tar'd context holding a Dockerfile (no pull when it starts `FROM scratch`). */
  buildImage(context: Readable | Buffer, options: BuildOptions): Promise<{readonly imageId: string}>;

  createNetwork(spec: NetworkCreateSpec, options?: CallOptions): Promise<{readonly id: string}>;
  inspectNetwork(idOrName: string, options?: CallOptions): Promise<NetworkDetails>;
  listNetworks(
    options?: CallOptions & {readonly labels?: readonly string[]},
  ): Promise<readonly NetworkDetails[]>;
  removeNetwork(idOrName: string, options?: CallOptions): Promise<ChangeResult>;

  /** The engine's event stream, ended by the signal. Ends with ENGINE_UNAVAILABLE when the daemon goes away. */
  events(options: EventsOptions): AsyncIterable<RuntimeEvent>;
}
