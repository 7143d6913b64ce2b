/**
The engine's moving parts wired together: the container cache fed by the one event stream, the pod tracker
that turns changes into events, the health and restart supervisors, the connection state, and reconciling
(a resync, the crash rule for half-created pods, the restart policy) on every (re)connect and every 30 s.
*/
import {setMaxListeners} from 'node:events';
import {throwIfAborted, toEngineError} from '../errors.js';
import {ActivityLog} from '../events/activity-log.js';
import {EngineEventBus} from '../events/event-bus.js';
import {EventWatcher} from '../events/watcher.js';
import {systemClock, type HealthClock} from '../health/clock.js';
import type {CreatorId} from '../pod/creator.js';
import {readMemberLabels} from '../pod/labels.js';
import {detectNodeIp} from '../pod/node-ip.js';
import type {PodCniOptions} from '../pod/pod-config.js';
import {networkOf, toHealthCheckSpec} from '../pod/spec/defaults.js';
import {indexPath} from '../task/issue-path.js';
import type {ContainerRuntime, RuntimeEvent} from '../runtime/port.js';
import {ContainerCache, type ContainerChange} from './container-cache.js';
import type {EngineContext} from './context.js';
import type {EngineOptions} from './engine.js';
import {halfCreatedDecision} from './half-created.js';
import {HealthSupervisor, type HealthTarget} from './health-supervisor.js';
import {rollBackPod} from './rollback-pod.js';
import {PodTracker} from './pod-tracker.js';
import {RestartSupervisor} from './restart-supervisor.js';
import {SpecCache} from './spec-cache.js';
import type {ConnectionState} from './types.js';
import {appSlots, podIpOf, type PodSnapshot, type ViewDeps} from './views.js';
import {graceOf} from './pod-members.js';

/** Bound of one resync (a list and the inspects it calls for). */
const SYNC_TIMEOUT_MS = 30_000;

/** A deadline signal that every inspect of one resync listens to (as many as there are containers). */
function sharedDeadline(ms: number): AbortSignal {
  const signal = AbortSignal.timeout(ms);
  setMaxListeners(0, signal);
  return signal;
}

/** The slow reconcile's period. */
export const RECONCILE_INTERVAL_MS = 30_000;

export interface CreateEngineOptions extends EngineOptions {
  readonly runtime: ContainerRuntime;
  /** The CNI driver's conf dir and plugin dirs (pods with `network.driver: cni` need it). */
  readonly cni?: PodCniOptions;
  /** Timers and time (health checks, back-off, reconcile); default the system clock. */
  readonly clock?: HealthClock;
  /** BCS_NODE_IP; default the seed's rule (eth1, eth0, first private IPv4). */
  readonly nodeIp?: string;
  /** Default 30 s. */
  readonly reconcileIntervalMs?: number;
  /** Whether a creator process is alive (tests); default: /proc on this host. */
  readonly isCreatorAlive?: (id: CreatorId) => boolean;
}

export class EngineCore {
  readonly ctx: EngineContext;
  readonly #options: CreateEngineOptions;
  readonly #watcher: EventWatcher;
  #connection: ConnectionState;
  #syncing: Promise<void> | undefined;
  #cancelReconcile: (() => void) | undefined;
  #firstConnect = true;
  #closed = false;

  constructor(options: CreateEngineOptions) {
    this.#options = options;
    const {runtime} = options;
    const clock = options.clock ?? systemClock;
    const bus = new EngineEventBus();
    const activity = new ActivityLog(bus, () => clock.now());
    const specs = new SpecCache();
    const podIps = new Map<string, string>();
    this.#connection = {connected: false, endpoint: runtime.endpoint, apiVersion: ''};
    const cache = new ContainerCache(runtime, (change) => this.#onChange(change));
    const health = new HealthSupervisor({
      runtime,
      clock,
      onVerdict: (id, previous) => this.#onVerdict(id, previous),
      onThreshold: (id, target) => void this.#onThreshold(id, target),
    });
    const restarts: RestartSupervisor = new RestartSupervisor({
      runtime,
      clock,
      activity,
      snapshot: (pod) => tracker.snapshot(pod),
      busy: (pod) => tracker.busy(pod),
      refresh: (id, action) => cache.refresh(id, action),
      restarted: (id) => health.reset(id),
    });
    const viewDeps: ViewDeps = {
      health: (id) => health.view(id),
      extraRestarts: (id) => restarts.extraRestarts(id),
      knownPodIp: (pod) => podIps.get(pod),
    };
    const tracker: PodTracker = new PodTracker({cache, bus, specs, viewDeps});
    this.ctx = {
      runtime,
      clock,
      cni: options.cni,
      nodeIp: options.nodeIp ?? detectNodeIp(),
      bus,
      activity,
      cache,
      specs,
      tracker,
      health,
      restarts,
      podIps,
      sync: (signal) => this.sync(signal),
      refreshPod: async (_name, ids) => {
        await Promise.all(ids.map((id) => cache.refresh(id, 'reconcile')));
      },
    };
    this.#watcher = new EventWatcher({
      runtime,
      clock,
      onEvent: (event) => this.#onEvent(event),
      onConnected: (apiVersion) => this.#onConnected(apiVersion),
      onDisconnected: (error) => {
        this.#setConnection({
          connected: false,
          endpoint: runtime.endpoint,
          apiVersion: this.#connection.apiVersion,
          error: error.message,
        });
      },
    });
    this.#watcher.start();
    this.#scheduleReconcile();
  }

  connection(): ConnectionState {
    return this.#connection;
  }

  /**
  A resync of the cache; callers arriving while one runs share it. The shared list is bounded by its own deadline
  rather than by one caller's signal, so one caller cancelling does not fail the others.
  */
  async sync(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    this.#syncing ??= this.ctx.cache.resync(sharedDeadline(SYNC_TIMEOUT_MS)).finally(() => {
      this.#syncing = undefined;
    });
    await this.#syncing;
    throwIfAborted(signal);
  }

  /** Resync, then the crash rule and the restart policy on every pod. */
  async reconcile(signal?: AbortSignal): Promise<void> {
    await this.sync(signal);
    const {tracker} = this.ctx;
    for (const name of this.ctx.cache.pods()) {
      const snapshot = tracker.snapshot(name);
      if (snapshot === undefined || tracker.busy(name)) continue;
      const decision = halfCreatedDecision(snapshot, this.ctx.clock.now(), this.#options.isCreatorAlive);
      if (decision.rollback) {
        this.ctx.activity.add({
          level: 'warn',
          source: 'engine',
          pod: name,
          message: `rolling back half-created pod ${name}: ${decision.reason}`,
        });
        await rollBackPod(this.ctx, snapshot).catch((error: unknown) => {
          this.ctx.activity.add({
            level: 'error',
            source: 'engine',
            pod: name,
            message: `rolling back ${name} failed: ${toEngineError(error).message}`,
          });
        });
        continue;
      }
      this.ctx.restarts.evaluate(name);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelReconcile?.();
    await this.#watcher.stop();
    this.ctx.health.stopAll();
    this.ctx.restarts.close();
  }

  #setConnection(state: ConnectionState): void {
    const previous = this.#connection;
    this.#connection = state;
    if (previous.connected !== state.connected || previous.error !== state.error) {
      this.ctx.bus.emit('engine:connection', state);
    }
  }

  async #onConnected(apiVersion: string): Promise<void> {
    const first = this.#firstConnect;
    this.#firstConnect = false;
    if (first && this.#options.reconcileOnStart !== false) await this.reconcile();
    else await this.sync();
    this.#setConnection({connected: true, endpoint: this.ctx.runtime.endpoint, apiVersion});
  }

  #scheduleReconcile(): void {
    if (this.#closed) return;
    this.#cancelReconcile = this.ctx.clock.schedule(() => {
      void this.reconcile()
        .catch(() => undefined)
        .finally(() => this.#scheduleReconcile());
    }, this.#options.reconcileIntervalMs ?? RECONCILE_INTERVAL_MS);
  }

  #onEvent(event: RuntimeEvent): void {
    const member = readMemberLabels(event.attributes);
    if (member === undefined) return;
    this.#reportDocker(event, member.pod, member.container);
    // `kill` only announces the `die` that follows; inspecting twice would be wasted.
    if (event.action === 'kill') return;
    const action = event.action.startsWith('health_status') ? 'health_status' : event.action;
    void this.ctx.cache.refresh(event.id, action);
  }

  #reportDocker(event: RuntimeEvent, pod: string, container: string): void {
    const where = `${pod}/${container}`;
    const {attributes} = event;
    let message: string | undefined;
    let level: 'info' | 'warn' | 'error' = 'info';
    switch (event.action) {
      case 'die': {
        const code = attributes.exitCode ?? '?';
        message = `${where} exited with ${code}`;
        if (code !== '0') level = 'warn';
        break;
      }
      case 'oom':
        message = `${where} ran out of memory (OOM kill)`;
        level = 'error';
        break;
      case 'destroy':
        message = `${where} was removed`;
        break;
      case 'start':
        message = `${where} started`;
        break;
      case 'kill':
        message = `${where} got signal ${attributes.signal ?? '?'}`;
        break;
      default:
        return;
    }
    this.ctx.activity.add({level, source: 'docker', pod, container, message});
  }

  #onChange(change: ContainerChange): void {
    const {ctx} = this;
    ctx.tracker.onChange(change);
    if (change.current === undefined) {
      ctx.restarts.forget(change.id);
      ctx.health.sync(change.id, undefined, undefined);
    }
    const snapshot = ctx.tracker.snapshot(change.pod);
    if (snapshot !== undefined) this.#syncHealth(snapshot);
    ctx.restarts.evaluate(change.pod);
  }

  /** Every app's checker in line with its state and the pod's current address. */
  #syncHealth(snapshot: PodSnapshot): void {
    const {ctx} = this;
    const ip = podIpOf(snapshot, {
      health: () => null,
      extraRestarts: () => 0,
      knownPodIp: (pod) => ctx.podIps.get(pod),
    });
    const network = snapshot.spec === undefined ? undefined : networkOf(snapshot.spec);
    // Bridge and user networks: the infra's address is reachable from the host; host and none have none.
    const local =
      network === undefined ||
      (network.driver === 'docker' && (network.name === 'host' || network.name === 'none'));
    const host = local || ip === '' ? '127.0.0.1' : ip;
    appSlots(snapshot).forEach((slot, index) => {
      if (slot.details === undefined) return;
      const entry = snapshot.spec?.containers.find((container) => container.name === slot.name);
      const target: HealthTarget | undefined =
        entry?.healthCheck === undefined
          ? undefined
          : {
              pod: snapshot.name,
              name: slot.name,
              spec: toHealthCheckSpec(entry.healthCheck),
              host,
              path: `${indexPath('containers', index)}.healthCheck`,
            };
      ctx.health.sync(slot.details.id, slot.details, target);
    });
  }

  #onVerdict(id: string, previous: boolean | null): void {
    const {ctx} = this;
    const view = ctx.tracker.containerView(id);
    if (view === undefined) return;
    ctx.bus.emit('container:health', {pod: view.pod, container: view, previous});
    if (view.healthy !== null) {
      ctx.activity.add({
        level: view.healthy ? 'info' : 'warn',
        source: 'engine',
        pod: view.pod,
        container: view.name,
        message: `${view.pod}/${view.name} is ${view.healthy ? 'healthy' : 'unhealthy'}`,
      });
    }
    ctx.tracker.notifyPod(view.pod);
  }

  async #onThreshold(id: string, target: HealthTarget): Promise<void> {
    const {ctx} = this;
    if (target.spec.action !== 'restart' || ctx.tracker.busy(target.pod)) return;
    const spec = ctx.tracker.snapshot(target.pod)?.spec;
    // Counted before the restart: its `start` event may be reported before the call returns.
    ctx.restarts.countRestart(id);
    try {
      await ctx.runtime.restartContainer(id, {timeoutSeconds: graceOf(spec, target.name)});
      ctx.health.reset(id);
      ctx.activity.add({
        level: 'warn',
        source: 'engine',
        pod: target.pod,
        container: target.name,
        message: `restarted ${target.pod}/${target.name}: health check failed ${target.spec.consecutiveFailures} times`,
      });
    } catch (error) {
      ctx.restarts.countRestart(id, -1);
      ctx.activity.add({
        level: 'error',
        source: 'engine',
        pod: target.pod,
        container: target.name,
        message: `restarting unhealthy ${target.pod}/${target.name} failed: ${toEngineError(error).message}`,
      });
    }
    await ctx.cache.refresh(id, 'restart');
  }
}
