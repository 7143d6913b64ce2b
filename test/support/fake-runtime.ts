/**
FakeRuntime: the ContainerRuntime in memory, for fast unit tests. Deterministic ids, an injectable clock,
Docker's answers (304 → changed:false, 409 conflicts, 404s naming the resource) and Docker's events, checked
against the real engine by the shared contract suite (test/contract). Test hooks simulate what happens out
of band: exits and OOM kills, removals, health changes, log lines, stats, a daemon that goes away.

Processes are played from a tiny shell interpreter (`sh -c 'echo x; sleep 1; exit 3'`) or from programs a
test registers with `onRun`/`onExec`. Not modelled: a PID 1 ignoring SIGTERM (stop always exits 143),
registries beyond the in-memory one, cgroup limits being enforced.
*/
import {randomUUID} from 'node:crypto';
import type {Readable} from 'node:stream';
import {throwIfAborted} from '../../src/errors.js';
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
  HealthStatus,
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
} from '../../src/runtime/port.js';
import {FakeExecs} from './fake-runtime-exec.js';
import {toImageDetails, type FakeImageConfig, type RegistryEntry} from './fake-runtime-images.js';
import {toNetworkDetails} from './fake-runtime-networks.js';
import type {FakeProgram} from './fake-runtime-process.js';
import {FakeContainerOps} from './fake-runtime-containers.js';
import {FakeImageOps} from './fake-runtime-image-ops.js';
import {FakeState, wake} from './fake-runtime-state.js';
import {FAKE_MEM_TOTAL, fakeLogs, fakeStatsSample} from './fake-runtime-streams.js';
import {isUp, labelsOf, toDetails, toSummary} from './fake-runtime-views.js';
import {matchesLabels, sleep, unavailable} from './fake-runtime-util.js';

export type {FakeProcessResult, FakeProgram} from './fake-runtime-process.js';
export type {FakeImageConfig, RegistryEntry} from './fake-runtime-images.js';

export interface FakeRuntimeOptions {
  /** Milliseconds since the epoch; defaults to Date.now. Drives timestamps and event times. */
  readonly now?: () => number;
  readonly endpoint?: string;
  /** Images present from the start (busybox-like). */
  readonly images?: readonly string[];
  /** Interval of statsStream samples (Docker's is 1 s). */
  readonly statsIntervalMs?: number;
  readonly flavor?: 'docker' | 'podman';
}

type MethodName = Exclude<keyof ContainerRuntime, 'endpoint'>;

interface InjectedFailure {
  readonly method: MethodName;
  readonly error: (args: readonly unknown[]) => Error | undefined;
  remaining: number;
}

export class FakeRuntime implements ContainerRuntime {
  readonly endpoint: string;
  /** Every call, as `method arg0`, in order: for tests that check what the engine asked for. */
  readonly callLog: string[] = [];
  readonly #state: FakeState;
  readonly #execs: FakeExecs;
  readonly #containers: FakeContainerOps;
  readonly #images: FakeImageOps;
  readonly #statsIntervalMs: number;
  readonly #flavor: 'docker' | 'podman';
  readonly #failures: InjectedFailure[] = [];
  #down = false;

  constructor(options: FakeRuntimeOptions = {}) {
    // One endpoint per fake daemon: engines over different fakes must not contend for one supervisor lease.
    this.endpoint = options.endpoint ?? `fake://runtime-${randomUUID()}`;
    this.#state = new FakeState(options.now ?? Date.now);
    this.#execs = new FakeExecs(this.#state);
    this.#containers = new FakeContainerOps(this.#state);
    this.#images = new FakeImageOps(this.#state);
    this.#statsIntervalMs = options.statsIntervalMs ?? 250;
    this.#flavor = options.flavor ?? 'docker';
    for (const ref of options.images ?? []) this.addImage(ref);
  }

  // -------------------------------------------------------------------------------------------------------
  // Test hooks

  /** Adds a local image (busybox-like tree unless a config says otherwise); returns its id. */
  addImage(ref: string, config: FakeImageConfig = {}): string {
    return this.#state.images.add(ref, config).id;
  }

  /** Makes `ref` pullable; with `auth`, only with those credentials for that registry. */
  addRegistryImage(ref: string, entry: RegistryEntry = {config: {}}): void {
    this.#state.images.addToRegistry(ref, entry);
  }

  /** Scripts containers' main processes; the latest registration is asked first. Returns an unregister. */
  onRun(program: FakeProgram): () => void {
    return register(this.#state.programs, program);
  }

  /** Scripts exec'd commands: `(cmd) => ({exitCode, stdout, stderr, delayMs})`. Returns an unregister. */
  onExec(program: FakeProgram): () => void {
    return register(this.#state.execPrograms, program);
  }

  /** Appends to a container's log as if its process wrote it. */
  feedLogs(id: string, stream: 'stdout' | 'stderr', data: string | Buffer): void {
    this.#state.writeLog(this.#state.get(id), stream, data);
  }

  /** Overrides fields of the stats samples of a container. */
  setStats(id: string, sample: Partial<StatsSample>): void {
    this.#state.get(id).statsOverride = {...sample};
  }

  /** The main process exits with `code` (OOM-killed: `oom` then `die`, as Docker reports it). */
  simulateExit(id: string, code: number, options: {readonly oomKilled?: boolean} = {}): void {
    this.#state.exit(this.#state.get(id), code, options);
  }

  /** Someone ran `docker rm -f` behind the engine's back. */
  simulateRemove(id: string): void {
    const container = this.#state.get(id);
    if (isUp(container)) {
      container.manuallyStopped = true;
      this.#state.emitContainer('kill', container, {signal: '9'});
      this.#state.exit(container, 137);
    }
    this.#state.destroy(container);
  }

  /** Docker's health check changed: state and a `health_status: <status>` event. */
  simulateHealth(
    id: string,
    status: HealthStatus,
    options: {readonly output?: string; readonly exitCode?: number} = {},
  ): void {
    const container = this.#state.get(id);
    const previous = container.health ?? {status: 'starting', failingStreak: 0, log: []};
    const time = this.#state.iso();
    const exitCode = options.exitCode ?? (status === 'healthy' ? 0 : 1);
    container.health = {
      status,
      failingStreak: status === 'unhealthy' ? previous.failingStreak + 1 : 0,
      log: [...previous.log, {start: time, end: time, exitCode, output: options.output ?? ''}].slice(-5),
    };
    this.#state.emitContainer(`health_status: ${status}`, container);
  }

  /** The daemon stops answering: every call fails ENGINE_UNAVAILABLE, live streams end with it. */
  simulateDaemonDown(): void {
    this.#down = true;
    this.#state.events.failAll(unavailable(this.endpoint));
    for (const container of this.#state.containers.values()) wake(container);
  }

  simulateDaemonUp(): void {
    this.#down = false;
  }

  /**
  Makes the next `times` calls of `method` fail with `error` (or with what the function returns for the
  call's arguments; undefined lets the call through without using up a time).
  */
  injectFailure(
    method: MethodName,
    error: Error | ((args: readonly unknown[]) => Error | undefined),
    options: {readonly times?: number} = {},
  ): void {
    this.#failures.push({
      method,
      error: typeof error === 'function' ? error : () => error,
      remaining: options.times ?? 1,
    });
  }

  /** Every event so far (the last 256). */
  get eventLog(): readonly RuntimeEvent[] {
    return this.#state.events.history;
  }

  /** Ids of the containers that exist now. */
  containerIds(): string[] {
    return [...this.#state.containers.keys()];
  }

  // -------------------------------------------------------------------------------------------------------
  // Identity

  async ping(options: CallOptions = {}): Promise<{readonly apiVersion: string}> {
    await this.#enter('ping', [], options.signal);
    return {apiVersion: '1.41'};
  }

  async version(options: CallOptions = {}): Promise<RuntimeVersion> {
    await this.#enter('version', [], options.signal);
    return {
      apiVersion: '1.41',
      serverApiVersion: '1.41',
      minApiVersion: '1.12',
      serverVersion: this.#flavor === 'podman' ? '4.3.1-fake' : '20.10.24-fake',
      os: 'linux',
      arch: 'amd64',
      flavor: this.#flavor,
    };
  }

  async info(options: CallOptions = {}): Promise<RuntimeInfo> {
    await this.#enter('info', [], options.signal);
    const containers = [...this.#state.containers.values()];
    return {
      name: 'fake',
      serverVersion: '20.10.24-fake',
      containers: containers.length,
      containersRunning: containers.filter(isUp).length,
      images: this.#state.images.list().length,
      driver: 'overlay2',
      cgroupVersion: '2',
      cgroupDriver: 'systemd',
      ncpu: 2,
      memTotal: FAKE_MEM_TOTAL,
      kernelVersion: '6.1.0-fake',
      operatingSystem: 'FakeOS',
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Containers

  async createContainer(
    spec: ContainerCreateSpec,
    options: CallOptions = {},
  ): Promise<{readonly id: string; readonly warnings: readonly string[]}> {
    await this.#enter('createContainer', [spec], options.signal);
    return this.#containers.createContainer(spec);
  }

  async startContainer(id: string, options: CallOptions = {}): Promise<ChangeResult> {
    await this.#enter('startContainer', [id], options.signal);
    return this.#containers.startContainer(id);
  }

  async stopContainer(id: string, options: StopOptions = {}): Promise<ChangeResult> {
    await this.#enter('stopContainer', [id], options.signal);
    return this.#containers.stopContainer(id);
  }

  async restartContainer(id: string, options: StopOptions = {}): Promise<void> {
    await this.#enter('restartContainer', [id], options.signal);
    return this.#containers.restartContainer(id);
  }

  async killContainer(
    id: string,
    signal: string | number = 'SIGKILL',
    options: CallOptions = {},
  ): Promise<void> {
    await this.#enter('killContainer', [id, signal], options.signal);
    return this.#containers.killContainer(id, signal);
  }

  async removeContainer(id: string, options: RemoveOptions = {}): Promise<ChangeResult> {
    await this.#enter('removeContainer', [id], options.signal);
    return this.#containers.removeContainer(id, options);
  }

  async pauseContainer(id: string, options: CallOptions = {}): Promise<void> {
    await this.#enter('pauseContainer', [id], options.signal);
    return this.#containers.pauseContainer(id);
  }

  async unpauseContainer(id: string, options: CallOptions = {}): Promise<void> {
    await this.#enter('unpauseContainer', [id], options.signal);
    return this.#containers.unpauseContainer(id);
  }

  async inspectContainer(id: string, options: CallOptions = {}): Promise<ContainerDetails> {
    await this.#enter('inspectContainer', [id], options.signal);
    return toDetails(this.#state.get(id));
  }

  async listContainers(options: ListContainersOptions = {}): Promise<readonly ContainerSummary[]> {
    await this.#enter('listContainers', [], options.signal);
    const names = options.names?.map((name) => name.replace(/^\//, ''));
    return [...this.#state.containers.values()]
      .filter((c) => options.all !== false || isUp(c))
      .filter((c) => matchesLabels(labelsOf(c), options.labels))
      .filter((c) => names === undefined || names.length === 0 || names.includes(c.name))
      .filter(
        (c) =>
          options.ids === undefined ||
          options.ids.length === 0 ||
          options.ids.some((i) => c.id.startsWith(i)),
      )
      .sort((a, b) => b.created.getTime() - a.created.getTime())
      .map((c) => toSummary(c, this.#state.now()));
  }

  async updateContainer(
    id: string,
    update: ResourceUpdate,
    options: CallOptions = {},
  ): Promise<{readonly warnings: readonly string[]}> {
    await this.#enter('updateContainer', [id, update], options.signal);
    return this.#containers.updateContainer(id, update);
  }

  async commitContainer(id: string, options: CommitOptions = {}): Promise<{readonly imageId: string}> {
    await this.#enter('commitContainer', [id], options.signal);
    return this.#containers.commitContainer(id, options);
  }

  async waitContainer(
    id: string,
    condition: 'not-running' | 'next-exit' = 'not-running',
    options: CallOptions = {},
  ): Promise<WaitResult> {
    await this.#enter('waitContainer', [id, condition], options.signal);
    return this.#containers.waitContainer(id, condition, options);
  }

  async topContainer(id: string, psArgs?: string, options: CallOptions = {}): Promise<TopResult> {
    await this.#enter('topContainer', [id, psArgs], options.signal);
    return this.#containers.topContainer(id);
  }

  async putArchive(
    id: string,
    path: string,
    tar: Buffer | Readable,
    options: CallOptions = {},
  ): Promise<void> {
    await this.#enter('putArchive', [id, path], options.signal);
    await this.#state.get(id).fs.extractInto(path, tar, id, new Date(this.#state.now()));
  }

  async getArchive(id: string, path: string, options: CallOptions = {}): Promise<Readable> {
    await this.#enter('getArchive', [id, path], options.signal);
    return this.#state.get(id).fs.archive(path, id);
  }

  async statPath(id: string, path: string, options: CallOptions = {}): Promise<PathStat> {
    await this.#enter('statPath', [id, path], options.signal);
    return this.#state.get(id).fs.stat(path, id);
  }

  // -------------------------------------------------------------------------------------------------------
  // Exec

  async createExec(containerId: string, spec: ExecCreateSpec, options: CallOptions = {}): Promise<string> {
    await this.#enter('createExec', [containerId, spec], options.signal);
    return this.#execs.create(this.#state.get(containerId), spec);
  }

  async startExec(execId: string, options: ExecStartOptions = {}): Promise<ExecSession> {
    await this.#enter('startExec', [execId], options.signal);
    return this.#execs.start(execId, options);
  }

  async inspectExec(execId: string, options: CallOptions = {}): Promise<ExecDetails> {
    await this.#enter('inspectExec', [execId], options.signal);
    return this.#execs.inspect(execId);
  }

  async resizeExec(
    execId: string,
    _size: {readonly rows: number; readonly cols: number},
    options: CallOptions = {},
  ): Promise<void> {
    await this.#enter('resizeExec', [execId], options.signal);
    this.#execs.get(execId);
  }

  // -------------------------------------------------------------------------------------------------------
  // Logs and stats

  async *logs(id: string, options: LogOptions = {}): AsyncGenerator<LogChunk> {
    if (options.signal?.aborted === true) return;
    await this.#enter('logs', [id], options.signal);
    yield* fakeLogs(this.#state.get(id), options, () =>
      this.#down ? unavailable(this.endpoint) : undefined,
    );
  }

  async stats(id: string, options: CallOptions = {}): Promise<StatsSample> {
    await this.#enter('stats', [id], options.signal);
    return fakeStatsSample(this.#state, this.#state.get(id));
  }

  async *statsStream(id: string, options: {readonly signal: AbortSignal}): AsyncGenerator<StatsSample> {
    const {signal} = options;
    if (signal.aborted) return;
    await this.#enter('statsStream', [id], signal);
    const container = this.#state.get(id);
    for (;;) {
      if (this.#down) throw unavailable(this.endpoint);
      yield fakeStatsSample(this.#state, container);
      if (signal.aborted || container.removed || !isUp(container)) return;
      try {
        await sleep(this.#statsIntervalMs, signal);
      } catch {
        return;
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Images

  async inspectImage(ref: string, options: CallOptions = {}): Promise<ImageDetails | null> {
    await this.#enter('inspectImage', [ref], options.signal);
    const image = this.#state.images.resolve(ref);
    return image === undefined ? null : toImageDetails(image);
  }

  async listImages(
    options: CallOptions & {readonly reference?: string; readonly labels?: readonly string[]} = {},
  ): Promise<readonly ImageSummary[]> {
    await this.#enter('listImages', [], options.signal);
    return this.#images.listImages(options);
  }

  async pullImage(ref: string, options: PullOptions = {}): Promise<void> {
    await this.#enter('pullImage', [ref], options.signal);
    return this.#images.pullImage(ref, options);
  }

  async pushImage(ref: string, options: PullOptions = {}): Promise<void> {
    await this.#enter('pushImage', [ref], options.signal);
    return this.#images.pushImage(ref, options);
  }

  async tagImage(source: string, target: string, options: CallOptions = {}): Promise<void> {
    await this.#enter('tagImage', [source, target], options.signal);
    return this.#images.tagImage(source, target);
  }

  async removeImage(
    ref: string,
    options: CallOptions & {readonly force?: boolean} = {},
  ): Promise<ChangeResult> {
    await this.#enter('removeImage', [ref], options.signal);
    return this.#images.removeImage(ref, options);
  }

  async buildImage(context: Readable | Buffer, options: BuildOptions): Promise<{readonly imageId: string}> {
    await this.#enter('buildImage', [options.tag], options.signal);
    return this.#images.buildImage(context, options);
  }

  // -------------------------------------------------------------------------------------------------------
  // Networks

  async createNetwork(spec: NetworkCreateSpec, options: CallOptions = {}): Promise<{readonly id: string}> {
    await this.#enter('createNetwork', [spec], options.signal);
    const network = this.#state.networks.create(spec);
    this.#state.emit('network', 'create', network.id, {
      ...network.labels,
      name: network.name,
      type: network.driver,
    });
    return {id: network.id};
  }

  async inspectNetwork(idOrName: string, options: CallOptions = {}): Promise<NetworkDetails> {
    await this.#enter('inspectNetwork', [idOrName], options.signal);
    return toNetworkDetails(this.#state.networks.get(idOrName));
  }

  async listNetworks(
    options: CallOptions & {readonly labels?: readonly string[]} = {},
  ): Promise<readonly NetworkDetails[]> {
    await this.#enter('listNetworks', [], options.signal);
    // Docker's list leaves `Containers` empty; only inspect fills it.
    return this.#state.networks
      .list(options.labels)
      .map((network) => ({...toNetworkDetails(network), containers: {}}));
  }

  async removeNetwork(idOrName: string, options: CallOptions = {}): Promise<ChangeResult> {
    await this.#enter('removeNetwork', [idOrName], options.signal);
    const network = this.#state.networks.find(idOrName);
    if (network === undefined) return {changed: false};
    this.#state.networks.remove(network);
    this.#state.emit('network', 'destroy', network.id, {name: network.name, type: network.driver});
    return {changed: true};
  }

  // -------------------------------------------------------------------------------------------------------
  // Events

  async *events(options: EventsOptions): AsyncGenerator<RuntimeEvent> {
    if (options.signal.aborted) return;
    try {
      await this.#enter('events', [], options.signal);
    } catch (error) {
      if (options.signal.aborted) return;
      throw error;
    }
    yield* this.#state.events.stream(options);
  }

  // -------------------------------------------------------------------------------------------------------

  /** Every call passes here: an async turn (as over a socket), cancellation, a down daemon, injected failures. */
  async #enter(method: MethodName, args: readonly unknown[], signal: AbortSignal | undefined): Promise<void> {
    await Promise.resolve();
    throwIfAborted(signal);
    this.callLog.push(args.length > 0 && typeof args[0] === 'string' ? `${method} ${args[0]}` : method);
    if (this.#down) throw unavailable(this.endpoint);
    for (const failure of this.#failures) {
      if (failure.method !== method || failure.remaining <= 0) continue;
      const error = failure.error(args);
      if (error === undefined) continue;
      failure.remaining--;
      throw error;
    }
  }
}

function register(list: FakeProgram[], program: FakeProgram): () => void {
  list.unshift(program);
  return () => {
    const index = list.indexOf(program);
    if (index >= 0) list.splice(index, 1);
  };
}
