/**
The Engine interface: everything a face (TUI, rpc, mcp, headless commands) can ask of the engine. One
implementation, built by `createEngine({runtime, ...})`, over any ContainerRuntime (dockerd, podman's API, or
the in-memory fake in tests).

Refs: a pod ref is its name or its infra container id (a unique prefix of at least 4 characters is accepted);
a container ref is its Docker id (or unique prefix), its Docker name, or `POD/CONTAINER`.
Every operation that waits takes `{signal}`; every mutating result carries `changed`.
Errors are EngineErrors (src/errors.ts). Nothing here throws for a pod that merely failed: results say so.
*/
import type {
  ContainerDetails,
  ImageDetails,
  ImageSummary,
  LogChunk,
  ProgressEvent,
  RuntimeInfo,
  RuntimeVersion,
  TopResult,
} from '../runtime/port.js';
import type {BcsContainerInfo, TaskResources} from '../task/types.js';
import type {PodSpec} from '../pod/spec-types.js';
import type {
  ConnectionState,
  ContainerView,
  EngineActivity,
  EngineEventName,
  EngineEvents,
  PodStatus,
  PodView,
  Unsubscribe,
} from './types.js';

export interface Signal {
  readonly signal?: AbortSignal;
}

export interface CreatePodOptions extends Signal {
  /** Start after creating (default true). */
  readonly start?: boolean;
  /** Wait until the pod is running (or healthy) before answering. */
  readonly wait?: 'running' | 'healthy';
  readonly timeoutMs?: number;
  readonly onProgress?: (progress: OperationProgress) => void;
}

/** Progress of a long operation (pull, create): for `$/progress` and the TUI. */
export interface OperationProgress {
  readonly step: string;
  readonly message: string;
  /** 0-100 when known. */
  readonly percentage?: number;
  readonly pull?: ProgressEvent;
}

export interface PodResult {
  readonly changed: boolean;
  readonly pod: PodView;
}

export interface ApplyResult extends PodResult {
  /** created: did not exist; recreated: spec hash changed; unchanged: same spec hash. */
  readonly action: 'created' | 'recreated' | 'unchanged';
}

export interface RemoveResult {
  readonly changed: boolean;
  readonly name: string;
  readonly removedContainers: readonly string[];
}

export type WaitCondition = 'running' | 'healthy' | 'exited' | 'removed' | 'status';

export interface WaitOptions extends Signal {
  readonly condition: WaitCondition;
  /** For 'status': wait until the pod has one of these statuses. */
  readonly statuses?: readonly PodStatus[];
  readonly timeoutMs?: number;
}

export interface ExecOptions extends Signal {
  readonly cmd: readonly string[];
  readonly env?: readonly string[];
  readonly user?: string;
  readonly workingDir?: string;
  readonly privileged?: boolean;
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

export interface InteractiveExecOptions {
  readonly cmd: readonly string[];
  readonly rows: number;
  readonly cols: number;
  readonly env?: readonly string[];
  readonly user?: string;
  readonly workingDir?: string;
}

/** An interactive TTY exec: raw bytes both ways, resizable. */
export interface InteractiveExec {
  readonly output: NodeJS.ReadableStream;
  readonly input: NodeJS.WritableStream;
  resize(rows: number, cols: number): Promise<void>;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
  close(): void;
}

export interface LogLine {
  /** Container name in the pod spec. */
  readonly container: string;
  readonly containerId: string;
  readonly stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, from Docker's timestamps. */
  readonly ts: string;
  readonly text: string;
}

export interface LogsOptions extends Signal {
  readonly tail?: number;
  /** Unix seconds or RFC 3339. */
  readonly since?: number | string;
  /** A regular expression (JavaScript syntax) lines must match. */
  readonly grep?: string;
  readonly maxBytes?: number;
}

export interface LogsResult {
  readonly lines: readonly LogLine[];
  readonly truncated: boolean;
  readonly totalLines: number;
}

export interface FollowLogsOptions extends Signal {
  readonly tail?: number;
  readonly since?: number | string;
  /** Re-attach when the container restarts (default true). */
  readonly followRestarts?: boolean;
  /** Lines held for a slow consumer before the oldest are dropped (default 1000). */
  readonly bufferLines?: number;
  /** Told how many lines were dropped, just before the line that follows the gap. */
  readonly onDropped?: (count: number) => void;
}

export interface StatsView {
  readonly container: string;
  readonly containerId: string;
  readonly pod: string;
  readonly at: string;
  readonly cpuPercent: number;
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number;
  readonly memoryPercent: number;
  readonly networkRxBytes: number;
  readonly networkTxBytes: number;
  readonly blockReadBytes: number;
  readonly blockWriteBytes: number;
  readonly pids: number;
}

export interface PodStatsView {
  readonly pod: string;
  readonly at: string;
  readonly cpuPercent: number;
  readonly memoryBytes: number;
  /** From the infra container only (members share its network namespace). */
  readonly networkRxBytes: number;
  readonly networkTxBytes: number;
  readonly containers: readonly StatsView[];
}

export interface PodUploadOptions extends Signal {
  /** Host path of a file or directory. */
  readonly source?: string;
  /** Or the content itself. */
  readonly content?: string | Buffer;
  readonly dest: string;
  readonly mode?: number;
}

export interface EngineOptions {
  /** Pods whose creator process is gone are rolled back at start (default true). */
  readonly reconcileOnStart?: boolean;
}

export interface Engine {
  /** The connection to the container engine. */
  connection(): ConnectionState;
  version(options?: Signal): Promise<RuntimeVersion>;
  info(options?: Signal): Promise<RuntimeInfo>;
  ping(options?: Signal): Promise<{readonly apiVersion: string; readonly latencyMs: number}>;

  /** Typed event bus. Returns the unsubscribe function. */
  on<E extends EngineEventName>(event: E, listener: (payload: EngineEvents[E]) => void): Unsubscribe;
  /** Recent activity (most recent last), bounded. */
  activity(): readonly EngineActivity[];

  // Pods
  listPods(options?: Signal): Promise<readonly PodView[]>;
  getPod(ref: string, options?: Signal): Promise<PodView>;
  /** The pod's spec as created (secret env values masked). */
  getPodSpec(ref: string, options?: Signal): Promise<PodSpec>;
  createPod(spec: PodSpec, options?: CreatePodOptions): Promise<PodResult>;
  /** Create, or recreate when the spec hash differs, or leave as is. */
  applyPod(spec: PodSpec, options?: CreatePodOptions): Promise<ApplyResult>;
  startPod(
    ref: string,
    options?: Signal & {readonly wait?: 'running' | 'healthy'; readonly timeoutMs?: number},
  ): Promise<PodResult>;
  stopPod(ref: string, options?: Signal & {readonly graceSeconds?: number}): Promise<PodResult>;
  restartPod(ref: string, options?: Signal & {readonly graceSeconds?: number}): Promise<PodResult>;
  killPod(ref: string, options?: Signal & {readonly killSignal?: string | number}): Promise<PodResult>;
  removePod(ref: string, options?: Signal & {readonly force?: boolean}): Promise<RemoveResult>;
  waitPod(ref: string, options: WaitOptions): Promise<PodView>;
  podLogs(ref: string, options?: LogsOptions): Promise<LogsResult>;
  podStats(ref: string, options?: Signal): Promise<PodStatsView>;
  updatePodResources(
    ref: string,
    resources: TaskResources & {readonly container?: string},
    options?: Signal,
  ): Promise<PodResult>;

  // Containers
  listContainers(options?: Signal & {readonly pod?: string}): Promise<readonly ContainerView[]>;
  getContainer(ref: string, options?: Signal): Promise<ContainerView>;
  /** Docker's inspect; secret env values masked (every value when no spec of the pod says which are secret). */
  inspectContainer(ref: string, options?: Signal): Promise<ContainerDetails>;
  /** The seed's BcsContainerInfo (for `format: "bcs"`). */
  inspectContainerBcs(ref: string, options?: Signal): Promise<BcsContainerInfo>;
  startContainer(ref: string, options?: Signal): Promise<{readonly changed: boolean}>;
  stopContainer(
    ref: string,
    options?: Signal & {readonly graceSeconds?: number},
  ): Promise<{readonly changed: boolean}>;
  restartContainer(
    ref: string,
    options?: Signal & {readonly graceSeconds?: number},
  ): Promise<{readonly changed: boolean}>;
  killContainer(
    ref: string,
    options?: Signal & {readonly killSignal?: string | number},
  ): Promise<{readonly changed: boolean}>;
  removeContainer(
    ref: string,
    options?: Signal & {readonly force?: boolean},
  ): Promise<{readonly changed: boolean}>;
  exec(ref: string, options: ExecOptions): Promise<ExecResult>;
  execInteractive(ref: string, options: InteractiveExecOptions): Promise<InteractiveExec>;
  upload(ref: string, options: PodUploadOptions): Promise<{readonly changed: boolean}>;
  commit(
    ref: string,
    options: Signal & {readonly image: string; readonly push?: boolean},
  ): Promise<{readonly imageId: string; readonly changed: boolean}>;
  updateContainer(
    ref: string,
    resources: TaskResources,
    options?: Signal,
  ): Promise<{readonly changed: boolean}>;
  containerLogs(ref: string, options?: LogsOptions): Promise<LogsResult>;
  /** Follows logs (of a container, or every app container of a pod when `ref` is a pod), line-buffered. */
  followLogs(ref: string, options: FollowLogsOptions): AsyncIterable<LogLine>;
  containerStats(ref: string, options?: Signal): Promise<StatsView>;
  /** Samples every `intervalMs` (>= 1000) for the given container refs; ends with the signal. */
  followStats(
    refs: readonly string[],
    options: {readonly signal: AbortSignal; readonly intervalMs?: number},
  ): AsyncIterable<StatsView>;
  topContainer(ref: string, options?: Signal & {readonly psArgs?: string}): Promise<TopResult>;

  // Images
  listImages(options?: Signal): Promise<readonly ImageSummary[]>;
  inspectImage(ref: string, options?: Signal): Promise<ImageDetails>;
  pullImage(
    ref: string,
    options?: Signal & {readonly onProgress?: (event: ProgressEvent) => void},
  ): Promise<{readonly changed: boolean}>;
  removeImage(
    ref: string,
    options?: Signal & {readonly force?: boolean},
  ): Promise<{readonly changed: boolean}>;

  /** Re-reads everything from the container engine now. */
  reconcile(options?: Signal): Promise<void>;
  /** Stops watching; pods keep running. */
  close(): Promise<void>;
}

export type {ContainerView, PodView, LogChunk};
