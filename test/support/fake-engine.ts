/**
An in-memory Engine for UI tests: pods you set, events you emit, log lines and stats samples you push into
the streams the UI opened, and a record of every call. Operations the tests do not script throw UNSUPPORTED.
*/
/* eslint-disable @typescript-eslint/require-await -- the fake answers at once; `async` keeps the Engine's
   signatures and turns a throw into a rejection, as the real engine's methods do. */
import {EngineError} from '../../src/errors.js';
import {Channel, fakePod} from './fake-engine-views.js';
import type {
  ApplyResult,
  ConnectionState,
  ContainerDetails,
  ContainerView,
  Engine,
  EngineActivity,
  EngineEventName,
  EngineEvents,
  ExecOptions,
  ExecResult,
  FollowLogsOptions,
  InteractiveExec,
  InteractiveExecOptions,
  LogLine,
  PodResult,
  PodSpec,
  PodView,
  RemoveResult,
  StatsView,
  Unsubscribe,
} from '../../src/index.js';

export {fakeContainer, fakePod} from './fake-engine-views.js';

/** A recorded call. */
export interface Call {
  readonly method: string;
  readonly args: readonly unknown[];
}

function unsupported(method: string): never {
  throw new EngineError('UNSUPPORTED', `FakeEngine.${method} is not scripted`);
}

/** The fake; see the module comment. */
export class FakeEngine implements Engine {
  readonly pods = new Map<string, PodView>();
  readonly calls: Call[] = [];
  /** Open followLogs streams: ref and channel. */
  readonly logStreams: {ref: string; channel: Channel<LogLine>}[] = [];
  /** Open followStats streams: refs and channel. */
  readonly statsStreams: {refs: readonly string[]; channel: Channel<StatsView>}[] = [];
  connectionState: ConnectionState = {connected: true, endpoint: 'unix:///fake.sock', apiVersion: '1.45'};
  /** When set, listPods and version throw ENGINE_UNAVAILABLE (dockerd is down). */
  unreachable = false;
  execResult: ExecResult = {
    exitCode: 0,
    stdout: 'hello\n',
    stderr: '',
    truncated: false,
    timedOut: false,
    durationMs: 3,
  };
  /** What getPodSpec and inspectContainer answer. */
  spec: PodSpec = {name: 'web', containers: [{name: 'app', image: 'bcs-executor/demo:local'}]};
  inspect: Partial<ContainerDetails> = {id: 'x', name: '/web-app'};
  readonly #listeners = new Map<EngineEventName, Set<(payload: never) => void>>();
  readonly #activity: EngineActivity[] = [];

  constructor(pods: readonly PodView[] = []) {
    for (const pod of pods) this.pods.set(pod.name, pod);
  }

  #record(method: string, ...args: unknown[]): void {
    this.calls.push({method, args});
  }

  /** Calls of one method. */
  callsOf(method: string): Call[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Emits an event to the UI's listeners. */
  emit<E extends EngineEventName>(event: E, payload: EngineEvents[E]): void {
    for (const listener of this.#listeners.get(event) ?? [])
      (listener as (p: EngineEvents[E]) => void)(payload);
  }

  /** Replaces a pod and emits `pod:status`. */
  setPod(pod: PodView): void {
    const previous = this.pods.get(pod.name)?.status ?? null;
    this.pods.set(pod.name, pod);
    this.emit('pod:status', {pod, previous});
  }

  /** Pushes a log line into every open stream following `ref`. */
  pushLog(ref: string, line: Partial<LogLine> & {readonly text: string}): void {
    const full: LogLine = {
      container: 'app',
      containerId: 'id',
      stream: 'stdout',
      ts: new Date().toISOString(),
      ...line,
    };
    for (const stream of this.logStreams)
      if (stream.ref === ref && !stream.channel.ended) stream.channel.push(full);
  }

  /** Pushes a stats sample into every open stream covering its container. */
  pushStats(sample: Partial<StatsView> & {readonly containerId: string}): void {
    const full: StatsView = {
      container: 'app',
      pod: 'web',
      at: new Date().toISOString(),
      cpuPercent: 1,
      memoryBytes: 1024 * 1024,
      memoryLimitBytes: 64 * 1024 * 1024,
      memoryPercent: 1.5,
      networkRxBytes: 0,
      networkTxBytes: 0,
      blockReadBytes: 0,
      blockWriteBytes: 0,
      pids: 1,
      ...sample,
    };
    for (const stream of this.statsStreams) {
      if (stream.refs.includes(full.containerId) && !stream.channel.ended) stream.channel.push(full);
    }
  }

  /** The refs of the stats streams still open. */
  openStatsRefs(): (readonly string[])[] {
    return this.statsStreams.filter((s) => !s.channel.ended).map((s) => s.refs);
  }

  /** The refs of the log streams still open. */
  openLogRefs(): string[] {
    return this.logStreams.filter((s) => !s.channel.ended).map((s) => s.ref);
  }

  connection(): ConnectionState {
    return this.connectionState;
  }

  async version() {
    this.#record('version');
    if (this.unreachable) throw new EngineError('ENGINE_UNAVAILABLE', 'connect ENOENT /fake.sock');
    return {
      apiVersion: '1.45',
      serverApiVersion: '1.45',
      minApiVersion: '1.24',
      serverVersion: '26.1.0',
      os: 'linux',
      arch: 'amd64',
      flavor: 'docker' as const,
    };
  }

  info(): never {
    return unsupported('info');
  }

  async ping() {
    return {apiVersion: '1.45', latencyMs: 1};
  }

  on<E extends EngineEventName>(event: E, listener: (payload: EngineEvents[E]) => void): Unsubscribe {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const stored = listener as (payload: never) => void;
    set.add(stored);
    return () => set.delete(stored);
  }

  /** How many listeners are subscribed (leak checks). */
  listenerCount(): number {
    return [...this.#listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }

  activity(): readonly EngineActivity[] {
    return this.#activity;
  }

  async listPods(): Promise<readonly PodView[]> {
    this.#record('listPods');
    if (this.unreachable) throw new EngineError('ENGINE_UNAVAILABLE', 'connect ENOENT /fake.sock');
    return [...this.pods.values()];
  }

  async getPod(ref: string): Promise<PodView> {
    const pod = this.pods.get(ref);
    if (pod === undefined) throw new EngineError('NOT_FOUND', `no pod ${ref}`);
    return pod;
  }

  async getPodSpec(ref: string): Promise<PodSpec> {
    this.#record('getPodSpec', ref);
    return this.spec;
  }

  createPod(): never {
    return unsupported('createPod');
  }

  async applyPod(spec: PodSpec): Promise<ApplyResult> {
    this.#record('applyPod', spec);
    const pod = fakePod(
      spec.name,
      spec.containers.map((c) => c.name),
    );
    this.setPod(pod);
    return {changed: true, pod, action: 'created'};
  }

  #podResult(method: string, ref: string, status: PodView['status']): PodResult {
    this.#record(method, ref);
    const pod = this.pods.get(ref);
    if (pod === undefined) throw new EngineError('NOT_FOUND', `no pod ${ref}`);
    const next = {...pod, status};
    this.setPod(next);
    return {changed: pod.status !== status, pod: next};
  }

  async startPod(ref: string): Promise<PodResult> {
    return this.#podResult('startPod', ref, 'running');
  }

  async stopPod(ref: string): Promise<PodResult> {
    return this.#podResult('stopPod', ref, 'killed');
  }

  async restartPod(ref: string): Promise<PodResult> {
    return this.#podResult('restartPod', ref, 'running');
  }

  async killPod(ref: string): Promise<PodResult> {
    return this.#podResult('killPod', ref, 'killed');
  }

  async removePod(ref: string): Promise<RemoveResult> {
    this.#record('removePod', ref);
    const pod = this.pods.get(ref);
    if (pod === undefined) return {changed: false, name: ref, removedContainers: []};
    this.pods.delete(ref);
    this.emit('pod:removed', {name: ref, id: pod.id});
    return {changed: true, name: ref, removedContainers: []};
  }

  waitPod(): never {
    return unsupported('waitPod');
  }

  podLogs(): never {
    return unsupported('podLogs');
  }

  podStats(): never {
    return unsupported('podStats');
  }

  updatePodResources(): never {
    return unsupported('updatePodResources');
  }

  async listContainers(): Promise<readonly ContainerView[]> {
    return [...this.pods.values()].flatMap((pod) => [pod.infra, ...pod.containers]);
  }

  getContainer(): never {
    return unsupported('getContainer');
  }

  async inspectContainer(ref: string): Promise<ContainerDetails> {
    this.#record('inspectContainer', ref);
    return this.inspect as ContainerDetails;
  }

  inspectContainerBcs(): never {
    return unsupported('inspectContainerBcs');
  }

  async startContainer(ref: string) {
    this.#record('startContainer', ref);
    return {changed: true};
  }

  async stopContainer(ref: string) {
    this.#record('stopContainer', ref);
    return {changed: true};
  }

  async restartContainer(ref: string) {
    this.#record('restartContainer', ref);
    return {changed: true};
  }

  async killContainer(ref: string) {
    this.#record('killContainer', ref);
    return {changed: true};
  }

  async removeContainer(ref: string) {
    this.#record('removeContainer', ref);
    return {changed: true};
  }

  async exec(ref: string, options: ExecOptions): Promise<ExecResult> {
    this.#record('exec', ref, options.cmd);
    return this.execResult;
  }

  async execInteractive(ref: string, options: InteractiveExecOptions): Promise<InteractiveExec> {
    this.#record('execInteractive', ref, options);
    return unsupported('execInteractive');
  }

  upload(): never {
    return unsupported('upload');
  }

  commit(): never {
    return unsupported('commit');
  }

  updateContainer(): never {
    return unsupported('updateContainer');
  }

  containerLogs(): never {
    return unsupported('containerLogs');
  }

  followLogs(ref: string, options: FollowLogsOptions): AsyncIterable<LogLine> {
    this.#record('followLogs', ref, options.tail);
    const channel = new Channel<LogLine>(options.signal);
    this.logStreams.push({ref, channel});
    return channel;
  }

  containerStats(): never {
    return unsupported('containerStats');
  }

  followStats(
    refs: readonly string[],
    options: {readonly signal: AbortSignal; readonly intervalMs?: number},
  ): AsyncIterable<StatsView> {
    this.#record('followStats', [...refs]);
    const channel = new Channel<StatsView>(options.signal);
    this.statsStreams.push({refs: [...refs], channel});
    return channel;
  }

  topContainer(): never {
    return unsupported('topContainer');
  }

  listImages(): never {
    return unsupported('listImages');
  }

  inspectImage(): never {
    return unsupported('inspectImage');
  }

  pullImage(): never {
    return unsupported('pullImage');
  }

  removeImage(): never {
    return unsupported('removeImage');
  }

  async reconcile(): Promise<void> {
    this.#record('reconcile');
  }

  async close(): Promise<void> {
    this.#record('close');
  }
}
