/**
A small in-memory Engine for the rpc unit tests: pods built from specs, events on every change, waits and
execs that block until cancelled (counting the execs still running), log and stats streams the test feeds,
and a count of every call (to prove a refused request never reached the engine).
*/
/* eslint-disable @typescript-eslint/require-await -- async keeps the Engine's signatures: a throw becomes a rejection. */
import {EventEmitter, on} from 'node:events';
import {EngineError, maskSpec, SECRET_MASK} from '../../src/index.js';
import type {
  ApplyResult,
  BcsContainerInfo,
  ConnectionState,
  ContainerDetails,
  ContainerView,
  CreatePodOptions,
  Engine,
  EngineActivity,
  EngineEventName,
  EngineEvents,
  ExecOptions,
  ExecResult,
  FollowLogsOptions,
  ImageDetails,
  ImageSummary,
  InteractiveExec,
  LogLine,
  LogsResult,
  PodResult,
  PodSpec,
  PodStatsView,
  PodStatus,
  PodView,
  RemoveResult,
  RuntimeInfo,
  RuntimeVersion,
  StatsView,
  TopResult,
  Unsubscribe,
  WaitOptions,
} from '../../src/index.js';

function cancelled(): EngineError {
  return new EngineError('CANCELLED', 'operation cancelled');
}

/** Resolves after `ms`, or rejects CANCELLED when the signal fires first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, {once: true});
  });
}

function containerView(
  pod: string,
  name: string,
  role: 'infra' | 'app',
  image: string,
  n: number,
): ContainerView {
  return {
    name,
    pod,
    role,
    id: `${pod}${name}`.replace(/[^a-z0-9]/g, '').padEnd(12, '0') + n.toString(16).padStart(52, '0'),
    dockerName: `${pod}-${name}`,
    image,
    status: 'running',
    healthy: null,
    health: null,
    dockerHealth: null,
    exitCode: null,
    oomKilled: false,
    restartCount: 0,
    startedAt: new Date(0).toISOString(),
    finishedAt: null,
    pid: 100 + n,
    message: '',
  };
}

export class StubEngine implements Engine {
  /** Every engine method called, in order. */
  readonly calls: string[] = [];
  /** Execs started and not yet finished (a cancelled exec must not stay here). */
  runningExecs = 0;
  readonly #bus = new EventEmitter();
  readonly #pods = new Map<string, {view: PodView; spec: PodSpec}>();
  readonly #logs = new EventEmitter();
  #serial = 0;
  #connection: ConnectionState = {connected: true, endpoint: 'unix:///stub.sock', apiVersion: '1.47'};

  constructor() {
    this.#bus.setMaxListeners(0);
    this.#logs.setMaxListeners(0);
  }

  #call(name: string): void {
    this.calls.push(name);
  }

  /** Emits an engine event, as the watcher would. */
  emit<E extends EngineEventName>(event: E, payload: EngineEvents[E]): void {
    this.#bus.emit(event, payload);
  }

  /** Feeds a log line to every follower of `ref` (a pod name or a container dockerName). */
  pushLog(ref: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    const line: LogLine = {container: 'app', containerId: 'c', stream, ts: new Date().toISOString(), text};
    this.#logs.emit(ref, line);
  }

  /** Ends every follower of `ref` (the container went away). */
  endLogs(ref: string): void {
    this.#logs.emit(`${ref}:end`);
  }

  setConnection(state: ConnectionState): void {
    this.#connection = state;
    this.emit('engine:connection', state);
  }

  connection(): ConnectionState {
    return this.#connection;
  }

  async version(): Promise<RuntimeVersion> {
    this.#call('version');
    return {
      apiVersion: '1.47',
      serverApiVersion: '1.47',
      minApiVersion: '1.24',
      serverVersion: '27.0.0',
      os: 'linux',
      arch: 'amd64',
      flavor: 'docker',
    };
  }

  async info(): Promise<RuntimeInfo> {
    this.#call('info');
    return {
      name: 'stub',
      serverVersion: '27.0.0',
      containers: 0,
      containersRunning: 0,
      images: 1,
      driver: 'overlay2',
      cgroupVersion: '2',
      cgroupDriver: 'systemd',
      ncpu: 2,
      memTotal: 1 << 30,
      kernelVersion: '6',
      operatingSystem: 'stub',
    };
  }

  async ping(): Promise<{readonly apiVersion: string; readonly latencyMs: number}> {
    this.#call('ping');
    return {apiVersion: '1.47', latencyMs: 0.1};
  }

  on<E extends EngineEventName>(event: E, listener: (payload: EngineEvents[E]) => void): Unsubscribe {
    this.#bus.on(event, listener);
    return () => this.#bus.off(event, listener);
  }

  activity(): readonly EngineActivity[] {
    return [];
  }

  #pod(ref: string): {view: PodView; spec: PodSpec} {
    const found =
      this.#pods.get(ref) ??
      [...this.#pods.values()].find((p) => p.view.id.startsWith(ref) && ref.length >= 4);
    if (found === undefined)
      throw new EngineError('NOT_FOUND', `no pod ${ref}`, {details: {resource: 'pod', ref}});
    return found;
  }

  #setStatus(name: string, status: PodStatus, containerStatus: ContainerView['status']): PodView {
    const entry = this.#pod(name);
    const previous = entry.view.status;
    const containers = entry.view.containers.map((c) => ({...c, status: containerStatus}));
    entry.view = {...entry.view, status, containers};
    for (const container of containers)
      this.emit('container:status', {pod: name, container, previous: 'running', action: 'reconcile'});
    this.emit('pod:status', {pod: entry.view, previous});
    return entry.view;
  }

  /** Runs inside listPods, before it answers (a change racing a snapshot). */
  onListPods: (() => Promise<void> | void) | undefined;

  async listPods(): Promise<readonly PodView[]> {
    this.#call('listPods');
    await this.onListPods?.();
    return [...this.#pods.values()].map((p) => p.view);
  }

  async getPod(ref: string): Promise<PodView> {
    this.#call('getPod');
    return this.#pod(ref).view;
  }

  async getPodSpec(ref: string): Promise<PodSpec> {
    this.#call('getPodSpec');
    return maskSpec(this.#pod(ref).spec);
  }

  async createPod(spec: PodSpec, options: CreatePodOptions = {}): Promise<PodResult> {
    this.#call('createPod');
    if (this.#pods.has(spec.name))
      throw new EngineError('ALREADY_EXISTS', `pod ${spec.name} exists`, {
        details: {resource: 'pod', name: spec.name},
      });
    options.onProgress?.({step: 'create', message: 'creating', percentage: 50});
    const n = ++this.#serial;
    const infra = containerView(
      spec.name,
      'infra',
      'infra',
      spec.infraImage ?? 'bcs-executor/pause:local',
      n * 100,
    );
    const view: PodView = {
      name: spec.name,
      id: infra.id,
      status: options.start === false ? 'init' : 'running',
      message: '',
      ip: '172.17.0.2',
      network: {driver: 'docker', name: 'bridge'},
      hostname: spec.name,
      ports: [],
      restartPolicy: spec.restartPolicy ?? 'Never',
      createdAt: new Date().toISOString(),
      healthy: null,
      labels: {...spec.labels},
      specHash: `hash${n}`,
      infra,
      containers: spec.containers.map((c, i) =>
        containerView(spec.name, c.name, 'app', c.image, n * 100 + i + 1),
      ),
    };
    this.#pods.set(spec.name, {view, spec});
    this.emit('pod:status', {pod: view, previous: null});
    return {changed: true, pod: view};
  }

  async applyPod(spec: PodSpec, options?: CreatePodOptions): Promise<ApplyResult> {
    this.#call('applyPod');
    const existing = this.#pods.get(spec.name);
    if (existing !== undefined) return {changed: false, pod: existing.view, action: 'unchanged'};
    return {...(await this.createPod(spec, options)), action: 'created'};
  }

  async startPod(ref: string): Promise<PodResult> {
    this.#call('startPod');
    const before = this.#pod(ref).view.status;
    return {
      changed: before !== 'running',
      pod: this.#setStatus(this.#pod(ref).view.name, 'running', 'running'),
    };
  }

  async stopPod(ref: string): Promise<PodResult> {
    this.#call('stopPod');
    const before = this.#pod(ref).view.status;
    return {changed: before !== 'killed', pod: this.#setStatus(this.#pod(ref).view.name, 'killed', 'exited')};
  }

  async restartPod(ref: string): Promise<PodResult> {
    this.#call('restartPod');
    return {changed: true, pod: this.#setStatus(this.#pod(ref).view.name, 'running', 'running')};
  }

  async killPod(ref: string): Promise<PodResult> {
    this.#call('killPod');
    return {changed: true, pod: this.#setStatus(this.#pod(ref).view.name, 'killed', 'exited')};
  }

  async removePod(ref: string): Promise<RemoveResult> {
    this.#call('removePod');
    const entry = this.#pods.get(ref);
    if (entry === undefined) return {changed: false, name: ref, removedContainers: []};
    this.#pods.delete(ref);
    this.emit('pod:removed', {name: entry.view.name, id: entry.view.id});
    return {
      changed: true,
      name: entry.view.name,
      removedContainers: [entry.view.infra.id, ...entry.view.containers.map((c) => c.id)],
    };
  }

  /** Waits for a status change event that satisfies the condition, honouring signal and timeoutMs. */
  async waitPod(ref: string, options: WaitOptions): Promise<PodView> {
    this.#call('waitPod');
    const done = (pod: PodView): boolean =>
      (options.condition === 'running' && pod.status === 'running') ||
      (options.condition === 'exited' && ['killed', 'failed', 'finish'].includes(pod.status)) ||
      (options.condition === 'status' && (options.statuses ?? []).includes(pod.status));
    const current = this.#pod(ref).view;
    if (done(current)) return current;
    const signals = [
      options.signal,
      options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
    ].filter((s): s is AbortSignal => s !== undefined);
    const signal = AbortSignal.any(signals);
    try {
      for await (const [payload] of on(this.#bus, 'pod:status', {signal}) as AsyncIterable<
        [EngineEvents['pod:status']]
      >) {
        if (payload.pod.name === current.name && done(payload.pod)) return payload.pod;
      }
    } catch {
      if (options.signal?.aborted === true) throw cancelled();
      throw new EngineError('TIMEOUT', `pod ${ref} did not become ${options.condition}`, {
        details: {timeoutMs: options.timeoutMs},
      });
    }
    throw cancelled();
  }

  async podLogs(): Promise<LogsResult> {
    this.#call('podLogs');
    return {lines: [], truncated: false, totalLines: 0};
  }

  async podStats(ref: string): Promise<PodStatsView> {
    this.#call('podStats');
    const pod = this.#pod(ref).view;
    const containers = pod.containers.map((c) => this.#sample(c));
    return {
      pod: pod.name,
      at: new Date().toISOString(),
      cpuPercent: 1,
      memoryBytes: 1024,
      networkRxBytes: 0,
      networkTxBytes: 0,
      containers,
    };
  }

  async updatePodResources(ref: string): Promise<PodResult> {
    this.#call('updatePodResources');
    return {changed: true, pod: this.#pod(ref).view};
  }

  #container(ref: string): ContainerView {
    for (const {view} of this.#pods.values()) {
      for (const c of [view.infra, ...view.containers]) {
        if (
          c.id === ref ||
          (ref.length >= 4 && c.id.startsWith(ref)) ||
          c.dockerName === ref ||
          `${view.name}/${c.name}` === ref
        )
          return c;
      }
    }
    throw new EngineError('NOT_FOUND', `no container ${ref}`, {details: {resource: 'container', ref}});
  }

  async listContainers(options: {readonly pod?: string} = {}): Promise<readonly ContainerView[]> {
    this.#call('listContainers');
    const pods = [...this.#pods.values()].filter(
      (p) => options.pod === undefined || p.view.name === options.pod,
    );
    return pods.flatMap((p) => [p.view.infra, ...p.view.containers]);
  }

  async getContainer(ref: string): Promise<ContainerView> {
    this.#call('getContainer');
    return this.#container(ref);
  }

  async inspectContainer(ref: string): Promise<ContainerDetails> {
    this.#call('inspectContainer');
    const c = this.#container(ref);
    const spec = this.#pods.get(c.pod)?.spec.containers.find((s) => s.name === c.name);
    // As the engine's: secret values masked.
    const env = (spec?.env ?? []).map((e) => `${e.key}=${e.secret === true ? SECRET_MASK : e.value}`);
    return {
      id: c.id,
      name: c.dockerName,
      image: c.image,
      imageId: 'sha256:0',
      created: new Date(0).toISOString(),
      restartCount: 0,
      labels: {},
      state: {
        status: 'running',
        running: true,
        paused: false,
        restarting: false,
        oomKilled: false,
        dead: false,
        pid: c.pid,
        exitCode: 0,
        error: '',
        startedAt: '',
        finishedAt: '',
      },
      config: {
        hostname: c.pod,
        env,
        cmd: [],
        entrypoint: [],
        workingDir: '',
        user: '',
        tty: false,
        exposedPorts: [],
      },
      host: {networkMode: 'bridge'},
      network: {networks: {}, ports: [], sandboxKey: ''},
    };
  }

  async inspectContainerBcs(ref: string): Promise<BcsContainerInfo> {
    this.#call('inspectContainerBcs');
    const c = this.#container(ref);
    return {
      id: c.id,
      name: c.dockerName,
      pid: c.pid,
      startAt: '',
      finishAt: '',
      status: 'running',
      healthy: false,
      isChecked: false,
      consecutiveFailureTimes: 0,
      exitCode: 0,
      hostname: '',
      networkMode: '',
      ipAddress: '',
      nodeAddress: '',
      ports: [],
      message: '',
      oomKilled: false,
    };
  }

  async startContainer(ref: string): Promise<{readonly changed: boolean}> {
    this.#call('startContainer');
    this.#container(ref);
    return {changed: false};
  }

  async stopContainer(ref: string): Promise<{readonly changed: boolean}> {
    this.#call('stopContainer');
    this.#container(ref);
    return {changed: true};
  }

  async restartContainer(ref: string): Promise<{readonly changed: boolean}> {
    this.#call('restartContainer');
    this.#container(ref);
    return {changed: true};
  }

  async killContainer(ref: string): Promise<{readonly changed: boolean}> {
    this.#call('killContainer');
    this.#container(ref);
    return {changed: true};
  }

  async removeContainer(ref: string): Promise<{readonly changed: boolean}> {
    this.#call('removeContainer');
    this.#container(ref);
    return {changed: true};
  }

  /** `sleep N` blocks N seconds (or until cancelled); anything else echoes its argv. */
  async exec(ref: string, options: ExecOptions): Promise<ExecResult> {
    this.#call('exec');
    this.#container(ref);
    this.runningExecs++;
    const started = performance.now();
    try {
      if (options.cmd[0] === 'sleep') await sleep(Number(options.cmd[1] ?? '0') * 1000, options.signal);
      const stdout = options.cmd.slice(1).join(' ');
      const cap = options.maxOutputBytes ?? Number.POSITIVE_INFINITY;
      return {
        exitCode: 0,
        stdout: stdout.slice(0, cap),
        stderr: '',
        truncated: stdout.length > cap,
        timedOut: false,
        durationMs: performance.now() - started,
      };
    } finally {
      this.runningExecs--;
    }
  }

  async execInteractive(): Promise<InteractiveExec> {
    throw new EngineError('UNSUPPORTED', 'not in the stub');
  }

  async upload(ref: string): Promise<{readonly changed: boolean}> {
    this.#call('upload');
    this.#container(ref);
    return {changed: true};
  }

  async commit(ref: string): Promise<{readonly imageId: string; readonly changed: boolean}> {
    this.#call('commit');
    this.#container(ref);
    return {imageId: 'sha256:1', changed: true};
  }

  async updateContainer(ref: string): Promise<{readonly changed: boolean}> {
    this.#call('updateContainer');
    this.#container(ref);
    return {changed: true};
  }

  async containerLogs(ref: string): Promise<LogsResult> {
    this.#call('containerLogs');
    this.#container(ref);
    return {lines: [], truncated: false, totalLines: 0};
  }

  async *followLogs(ref: string, options: FollowLogsOptions): AsyncIterable<LogLine> {
    this.#call('followLogs');
    const lines: LogLine[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const onLine = (line: LogLine): void => {
      lines.push(line);
      wake?.();
    };
    const onEnd = (): void => {
      ended = true;
      wake?.();
    };
    const onAbort = onEnd;
    this.#logs.on(ref, onLine);
    this.#logs.on(`${ref}:end`, onEnd);
    options.signal?.addEventListener('abort', onAbort, {once: true});
    try {
      for (;;) {
        const line = lines.shift();
        if (line !== undefined) yield line;
        else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      this.#logs.off(ref, onLine);
      this.#logs.off(`${ref}:end`, onEnd);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  #sample(c: ContainerView): StatsView {
    return {
      container: c.name,
      containerId: c.id,
      pod: c.pod,
      at: new Date().toISOString(),
      cpuPercent: 12.5,
      memoryBytes: 1 << 20,
      memoryLimitBytes: 1 << 30,
      memoryPercent: 0.1,
      networkRxBytes: 0,
      networkTxBytes: 0,
      blockReadBytes: 0,
      blockWriteBytes: 0,
      pids: 1,
    };
  }

  async containerStats(ref: string): Promise<StatsView> {
    this.#call('containerStats');
    return this.#sample(this.#container(ref));
  }

  /** One sample per container every 10 ms (the stub does not enforce the 1 s minimum), until the signal. */
  async *followStats(
    refs: readonly string[],
    options: {readonly signal: AbortSignal},
  ): AsyncIterable<StatsView> {
    this.#call('followStats');
    while (!options.signal.aborted) {
      for (const ref of refs) yield this.#sample(this.#container(ref));
      try {
        await sleep(10, options.signal);
      } catch {
        return;
      }
    }
  }

  async topContainer(ref: string): Promise<TopResult> {
    this.#call('topContainer');
    this.#container(ref);
    return {titles: ['PID', 'CMD'], processes: [['1', 'sleep']]};
  }

  async listImages(): Promise<readonly ImageSummary[]> {
    this.#call('listImages');
    return [
      {
        id: 'sha256:1',
        repoTags: ['bcs-executor/demo:local'],
        repoDigests: [],
        created: 0,
        size: 1,
        labels: {},
      },
    ];
  }

  async inspectImage(ref: string): Promise<ImageDetails> {
    this.#call('inspectImage');
    if (ref !== 'bcs-executor/demo:local')
      throw new EngineError('NOT_FOUND', `no image ${ref}`, {details: {resource: 'image', ref}});
    return {
      id: 'sha256:1',
      repoTags: [ref],
      repoDigests: [],
      created: 0,
      size: 1,
      labels: {},
      architecture: 'amd64',
      os: 'linux',
      config: {env: [], cmd: [], entrypoint: [], workingDir: '', user: '', exposedPorts: []},
    };
  }

  /** Reports 3 progress events 20 ms apart (cancellable). */
  async pullImage(
    _ref: string,
    options: {
      readonly signal?: AbortSignal;
      readonly onProgress?: (event: {
        readonly id?: string;
        readonly status?: string;
        readonly current?: number;
        readonly total?: number;
      }) => void;
    } = {},
  ): Promise<{readonly changed: boolean}> {
    this.#call('pullImage');
    for (let i = 1; i <= 3; i++) {
      await sleep(150, options.signal);
      options.onProgress?.({id: 'layer', status: 'Downloading', current: i, total: 3});
    }
    return {changed: true};
  }

  async removeImage(): Promise<{readonly changed: boolean}> {
    this.#call('removeImage');
    return {changed: false};
  }

  async reconcile(): Promise<void> {
    this.#call('reconcile');
  }

  closed = false;

  async close(): Promise<void> {
    this.closed = true;
  }
}
