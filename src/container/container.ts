/**
The `Container` interface: the seed's 14 container operations (seed-spec §2), camelCase and async, with the
fixes of §8. `DockerContainer` implements it over any ContainerRuntime.

Every operation that waits takes `{signal}`; failures are EngineErrors with stable codes, except
`runCommandV2`, which (as in the seed) reports failures in its result and never throws.
*/
import type {CallOptions, ProgressEvent} from '../runtime/port.js';
import type {
  BcsContainerInfo,
  BcsContainerTask,
  BcsImage,
  RequestCommandTask,
  Resource,
  ResponseCommandTask,
  TaskResources,
} from '../task/types.js';

/** The result of an operation that may find its target already in the asked state. */
export interface ChangedResult {
  /** false when nothing had to change (already running, already stopped, already gone). */
  readonly changed: boolean;
}

/** What `stopContainer` did. */
export interface StopResult extends ChangedResult {
  /**
  true when Docker's stop did not finish within `timeoutSeconds + STOP_CONTAINER_GRACE_TIME` seconds of wall
  clock and the engine sent SIGKILL itself.
  */
  readonly killed: boolean;
}

export interface CreateContainerOptions extends CallOptions {
  /** Progress of the image pull, when one is needed. */
  readonly onProgress?: (event: ProgressEvent) => void;
}

export interface PullImageOptions extends CallOptions {
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** Which containers `listContainer` returns. */
export interface ListContainerFilter extends CallOptions {
  /**
  `managed` (the default): only containers this engine created (they carry `LABELS.managed`), so a busy host's
  other containers do not show up as tasks. `all`: every container of the engine.
  */
  readonly scope?: 'managed' | 'all';
  /** Only running containers (default false: every state, since exited tasks matter). */
  readonly runningOnly?: boolean;
  /** `key` or `key=value`, ANDed. */
  readonly labels?: readonly string[];
  /** Exact container names. */
  readonly names?: readonly string[];
  readonly ids?: readonly string[];
}

export interface UploadOptions extends CallOptions {
  /** Owner of the uploaded entries; default the host file's own uid and gid (the seed's behaviour). */
  readonly uid?: number;
  readonly gid?: number;
}

export interface UploadContentOptions extends CallOptions {
  /** Permission bits (default 0o644). */
  readonly mode?: number;
  /** Owner inside the container (default 0, root). */
  readonly uid?: number;
  readonly gid?: number;
}

export interface CommitImageOptions extends CallOptions {
  /** Push the committed image to its registry (the seed always pushed; default false). */
  readonly push?: boolean;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** The seed's Container interface (EXE/container/container.go), plus `uploadContent` for in-memory files. */
export interface Container {
  /**
  Validates `task`, makes sure its image is present (exact reference; pulled when absent or
  `forcePullImage`), creates the container `name` and returns its inspected state. Nothing is created when the
  task is invalid. The task is mapped as given: `envOperCopy` is the caller's (the pod's) business.
  */
  createContainer(
    name: string,
    task: BcsContainerTask,
    options?: CreateContainerOptions,
  ): Promise<BcsContainerInfo>;
  /** Starts it; `{changed: false}` when it already runs. */
  startContainer(id: string, options?: CallOptions): Promise<ChangedResult>;
  /** Docker stop with `t = timeoutSeconds`, bounded by a real deadline, then SIGKILL. Not running: `{changed: false}`. */
  stopContainer(name: string, timeoutSeconds: number, options?: CallOptions): Promise<StopResult>;
  /** `{changed: false}` when it was already gone. */
  removeContainer(name: string, force: boolean, options?: CallOptions): Promise<ChangedResult>;
  /** Sends `signal` (a number or a name such as `SIGTERM`); a container not running is INVALID_STATE. */
  killContainer(name: string, signal: number | string, options?: CallOptions): Promise<void>;
  inspectContainer(name: string, options?: CallOptions): Promise<BcsContainerInfo>;
  /** Pulls `image` (`:latest` when untagged; digests kept). Failures are IMAGE_PULL_FAILED naming the image. */
  pullImage(image: string, options?: PullImageOptions): Promise<void>;
  /** Local images, optionally filtered by Docker's `reference` filter (a name, `name:tag`, or a glob). */
  listImage(filter?: string, options?: CallOptions): Promise<BcsImage[]>;
  /** Starts `cmd` in the container and returns once it started (create and start errors are reported). */
  runCommand(id: string, cmd: readonly string[], options?: CallOptions): Promise<void>;
  /** Runs a command to its end, with a timeout and an output cap. Never throws: failures are `status: 'failed'`. */
  runCommandV2(request: RequestCommandTask, options?: CallOptions): Promise<ResponseCommandTask>;
  /** Copies a host file or directory so that it lands at `dest` in the container. */
  uploadToContainer(id: string, source: string, dest: string, options?: UploadOptions): Promise<void>;
  /** Writes `content` as the file `dest` in the container. */
  uploadContent(
    id: string,
    dest: string,
    content: Buffer | string,
    options?: UploadContentOptions,
  ): Promise<void>;
  /** The containers' states; by default only the containers this engine manages. */
  listContainer(filter?: ListContainerFilter): Promise<BcsContainerInfo[]>;
  /** Validated first (nothing is sent when invalid); takes the newer TaskResources or Variant A's Resource. */
  updateResources(
    id: string,
    resources: TaskResources | Resource,
    options?: CallOptions,
  ): Promise<{readonly warnings: readonly string[]}>;
  /** Commits the container as `image`; pushes only when asked. */
  commitImage(id: string, image: string, options?: CommitImageOptions): Promise<{readonly imageId: string}>;
}
