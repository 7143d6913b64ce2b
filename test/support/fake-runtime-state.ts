/**
The fake runtime's containers and the lifecycle moves Docker makes on them (run, exit, restart policy,
auto-remove, network attach), each emitting the events Docker emits. FakeRuntime validates calls and
answers in the port's words; this module keeps the state consistent.
*/
import type {
  ContainerCreateSpec,
  ContainerHealth,
  ContainerStatus,
  HostSpec,
  PublishedPort,
  RuntimeEventType,
  StatsSample,
  WaitResult,
} from '../../src/runtime/port.js';
import {FakeEventHub} from './fake-runtime-events.js';
import type {FakeFs} from './fake-runtime-fs.js';
import {FakeImageStore, type FakeImage} from './fake-runtime-images.js';
import {FakeNetworkStore} from './fake-runtime-networks.js';
import {play, stepsOf, type FakeProcess, type FakeProgram} from './fake-runtime-process.js';
import {interpret} from './fake-runtime-shell.js';
import {hexId, notFound, ZERO_TIME} from './fake-runtime-util.js';

export interface LogEntry {
  readonly stream: 'stdout' | 'stderr';
  readonly data: Buffer;
  /** Clock milliseconds. */
  readonly time: number;
}

export interface ContainerEndpoint {
  readonly networkId: string;
  ipAddress: string;
  readonly ipPrefixLen: number;
  gateway: string;
  macAddress: string;
  readonly requested: string | undefined;
}

export interface FakeContainer {
  readonly id: string;
  readonly name: string;
  readonly spec: ContainerCreateSpec;
  readonly image: FakeImage;
  readonly created: Date;
  host: HostSpec & {networkMode: string};
  status: ContainerStatus;
  pid: number;
  exitCode: number;
  oomKilled: boolean;
  error: string;
  startedAt: string;
  finishedAt: string;
  restartCount: number;
  health: ContainerHealth | undefined;
  readonly fs: FakeFs;
  readonly logs: LogEntry[];
  /** Woken on every log write and state change (followers of logs and stats). */
  readonly watchers: Set<() => void>;
  readonly exitWaiters: Set<(result: WaitResult) => void>;
  process: FakeProcess | undefined;
  /** Set by stop/kill through the API so the restart policy leaves the container down. */
  manuallyStopped: boolean;
  readonly endpoints: Map<string, ContainerEndpoint>;
  /** Published ports, allocated on start (an empty host port gets the next free one from 32768). */
  ports: PublishedPort[];
  statsOverride: Partial<StatsSample>;
  cpuUsage: number;
  removed: boolean;
}

/** Bits of shared state every part of the fake reaches. */
export class FakeState {
  readonly containers = new Map<string, FakeContainer>();
  readonly images: FakeImageStore;
  readonly networks = new FakeNetworkStore();
  readonly events: FakeEventHub;
  readonly programs: FakeProgram[] = [];
  readonly execPrograms: FakeProgram[] = [];
  readonly now: () => number;
  #containerSequence = 0;
  #pidSequence = 1000;
  #hostPort = 32767;

  constructor(now: () => number) {
    this.now = now;
    this.images = new FakeImageStore(now);
    this.events = new FakeEventHub(now);
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  nextContainerSeed(): number {
    return this.#containerSequence++;
  }

  nextPid(): number {
    return ++this.#pidSequence;
  }

  /** Docker's lookup: full id, exact name (with or without `/`), then a unique id prefix. */
  find(ref: string): FakeContainer | undefined {
    const byId = this.containers.get(ref);
    if (byId !== undefined) return byId;
    const name = ref.replace(/^\//, '');
    for (const container of this.containers.values()) if (container.name === name) return container;
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    const matches = [...this.containers.values()].filter((container) => container.id.startsWith(ref));
    return matches.length === 1 ? matches[0] : undefined;
  }

  get(ref: string): FakeContainer {
    const container = this.find(ref);
    if (container === undefined) throw notFound('container', ref);
    return container;
  }

  /** A container event with what Docker puts in attributes: every label, `name`, `image`, plus extras. */
  emitContainer(
    action: string,
    container: FakeContainer,
    extra: Readonly<Record<string, string>> = {},
  ): void {
    this.events.emit('container', action, container.id, {
      ...container.spec.labels,
      image: container.spec.image,
      name: container.name,
      ...extra,
    });
  }

  emit(
    type: RuntimeEventType,
    action: string,
    id: string,
    attributes: Readonly<Record<string, string>>,
  ): void {
    this.events.emit(type, action, id, attributes);
  }

  /** Writes to a container's log (a TTY merges both streams into stdout with CRLF, as a terminal does). */
  writeLog(container: FakeContainer, stream: 'stdout' | 'stderr', data: string | Buffer): void {
    let text = typeof data === 'string' ? data : data.toString('utf8');
    let target = stream;
    if (container.spec.tty === true) {
      text = text.replace(/\r?\n/g, '\r\n');
      target = 'stdout';
    }
    const time = this.now();
    for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
      container.logs.push({stream: target, data: Buffer.from(line, 'utf8'), time});
    }
    wake(container);
  }

  /** Starts the main process: the image's entrypoint and cmd, overridden by the spec's, Docker's way. */
  run(container: FakeContainer): void {
    const entrypoint = container.spec.entrypoint ?? container.image.config.entrypoint;
    const cmd =
      container.spec.cmd ?? (container.spec.entrypoint === undefined ? container.image.config.cmd : []);
    const argv = [...entrypoint, ...cmd];
    container.status = 'running';
    container.pid = this.nextPid();
    container.startedAt = this.iso();
    container.finishedAt = ZERO_TIME;
    container.exitCode = 0;
    container.oomKilled = false;
    container.manuallyStopped = false;
    this.#attach(container);
    container.ports = this.#publish(container);
    this.emitContainer('start', container);
    const scripted = this.programs.map((program) => program(argv, {containerId: container.id})).find(Boolean);
    const steps =
      scripted !== undefined
        ? stepsOf(scripted)
        : interpret(argv, {
            env: [...container.image.config.env, ...(container.spec.env ?? [])],
            workingDir: container.spec.workingDir ?? container.image.config.workingDir,
            readFile: (path) => container.fs.read(path),
            writeFile: (path, data, append) => container.fs.write(path, data, append, new Date(this.now())),
          });
    container.process = play(steps, {
      write: (stream, data) => this.writeLog(container, stream, data),
      exit: (code) => this.exit(container, code),
    });
  }

  /**
  The main process ended with `code`: Docker's `oom` (when OOM-killed), then `die`; then the restart
  policy, or auto-remove.
  */
  exit(container: FakeContainer, code: number, options: {readonly oomKilled?: boolean} = {}): void {
    if (container.status !== 'running' && container.status !== 'paused') return;
    container.process?.cancel();
    container.process = undefined;
    container.status = 'exited';
    container.pid = 0;
    container.exitCode = code;
    container.oomKilled = options.oomKilled ?? false;
    container.finishedAt = this.iso();
    if (container.health !== undefined) container.health = {...container.health, status: 'unhealthy'};
    this.#detach(container);
    container.ports = [];
    if (container.oomKilled) this.emitContainer('oom', container);
    const started = Date.parse(container.startedAt);
    const seconds = Number.isNaN(started) ? 0 : Math.max(0, Math.round((this.now() - started) / 1000));
    this.emitContainer('die', container, {exitCode: String(code), execDuration: String(seconds)});
    for (const waiter of container.exitWaiters) waiter({exitCode: code});
    container.exitWaiters.clear();
    wake(container);
    if (this.#shouldRestart(container)) {
      container.restartCount++;
      setImmediate(() => {
        if (!container.removed && container.status === 'exited' && !container.manuallyStopped)
          this.run(container);
      });
    } else if (container.host.autoRemove === true) {
      this.destroy(container);
    }
  }

  #publish(container: FakeContainer): PublishedPort[] {
    const ports: PublishedPort[] = [];
    for (const [key, bindings] of Object.entries(container.host.portBindings ?? {})) {
      const [port = '0', protocol = 'tcp'] = key.split('/');
      for (const binding of bindings) {
        const hostPort =
          binding.hostPort === undefined || binding.hostPort === ''
            ? ++this.#hostPort
            : Number(binding.hostPort);
        ports.push({containerPort: Number(port), protocol, hostIp: binding.hostIp ?? '0.0.0.0', hostPort});
      }
    }
    return ports;
  }

  #shouldRestart(container: FakeContainer): boolean {
    if (container.manuallyStopped || container.removed) return false;
    const policy = container.host.restartPolicy;
    switch (policy?.name) {
      case 'always':
      case 'unless-stopped':
        return true;
      case 'on-failure': {
        const max = policy.maximumRetryCount ?? 0;
        return container.exitCode !== 0 && (max === 0 || container.restartCount < max);
      }
      default:
        return false;
    }
  }

  /** Removes the container (it must not be running any more) and says `destroy`. */
  destroy(container: FakeContainer): void {
    if (container.removed) return;
    container.removed = true;
    this.containers.delete(container.id);
    this.emitContainer('destroy', container);
    wake(container);
  }

  /** Gives the container its endpoints: addresses on bridge and user networks, empty ones for host/none. */
  #attach(container: FakeContainer): void {
    for (const [name, endpoint] of container.endpoints) {
      const network = this.networks.find(name);
      if (network === undefined) continue;
      endpoint.ipAddress = this.networks.attach(network, container.id, container.name, endpoint.requested);
      endpoint.gateway = network.gateway;
      const last = endpoint.ipAddress.split('.').map(Number);
      endpoint.macAddress =
        endpoint.ipAddress === ''
          ? ''
          : `02:42:${last.map((n) => n.toString(16).padStart(2, '0')).join(':')}`;
      if (network.subnet !== '') {
        this.emit('network', 'connect', network.id, {
          container: container.id,
          name: network.name,
          type: network.driver,
        });
      }
    }
  }

  #detach(container: FakeContainer): void {
    for (const [name, endpoint] of container.endpoints) {
      const network = this.networks.find(name);
      if (network === undefined) continue;
      this.networks.detach(network, container.id);
      endpoint.ipAddress = '';
      endpoint.gateway = '';
      endpoint.macAddress = '';
      if (network.subnet !== '') {
        this.emit('network', 'disconnect', network.id, {
          container: container.id,
          name: network.name,
          type: network.driver,
        });
      }
    }
  }

  /** A new container record with Docker's defaults filled in. */
  newContainer(spec: ContainerCreateSpec, image: FakeImage, name: string): FakeContainer {
    const seed = this.nextContainerSeed();
    const mode =
      spec.host.networkMode === undefined || spec.host.networkMode === 'default'
        ? 'bridge'
        : spec.host.networkMode;
    const endpoints = new Map<string, ContainerEndpoint>();
    if (!mode.startsWith('container:')) {
      const named = spec.endpoints === undefined ? [] : Object.keys(spec.endpoints);
      for (const network of new Set([mode, ...named])) {
        const found = this.networks.find(network);
        endpoints.set(network, {
          networkId: found?.id ?? '',
          ipAddress: '',
          ipPrefixLen:
            found?.subnet === '' || found === undefined ? 0 : Number(found.subnet.split('/')[1] ?? 16),
          gateway: '',
          macAddress: '',
          requested: spec.endpoints?.[network]?.ipv4Address,
        });
      }
    }
    return {
      id: hexId(`fake-container-${seed}`),
      name,
      spec,
      image,
      created: new Date(this.now()),
      host: {
        ipcMode: 'private',
        pidMode: '',
        utsMode: '',
        privileged: false,
        publishAllPorts: false,
        cpuShares: 0,
        cpuPeriod: 0,
        cpuQuota: 0,
        memory: 0,
        memorySwap: 0,
        oomKillDisable: false,
        shmSize: 64 * 1024 * 1024,
        autoRemove: false,
        restartPolicy: {name: 'no', maximumRetryCount: 0},
        dns: [],
        dnsOptions: [],
        dnsSearch: [],
        ulimits: [],
        devices: [],
        ...spec.host,
        networkMode: mode,
      },
      status: 'created',
      pid: 0,
      exitCode: 0,
      oomKilled: false,
      error: '',
      startedAt: ZERO_TIME,
      finishedAt: ZERO_TIME,
      restartCount: 0,
      health: undefined,
      fs: image.fs.clone(),
      logs: [],
      watchers: new Set(),
      exitWaiters: new Set(),
      process: undefined,
      manuallyStopped: false,
      endpoints,
      ports: [],
      statsOverride: {},
      cpuUsage: 0,
      removed: false,
    };
  }
}

/** Wakes whoever follows this container's logs or stats. */
export function wake(container: FakeContainer): void {
  for (const watcher of [...container.watchers]) watcher();
}
