/**
FakeRuntime: the ContainerRuntime in memory, for fast unit tests. Deterministic ids, an injectable clock,
Docker's answers (304 → changed:false, 409 conflicts, 404s naming the resource) and Docker's events, checked
against the real engine by the shared contract suite (test/contract). Test hooks simulate what happens out
of band: exits and OOM kills, removals, health changes, log lines, stats, a daemon that goes away.

Processes are played from a tiny shell interpreter (`sh -c 'echo x; sleep 1; exit 3'`) or from programs a
test registers with `onRun`/`onExec`. Not modelled: a PID 1 ignoring SIGTERM (stop always exits 143),
registries beyond the in-memory one, cgroup limits being enforced.
*/
import type {Readable} from 'node:stream';
import {EngineError, throwIfAborted} from '../../src/errors.js';
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
  ProgressEvent,
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
import {
  familiarRef,
  toImageDetails,
  toImageSummary,
  type FakeImageConfig,
  type RegistryEntry,
} from './fake-runtime-images.js';
import {toNetworkDetails} from './fake-runtime-networks.js';
import type {FakeProgram} from './fake-runtime-process.js';
import {FakeState, wake, type FakeContainer} from './fake-runtime-state.js';
import {FAKE_MEM_TOTAL, fakeLogs, fakeStatsSample} from './fake-runtime-streams.js';
import {
  cancelled,
  conflict,
  engineError,
  matchesLabels,
  notFound,
  signalNumber,
  signalTerminates,
  sleep,
  unavailable,
} from './fake-runtime-util.js';

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

const NAME_PATTERN = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const MIN_MEMORY = 6 * 1024 * 1024;

export class FakeRuntime implements ContainerRuntime {
  readonly endpoint: string;
  /** Every call, as `method arg0`, in order: for tests that check what the engine asked for. */
  readonly callLog: string[] = [];
  readonly #state: FakeState;
  readonly #execs: FakeExecs;
  readonly #statsIntervalMs: number;
  readonly #flavor: 'docker' | 'podman';
  readonly #failures: InjectedFailure[] = [];
  #down = false;

  constructor(options: FakeRuntimeOptions = {}) {
    this.endpoint = options.endpoint ?? 'fake://runtime';
    this.#state = new FakeState(options.now ?? Date.now);
    this.#execs = new FakeExecs(this.#state);
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
    validateCreate(spec);
    const image = this.#state.images.resolve(spec.image);
    if (image === undefined) throw notFound('image', spec.image);
    let name: string;
    if (spec.name !== undefined) {
      name = spec.name.replace(/^\//, '');
      const taken = this.#state.find(name);
      if (taken?.name === name) {
        throw conflict(
          'ALREADY_EXISTS',
          'container',
          name,
          `Conflict. The container name "/${name}" is already in use by container "${taken.id}". You have to remove (or rename) that container to be able to reuse that name.`,
        );
      }
    } else {
      name = `fake_${this.#state.containers.size}_${this.callLog.length}`;
    }
    const container = this.#state.newContainer(spec, image, name);
    this.#state.containers.set(container.id, container);
    this.#state.emitContainer('create', container);
    return {id: container.id, warnings: []};
  }

  async startContainer(id: string, options: CallOptions = {}): Promise<ChangeResult> {
    await this.#enter('startContainer', [id], options.signal);
    const container = this.#state.get(id);
    if (container.status === 'running') return {changed: false};
    if (container.status === 'paused') {
      throw conflict(
        'INVALID_STATE',
        'container',
        id,
        'cannot start a paused container, try unpause instead',
      );
    }
    for (const [mode, what] of [
      [container.host.networkMode, 'network'],
      [container.host.ipcMode, 'IPC'],
      [container.host.pidMode, 'PID namespace'],
    ] as const) {
      if (mode?.startsWith('container:') !== true) continue;
      const target = this.#state.get(mode.slice('container:'.length));
      if (!isUp(target)) {
        throw conflict(
          'INVALID_STATE',
          'container',
          id,
          `cannot join ${what} of a non running container: ${target.id}`,
        );
      }
    }
    for (const network of container.endpoints.keys()) this.#state.networks.get(network);
    this.#state.run(container);
    return {changed: true};
  }

  async stopContainer(id: string, options: StopOptions = {}): Promise<ChangeResult> {
    await this.#enter('stopContainer', [id], options.signal);
    const container = this.#state.get(id);
    if (!isUp(container)) return {changed: false};
    this.#stop(container);
    return {changed: true};
  }

  /** Docker's stop: `kill` (15), the process exits (143 here), `stop`. */
  #stop(container: FakeContainer): void {
    container.manuallyStopped = true;
    this.#state.emitContainer('kill', container, {signal: '15'});
    this.#state.exit(container, 143);
    this.#state.emitContainer('stop', container);
  }

  async restartContainer(id: string, options: StopOptions = {}): Promise<void> {
    await this.#enter('restartContainer', [id], options.signal);
    const container = this.#state.get(id);
    if (isUp(container)) this.#stop(container);
    if (container.removed) throw notFound('container', id);
    this.#state.run(container);
    this.#state.emitContainer('restart', container);
  }

  async killContainer(
    id: string,
    signal: string | number = 'SIGKILL',
    options: CallOptions = {},
  ): Promise<void> {
    await this.#enter('killContainer', [id, signal], options.signal);
    const container = this.#state.get(id);
    const number = signalNumber(signal);
    if (number === undefined) throw engineError(400, `Invalid signal: ${String(signal)}`);
    if (!isUp(container)) {
      throw conflict(
        'INVALID_STATE',
        'container',
        id,
        `Cannot kill container: ${id}: Container ${container.id} is not running`,
      );
    }
    this.#state.emitContainer('kill', container, {signal: String(number)});
    if (signalTerminates(number)) {
      container.manuallyStopped = true;
      this.#state.exit(container, 128 + number);
    }
  }

  async removeContainer(id: string, options: RemoveOptions = {}): Promise<ChangeResult> {
    await this.#enter('removeContainer', [id], options.signal);
    const container = this.#state.find(id);
    if (container === undefined) return {changed: false};
    if (isUp(container)) {
      if (options.force !== true) {
        throw conflict(
          'INVALID_STATE',
          'container',
          id,
          `You cannot remove a running container ${container.id}. Stop the container before attempting removal or force remove`,
        );
      }
      container.manuallyStopped = true;
      this.#state.emitContainer('kill', container, {signal: '9'});
      this.#state.exit(container, 137);
    }
    this.#state.destroy(container);
    return {changed: true};
  }

  async pauseContainer(id: string, options: CallOptions = {}): Promise<void> {
    await this.#enter('pauseContainer', [id], options.signal);
    const container = this.#state.get(id);
    if (container.status === 'paused') {
      throw conflict('INVALID_STATE', 'container', id, `Container ${container.id} is already paused`);
    }
    if (container.status !== 'running') {
      throw conflict('INVALID_STATE', 'container', id, `Container ${container.id} is not running`);
    }
    container.status = 'paused';
    this.#state.emitContainer('pause', container);
  }

  async unpauseContainer(id: string, options: CallOptions = {}): Promise<void> {
    await this.#enter('unpauseContainer', [id], options.signal);
    const container = this.#state.get(id);
    // Docker answers 500 here, not 409.
    if (container.status !== 'paused') throw engineError(500, `Container ${container.id} is not paused`);
    container.status = 'running';
    this.#state.emitContainer('unpause', container);
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
    const container = this.#state.get(id);
    const {memory, memorySwap} = update;
    if (memory !== undefined && memory > 0 && memory < MIN_MEMORY) {
      throw engineError(400, 'Minimum memory limit allowed is 6MB');
    }
    const currentSwap = container.host.memorySwap ?? 0;
    if (memory !== undefined && memorySwap === undefined && currentSwap !== -1 && memory > currentSwap) {
      throw conflict(
        'INVALID_STATE',
        'container',
        id,
        `Cannot update container ${container.id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time`,
      );
    }
    container.host = {
      ...container.host,
      ...definedOnly({
        cpuShares: update.cpuShares,
        cpuPeriod: update.cpuPeriod,
        cpuQuota: update.cpuQuota,
        memory,
        memorySwap,
        restartPolicy: update.restartPolicy,
      }),
    };
    this.#state.emitContainer('update', container);
    return {warnings: []};
  }

  async commitContainer(id: string, options: CommitOptions = {}): Promise<{readonly imageId: string}> {
    await this.#enter('commitContainer', [id], options.signal);
    const container = this.#state.get(id);
    const ref = options.repo === undefined ? undefined : `${options.repo}:${options.tag ?? 'latest'}`;
    const image = this.#state.images.add(
      ref,
      {
        ...container.image.config,
        ...definedOnly({cmd: container.spec.cmd, entrypoint: container.spec.entrypoint}),
        env: mergeEnv(container.image.config.env, container.spec.env ?? []),
      },
      container.fs.clone(),
    );
    this.#state.emitContainer('commit', container);
    return {imageId: image.id};
  }

  async waitContainer(
    id: string,
    condition: 'not-running' | 'next-exit' = 'not-running',
    options: CallOptions = {},
  ): Promise<WaitResult> {
    await this.#enter('waitContainer', [id, condition], options.signal);
    const container = this.#state.get(id);
    if (condition === 'not-running' && !isUp(container)) return {exitCode: container.exitCode};
    const {signal} = options;
    return new Promise<WaitResult>((resolve, reject) => {
      const onAbort = () => {
        container.exitWaiters.delete(done);
        reject(cancelled(signal?.reason));
      };
      const done = (result: WaitResult) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      container.exitWaiters.add(done);
      signal?.addEventListener('abort', onAbort, {once: true});
    });
  }

  async topContainer(id: string, psArgs?: string, options: CallOptions = {}): Promise<TopResult> {
    await this.#enter('topContainer', [id, psArgs], options.signal);
    const container = this.#state.get(id);
    if (!isUp(container)) {
      throw conflict('INVALID_STATE', 'container', id, `Container ${container.id} is not running`);
    }
    const argv = [
      ...(container.spec.entrypoint ?? container.image.config.entrypoint),
      ...(container.spec.cmd ?? container.image.config.cmd),
    ];
    const row = (pid: number, ppid: number, cmd: string) => [
      'root',
      String(pid),
      String(ppid),
      '0',
      '00:00',
      '?',
      '00:00:00',
      cmd,
    ];
    const processes =
      container.host.init === true
        ? [
            row(container.pid, 0, `/sbin/docker-init -- ${argv.join(' ')}`),
            row(container.pid + 1, container.pid, argv.join(' ')),
          ]
        : [row(container.pid, 0, argv.join(' '))];
    return {titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], processes};
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
    const store = this.#state.images;
    return store
      .list()
      .filter((image) => options.reference === undefined || store.matchesReference(image, options.reference))
      .filter((image) => matchesLabels(image.config.labels, options.labels))
      .map(toImageSummary);
  }

  async pullImage(ref: string, options: PullOptions = {}): Promise<void> {
    await this.#enter('pullImage', [ref], options.signal);
    const store = this.#state.images;
    const refusal = store.pullRefusal(ref, options.auth);
    if (refusal !== undefined) {
      throw new EngineError('IMAGE_PULL_FAILED', `pull of ${ref} failed: ${refusal}`, {
        details: {ref, engineMessage: refusal},
      });
    }
    const entry = store.registryEntry(ref);
    const timeoutMs = options.inactivityTimeoutMs ?? 180_000;
    if (entry?.stallMs !== undefined && entry.stallMs > 0) {
      await sleep(Math.min(entry.stallMs, timeoutMs), options.signal);
      if (timeoutMs <= entry.stallMs) {
        throw new EngineError('TIMEOUT', `pull of ${ref} made no progress for ${timeoutMs} ms`, {
          details: {ref, timeoutMs},
        });
      }
    }
    const tag = familiarRef(ref);
    const progress: ProgressEvent[] = [
      {status: `Pulling from ${tag.replace(/:[^:/]+$/, '')}`, id: tag.slice(tag.lastIndexOf(':') + 1)},
      {status: 'Pull complete', id: 'fakelayer'},
      {status: `Status: Downloaded newer image for ${tag}`},
    ];
    for (const event of progress) options.onProgress?.(event);
    const existing = store.resolve(ref);
    if (existing === undefined) store.add(ref, entry?.config ?? {});
    this.#state.emit('image', 'pull', tag, {name: tag});
  }

  async pushImage(ref: string, options: PullOptions = {}): Promise<void> {
    await this.#enter('pushImage', [ref], options.signal);
    const image = this.#state.images.resolve(ref);
    if (image === undefined)
      throw notFound('image', ref, `An image does not exist locally with the tag: ${ref}`);
    options.onProgress?.({status: `The push refers to repository [${familiarRef(ref)}]`});
    this.#state.images.addToRegistry(ref, {config: image.config});
    this.#state.emit('image', 'push', familiarRef(ref), {name: familiarRef(ref)});
  }

  async tagImage(source: string, target: string, options: CallOptions = {}): Promise<void> {
    await this.#enter('tagImage', [source, target], options.signal);
    const image = this.#state.images.resolve(source);
    if (image === undefined) throw notFound('image', source);
    this.#state.images.tag(image, target);
    this.#state.emit('image', 'tag', image.id, {name: familiarRef(target)});
  }

  async removeImage(
    ref: string,
    options: CallOptions & {readonly force?: boolean} = {},
  ): Promise<ChangeResult> {
    await this.#enter('removeImage', [ref], options.signal);
    const store = this.#state.images;
    const image = store.resolve(ref);
    if (image === undefined) return {changed: false};
    const byTag = image.repoTags.find(
      (tag) => familiarRef(tag) === familiarRef(ref) && !ref.startsWith('sha256:'),
    );
    if (byTag !== undefined && image.repoTags.length > 1) {
      image.repoTags = image.repoTags.filter((tag) => tag !== byTag);
      this.#state.emit('image', 'untag', image.id, {name: byTag});
      return {changed: true};
    }
    const users = [...this.#state.containers.values()].filter((c) => c.image.id === image.id);
    if (users.some(isUp) || (users.length > 0 && options.force !== true)) {
      throw conflict(
        'INVALID_STATE',
        'image',
        ref,
        `conflict: unable to remove repository reference "${ref}" (must force) - container ${users[0]?.id.slice(0, 12) ?? ''} is using its referenced image ${image.id.slice(7, 19)}`,
      );
    }
    if (byTag === undefined && image.repoTags.length > 1 && options.force !== true) {
      throw conflict(
        'INVALID_STATE',
        'image',
        ref,
        `conflict: unable to delete ${image.id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
      );
    }
    store.delete(image);
    for (const tag of image.repoTags) this.#state.emit('image', 'untag', image.id, {name: tag});
    this.#state.emit('image', 'delete', image.id, {name: image.id});
    return {changed: true};
  }

  async buildImage(context: Readable | Buffer, options: BuildOptions): Promise<{readonly imageId: string}> {
    await this.#enter('buildImage', [options.tag], options.signal);
    const image = await this.#state.images.build(context, options.tag, options.labels ?? {});
    options.onProgress?.({stream: `Successfully built ${image.id.slice(7, 19)}\n`});
    options.onProgress?.({stream: `Successfully tagged ${familiarRef(options.tag)}\n`});
    this.#state.emit('image', 'tag', image.id, {name: familiarRef(options.tag)});
    return {imageId: image.id};
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

function isUp(container: FakeContainer): boolean {
  return container.status === 'running' || container.status === 'paused';
}

/** Docker merges the image's labels under the container's. */
function labelsOf(container: FakeContainer): Record<string, string> {
  return {...container.image.config.labels, ...container.spec.labels};
}

/** Docker's env merge: the image's variables, overridden by the container's of the same name. */
function mergeEnv(base: readonly string[], extra: readonly string[]): string[] {
  const key = (entry: string) => entry.split('=')[0] ?? entry;
  const keys = new Set(extra.map(key));
  return [...base.filter((entry) => !keys.has(key(entry))), ...extra];
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

/** Docker's create-time checks the contract or the engine can meet (400s). */
function validateCreate(spec: ContainerCreateSpec): void {
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

function toDetails(container: FakeContainer): ContainerDetails {
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

function toSummary(container: FakeContainer, now: number): ContainerSummary {
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
