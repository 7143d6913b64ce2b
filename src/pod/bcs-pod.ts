/**
BcsPod: the seed's Pod over any ContainerRuntime, for both network drivers, with the pod bugs of seed-spec §8
fixed: a real pause infra container; start in spec order and stop in reverse with each container's kill
policy, then SIGKILL of the infra; cleanup on every failure (no nil-error panic, CNI DEL after a failed ADD);
"running" meaning every app runs now; a removed container counts as removed; BCS_CONTAINER_IP the pod IP.

Status: `init`/`starting`/`killing` while an operation runs, else derived from Docker (derivePodStatus), so
it is always what Docker says now rather than what a tick last saw.
*/
import {DockerContainer} from '../container/docker-container.js';
import type {PodStatus} from '../engine/types.js';
import {EngineError, toEngineError} from '../errors.js';
import {describeNetns} from '../network/cni/describe-netns.js';
import {netArgs, type CniArg} from '../network/cni/net-args.js';
import type {ContainerDetails} from '../runtime/port.js';
import {inspectToBcsInfo} from '../task/from-inspect.js';
import type {BcsContainerInfo, BcsContainerTask, TaskResources} from '../task/types.js';
import {deriveLive, inspectApps, inspectIfPresent} from './pod-inspect.js';
import type {Pod} from './pod.js';
import {createApps, startApps} from './pod-apps.js';
import type {PodConfig} from './pod-config.js';
import {buildInfra, emptyBuildState, rollbackBuild, type PodBuildState} from './pod-infra.js';
import {cleanupSignal, killInfra, netnsPathOf, stopApps, removeContainers} from './pod-ops.js';

/** How a BcsPod runs its flows. */
export interface BcsPodOptions {
  /** Start the apps (default true); false creates them and runs preStart only. */
  readonly autostart?: boolean;
  /** The engine's health verdict of a container (null: no check, or not decided). */
  readonly health?: (containerId: string) => boolean | null;
  readonly signal?: AbortSignal;
}

type Overlay = 'init' | 'starting' | 'killing';

/** The seed's Pod over a ContainerRuntime, for both network drivers (see the module comment). */
export class BcsPod implements Pod {
  readonly config: PodConfig;
  readonly #state: PodBuildState = emptyBuildState();
  readonly #options: BcsPodOptions;
  readonly #container: DockerContainer;
  #podId: string;
  #status: PodStatus = 'unknown';
  #message = '';
  #overlay: Overlay | undefined;
  #tasks: BcsContainerTask[];

  constructor(config: PodConfig, options: BcsPodOptions = {}) {
    this.config = config;
    this.#options = options;
    this.#podId = config.name;
    this.#tasks = [...config.tasks];
    this.#container = new DockerContainer({runtime: config.runtime});
  }

  /** The infra container's id ('' before init or after finit). */
  get infraId(): string {
    return this.#state.infraId;
  }

  /** Docker ids of the app containers made so far, by Docker name. */
  get appIds(): ReadonlyMap<string, string> {
    return new Map([...this.#state.apps].map(([name, app]) => [name, app.id]));
  }

  async isHealthy(): Promise<boolean> {
    const details = await inspectApps(this.config, this.#state, this.#tasks);
    return details.every((entry) => {
      if (entry === undefined) return true;
      const verdict = this.#options.health?.(entry.id) ?? null;
      return verdict !== false && entry.state.health?.status !== 'unhealthy';
    });
  }

  injection(): Promise<boolean> {
    return Promise.resolve((this.config.network.ip ?? '') !== '');
  }

  setIPAddr(ip: string): Promise<void> {
    this.#state.podIp = ip;
    return Promise.resolve();
  }

  getIPAddr(): Promise<string> {
    return Promise.resolve(this.#state.podIp);
  }

  setPodID(id: string): Promise<void> {
    this.#podId = id;
    return Promise.resolve();
  }

  getPodID(): Promise<string> {
    return Promise.resolve(this.#podId);
  }

  getNamespace(): Promise<string> {
    return Promise.resolve('');
  }

  getNetns(): Promise<string> {
    return Promise.resolve(this.#state.infraPid > 0 ? netnsPathOf(this.#state.infraPid) : '');
  }

  getNetworkName(): Promise<string> {
    return Promise.resolve(this.config.network.name);
  }

  getNetArgs(): Promise<CniArg[]> {
    if (this.config.network.driver !== 'cni') return Promise.resolve([]);
    return Promise.resolve(netArgs({egressMbps: this.config.network.egressMbps, ip: this.config.network.ip}));
  }

  getPid(): Promise<number> {
    return Promise.resolve(this.#state.infraPid);
  }

  getContainerID(): Promise<string> {
    return Promise.resolve(this.#state.infraId);
  }

  async getNetStatus(): Promise<string> {
    const {network} = this.config;
    const base = {driver: network.driver, network: network.name, ip: this.#state.podIp};
    if (this.#state.infraId === '') return JSON.stringify({...base, interfaces: []});
    if (network.driver === 'cni') {
      const interfaces =
        this.#state.infraPid > 0 ? await describeNetns(netnsPathOf(this.#state.infraPid)) : [];
      return JSON.stringify({...base, interfaces});
    }
    const details = await this.config.runtime.inspectContainer(this.#state.infraId);
    return JSON.stringify({...base, networks: details.network.networks, ports: details.network.ports});
  }

  async getPodStatus(): Promise<PodStatus> {
    await this.#refresh();
    return this.#status;
  }

  async getMessage(): Promise<string> {
    await this.#refresh();
    return this.#message;
  }

  async init(): Promise<void> {
    this.#set('init', 'Pod is initing');
    this.#overlay = 'init';
    try {
      await buildInfra(this.config, this.#state, {
        signal: this.#options.signal,
        autostart: this.#options.autostart ?? true,
      });
    } catch (error) {
      await this.#fail(error);
    } finally {
      this.#overlay = undefined;
    }
  }

  async start(): Promise<void> {
    if (this.#state.infraId === '')
      throw new EngineError('INVALID_STATE', `pod ${this.config.name} is not initialised`);
    this.#set('starting', 'Pod is starting');
    this.#overlay = 'starting';
    const {signal} = this.#options;
    try {
      this.#tasks = await createApps(this.config, this.#state, this.#podId, signal);
      await startApps(this.config, this.#state, this.#tasks, {
        signal,
        autostart: this.#options.autostart ?? true,
      });
    } catch (error) {
      await this.#fail(error);
    } finally {
      this.#overlay = undefined;
    }
    this.#set('running', 'Pod is running');
  }

  async stop(graceSeconds?: number): Promise<void> {
    this.#set('killing', 'Pod is killing all containers');
    this.#overlay = 'killing';
    const {handler} = this.config;
    try {
      await stopApps(this.config.runtime, this.#members(), {
        graceSeconds,
        withdrawRestartPolicy: true,
        before: async (member) => {
          const task = this.#taskById(member.id);
          if (task !== undefined) await handler.preStop?.(task);
        },
        after: async (member) => {
          const task = this.#taskById(member.id);
          // The seed's AutoRemove (default true) removes a container once the executor stopped it.
          if (task?.autoRemove !== false)
            await removeContainers(this.config.runtime, [member.id], cleanupSignal());
          try {
            if (task !== undefined) await handler.postStop?.(task);
          } catch {
            // The seed ignores what PostStop returns.
          }
        },
      });
      if (this.#state.infraId !== '') await killInfra(this.config.runtime, this.#state.infraId);
      this.#set('killed', 'Pod is killed');
    } finally {
      this.#overlay = undefined;
    }
  }

  async finit(): Promise<void> {
    await rollbackBuild(this.config, this.#state);
  }

  async uploadFile(name: string, source: string, dest: string): Promise<void> {
    await this.#container.uploadToContainer(this.#appId(name), source, dest);
  }

  async execute(name: string, command: readonly string[]): Promise<void> {
    await this.#container.runCommand(this.#appId(name), command);
  }

  async getContainers(): Promise<BcsContainerInfo[]> {
    const details = await inspectApps(this.config, this.#state, this.#tasks);
    return details.flatMap((entry) => (entry === undefined ? [] : [this.#info(entry)]));
  }

  async getContainerByName(name: string): Promise<BcsContainerInfo | undefined> {
    const id = this.#findAppId(name);
    if (id === undefined) return undefined;
    const details = await inspectIfPresent(this.config.runtime, id);
    return details === undefined ? undefined : this.#info(details);
  }

  async updateResources(containerId: string, resources: TaskResources): Promise<void> {
    if (![...this.#state.apps.values()].some((app) => app.id === containerId)) {
      throw new EngineError('NOT_FOUND', `container id ${containerId} is invalid`, {
        details: {resource: 'container', ref: containerId},
      });
    }
    await this.#container.updateResources(containerId, resources);
  }

  async commitImage(containerId: string, image: string): Promise<void> {
    await this.#container.commitImage(containerId, image);
  }

  getContainerTasks(): Promise<ReadonlyMap<string, BcsContainerTask>> {
    return Promise.resolve(new Map(this.#tasks.map((task) => [task.name, task])));
  }

  #set(status: PodStatus, message: string): void {
    this.#status = status;
    this.#message = message;
  }

  /** Rolls back everything made, marks the pod failed with the reason, and rethrows it as an EngineError. */
  async #fail(error: unknown): Promise<never> {
    const failure = toEngineError(error);
    let cleanupError: EngineError | undefined;
    try {
      await rollbackBuild(this.config, this.#state);
    } catch (cleanup) {
      cleanupError = toEngineError(cleanup);
    }
    this.#set('failed', failure.message);
    if (cleanupError === undefined) throw failure;
    throw new EngineError(failure.code, failure.message, {
      details: {...failure.details, cleanupError: cleanupError.toJSON()},
      cause: failure,
    });
  }

  async #refresh(): Promise<void> {
    if (this.#overlay !== undefined || this.#state.infraId === '') return;
    const derived = await deriveLive(this.config, this.#state, this.#tasks, this.#options.health);
    // All gone (after finit): keep the last status the pod had rather than "unknown".
    if (derived.status !== 'unknown') this.#set(derived.status, derived.message);
  }

  #info(details: ContainerDetails): BcsContainerInfo {
    const info = inspectToBcsInfo(details);
    const verdict = this.#options.health?.(details.id) ?? null;
    return {
      ...info,
      nodeAddress: this.config.nodeIp,
      ipAddress: this.#state.podIp,
      ...(verdict === null ? {} : {healthy: verdict, isChecked: true}),
    };
  }

  #members(): {id: string; name: string; graceSeconds: number}[] {
    return this.#tasks.flatMap((task, index) => {
      const app = this.#state.apps.get(task.name);
      return app === undefined
        ? []
        : [
            {
              id: app.id,
              name: this.config.containerNames[index] ?? task.name,
              graceSeconds: task.killPolicy ?? 1,
            },
          ];
    });
  }

  #taskById(id: string): BcsContainerTask | undefined {
    const name = [...this.#state.apps].find(([, app]) => app.id === id)?.[0];
    return this.#tasks.find((task) => task.name === name);
  }

  #findAppId(name: string): string | undefined {
    const index = this.config.containerNames.indexOf(name);
    const dockerName = index >= 0 ? this.config.tasks[index]?.name : name;
    return dockerName === undefined ? undefined : this.#state.apps.get(dockerName)?.id;
  }

  #appId(name: string): string {
    const id = this.#findAppId(name);
    if (id === undefined) {
      throw new EngineError('NOT_FOUND', `BcsPod has no container named ${name}`, {
        details: {resource: 'container', ref: name},
      });
    }
    return id;
  }
}
