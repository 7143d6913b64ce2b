import type {Readable} from 'node:stream';
import type {
  BuildOptions,
  CallOptions,
  ChangeResult,
  CommitOptions,
  ContainerCreateSpec,
  ContainerDetails,
  ContainerRuntime,
  ContainerSummary,
  EventsOptions,
  ExecCreateSpec,
  ExecDetails,
  ExecSession,
  ExecStartOptions,
  ImageDetails,
  ImageSummary,
  ListContainersOptions,
  LogChunk,
  LogOptions,
  NetworkCreateSpec,
  NetworkDetails,
  PathStat,
  PullOptions,
  RemoveOptions,
  ResourceUpdate,
  RuntimeEvent,
  RuntimeInfo,
  RuntimeVersion,
  StatsSample,
  StopOptions,
  TopResult,
  WaitResult,
} from '../port.js';
import * as archive from './archive-ops.js';
import {DockerConnection} from './connection.js';
import * as containers from './container-ops.js';
import {DockerContext} from './docker-context.js';
import {resolveEndpoint, type ResolvedEndpoint} from './endpoint.js';
import {events} from './event-ops.js';
import * as exec from './exec-ops.js';
import {fromInfo, fromVersion} from './from-system.js';
import * as images from './image-ops.js';
import {logs} from './log-ops.js';
import * as networks from './network-ops.js';
import {stats, statsStream} from './stats-ops.js';

export interface DockerRuntimeOptions {
  /** `--host` value; else `DOCKER_HOST`; else `unix:///var/run/docker.sock`. */
  readonly endpoint?: string | undefined;
  /** Environment to read `DOCKER_HOST` from (tests); defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long a ping may take before the engine counts as unavailable (default 10 s). */
  readonly pingTimeoutMs?: number;
}

/**
The ContainerRuntime over dockerode, for dockerd or podman's Docker-compatible API. Construction never
touches the engine: the first call pings and negotiates the API version, and a call that finds the engine
gone makes the next one negotiate again, so a face can start while the engine is down and keep retrying.
Use {@link createDockerRuntime} to fail fast instead.
*/
export class DockerRuntime implements ContainerRuntime {
  readonly endpoint: string;
  readonly target: ResolvedEndpoint;
  readonly #ctx: DockerContext;

  constructor(options: DockerRuntimeOptions = {}) {
    this.target = resolveEndpoint(options.endpoint, options.env);
    this.endpoint = this.target.endpoint;
    const connection = new DockerConnection(
      this.target,
      options.pingTimeoutMs === undefined ? {} : {pingTimeoutMs: options.pingTimeoutMs},
    );
    this.#ctx = new DockerContext(connection);
  }

  /** Pings now (always, not from cache) and re-negotiates the version from the answer. */
  async ping(options: CallOptions = {}): Promise<{readonly apiVersion: string}> {
    try {
      const client = await this.#ctx.connection.negotiate(options.signal);
      return {apiVersion: client.apiVersion};
    } catch (error) {
      throw this.#ctx.fail(error, {}, options.signal);
    }
  }

  version(options: CallOptions = {}): Promise<RuntimeVersion> {
    return this.#ctx.call({}, options.signal, async (api, client) =>
      fromVersion(
        await api.json({method: 'GET', path: '/version', signal: options.signal}),
        client.apiVersion,
      ),
    );
  }

  info(options: CallOptions = {}): Promise<RuntimeInfo> {
    return this.#ctx.call({}, options.signal, async (api) =>
      fromInfo(await api.json({method: 'GET', path: '/info', signal: options.signal})),
    );
  }

  createContainer(
    spec: ContainerCreateSpec,
    options?: CallOptions,
  ): Promise<{readonly id: string; readonly warnings: readonly string[]}> {
    return containers.createContainer(this.#ctx, spec, options);
  }

  startContainer(id: string, options?: CallOptions): Promise<ChangeResult> {
    return containers.startContainer(this.#ctx, id, options);
  }

  stopContainer(id: string, options?: StopOptions): Promise<ChangeResult> {
    return containers.stopContainer(this.#ctx, id, options);
  }

  restartContainer(id: string, options?: StopOptions): Promise<void> {
    return containers.restartContainer(this.#ctx, id, options);
  }

  killContainer(id: string, signal?: string | number, options?: CallOptions): Promise<void> {
    return containers.killContainer(this.#ctx, id, signal, options);
  }

  removeContainer(id: string, options?: RemoveOptions): Promise<ChangeResult> {
    return containers.removeContainer(this.#ctx, id, options);
  }

  pauseContainer(id: string, options?: CallOptions): Promise<void> {
    return containers.pauseContainer(this.#ctx, id, options);
  }

  unpauseContainer(id: string, options?: CallOptions): Promise<void> {
    return containers.unpauseContainer(this.#ctx, id, options);
  }

  inspectContainer(id: string, options?: CallOptions): Promise<ContainerDetails> {
    return containers.inspectContainer(this.#ctx, id, options);
  }

  listContainers(options?: ListContainersOptions): Promise<readonly ContainerSummary[]> {
    return containers.listContainers(this.#ctx, options);
  }

  updateContainer(
    id: string,
    update: ResourceUpdate,
    options?: CallOptions,
  ): Promise<{readonly warnings: readonly string[]}> {
    return containers.updateContainer(this.#ctx, id, update, options);
  }

  commitContainer(id: string, options?: CommitOptions): Promise<{readonly imageId: string}> {
    return containers.commitContainer(this.#ctx, id, options);
  }

  waitContainer(
    id: string,
    condition?: 'not-running' | 'next-exit',
    options?: CallOptions,
  ): Promise<WaitResult> {
    return containers.waitContainer(this.#ctx, id, condition, options);
  }

  topContainer(id: string, psArgs?: string, options?: CallOptions): Promise<TopResult> {
    return containers.topContainer(this.#ctx, id, psArgs, options);
  }

  putArchive(id: string, path: string, tar: Buffer | Readable, options?: CallOptions): Promise<void> {
    return archive.putArchive(this.#ctx, id, path, tar, options);
  }

  getArchive(id: string, path: string, options?: CallOptions): Promise<Readable> {
    return archive.getArchive(this.#ctx, id, path, options);
  }

  statPath(id: string, path: string, options?: CallOptions): Promise<PathStat> {
    return archive.statPath(this.#ctx, id, path, options);
  }

  createExec(containerId: string, spec: ExecCreateSpec, options?: CallOptions): Promise<string> {
    return exec.createExec(this.#ctx, containerId, spec, options);
  }

  startExec(execId: string, options?: ExecStartOptions): Promise<ExecSession> {
    return exec.startExec(this.#ctx, execId, options);
  }

  inspectExec(execId: string, options?: CallOptions): Promise<ExecDetails> {
    return exec.inspectExec(this.#ctx, execId, options);
  }

  resizeExec(
    execId: string,
    size: {readonly rows: number; readonly cols: number},
    options?: CallOptions,
  ): Promise<void> {
    return exec.resizeExec(this.#ctx, execId, size, options);
  }

  logs(id: string, options?: LogOptions): AsyncIterable<LogChunk> {
    return logs(this.#ctx, id, options);
  }

  stats(id: string, options?: CallOptions): Promise<StatsSample> {
    return stats(this.#ctx, id, options);
  }

  statsStream(id: string, options: {readonly signal: AbortSignal}): AsyncIterable<StatsSample> {
    return statsStream(this.#ctx, id, options);
  }

  inspectImage(ref: string, options?: CallOptions): Promise<ImageDetails | null> {
    return images.inspectImage(this.#ctx, ref, options);
  }

  listImages(
    options?: CallOptions & {readonly reference?: string; readonly labels?: readonly string[]},
  ): Promise<readonly ImageSummary[]> {
    return images.listImages(this.#ctx, options);
  }

  pullImage(ref: string, options?: PullOptions): Promise<void> {
    return images.pullImage(this.#ctx, ref, options);
  }

  pushImage(ref: string, options?: PullOptions): Promise<void> {
    return images.pushImage(this.#ctx, ref, options);
  }

  tagImage(source: string, target: string, options?: CallOptions): Promise<void> {
    return images.tagImage(this.#ctx, source, target, options);
  }

  removeImage(ref: string, options?: CallOptions & {readonly force?: boolean}): Promise<ChangeResult> {
    return images.removeImage(this.#ctx, ref, options);
  }

  buildImage(context: Readable | Buffer, options: BuildOptions): Promise<{readonly imageId: string}> {
    return images.buildImage(this.#ctx, context, options);
  }

  createNetwork(spec: NetworkCreateSpec, options?: CallOptions): Promise<{readonly id: string}> {
    return networks.createNetwork(this.#ctx, spec, options);
  }

  inspectNetwork(idOrName: string, options?: CallOptions): Promise<NetworkDetails> {
    return networks.inspectNetwork(this.#ctx, idOrName, options);
  }

  listNetworks(
    options?: CallOptions & {readonly labels?: readonly string[]},
  ): Promise<readonly NetworkDetails[]> {
    return networks.listNetworks(this.#ctx, options);
  }

  removeNetwork(idOrName: string, options?: CallOptions): Promise<ChangeResult> {
    return networks.removeNetwork(this.#ctx, idOrName, options);
  }

  events(options: EventsOptions): AsyncIterable<RuntimeEvent> {
    return events(this.#ctx, options);
  }
}

/**
Connects now: resolves the endpoint, pings `/_ping`, negotiates the API version and returns a ready runtime.
Throws ENGINE_UNAVAILABLE when nothing answers, UNSUPPORTED for a daemon older than API 1.40.
*/
export async function createDockerRuntime(
  options: DockerRuntimeOptions & {readonly signal?: AbortSignal} = {},
): Promise<DockerRuntime> {
  const runtime = new DockerRuntime(options);
  await runtime.ping(options.signal === undefined ? {} : {signal: options.signal});
  return runtime;
}
