/**
The engine's moving parts wired together: the container cache fed by the one event stream, the pod tracker
that turns changes into events, the health and restart supervisors, the connection state, and reconciling
(a resync, the crash rule for half-created pods, the restart policy) on every (re)connect and every 30 s.
While connected, the cache is current (the stream keeps it so), and reads are served from it without asking
Docker.
*/
import {setMaxListeners} from 'node:events';
import {throwIfAborted, toEngineError} from '../errors.js';
import {ActivityLog} from '../events/activity-log.js';
import {EngineEventBus} from '../events/event-bus.js';
import {reportDocker} from '../events/docker-activity.js';
import {EventWatcher} from '../events/watcher.js';
import {onThreshold, onVerdict, syncHealth} from './engine-health.js';
import {systemClock, type HealthClock} from '../health/clock.js';
import type {CreatorId} from '../pod/creator.js';
import {readCniLabels, readMemberLabels} from '../pod/labels.js';
import {cniTeardown} from '../pod/pod-ops.js';
import {cniDel} from '../network/cni/cni-network.js';
import {detectNodeIp} from '../pod/node-ip.js';
import type {PodCniOptions} from '../pod/pod-config.js';
import type {ContainerDetails, ContainerRuntime, RuntimeEvent} from '../runtime/port.js';
import {ContainerCache, type ContainerChange} from './container-cache.js';
import type {EngineContext} from './context.js';
import type {EngineOptions} from './engine.js';
import {halfCreatedDecision} from './half-created.js';
import {HealthSupervisor} from './health-supervisor.js';
import {rollBackPod} from './rollback-pod.js';
import {PodTracker} from './pod-tracker.js';
import {RestartSupervisor} from './restart-supervisor.js';
import {SpecCache} from './spec-cache.js';
import type {ConnectionState} from './types.js';
import type {ViewDeps} from './views.js';

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

/** What createEngine takes. */
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
  /** When Docker last reported `oom` for a container (ms): its inspect can lose the flag (see ViewDeps). */
  readonly #oomAt = new Map<string, number>();
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
      onVerdict: (id, previous) => onVerdict(this.ctx, id, previous),
      onThreshold: (id, target) => void onThreshold(this.ctx, id, target),
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
      oomKilled: (details) => {
        const at = this.#oomAt.get(details.id);
        return at !== undefined && at >= Date.parse(details.state.startedAt);
      },
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
      current: (signal) => this.current(signal),
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

  /**
  Makes the cache fit to answer a read: nothing while connected (the event stream keeps it current, the slow
  reconcile is the safety net), a resync before the first connect and while disconnected.
  */
  async current(signal?: AbortSignal): Promise<void> {
    if (this.#connection.connected) {
      throwIfAborted(signal);
      return;
    }
    await this.sync(signal);
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
    reportDocker(this.ctx.activity, event, member.pod, member.container);
    if (event.action === 'oom') this.#oomAt.set(event.id, Number(event.timeNano / 1_000_000n));
    // `kill` only announces the `die` that follows; inspecting twice would be wasted.
    if (event.action === 'kill') return;
    const action = event.action.startsWith('health_status') ? 'health_status' : event.action;
    void this.ctx.cache.refresh(event.id, action);
  }

  #onChange(change: ContainerChange): void {
    const {ctx} = this;
    ctx.tracker.onChange(change);
    if (change.current === undefined) {
      ctx.restarts.forget(change.id);
      ctx.health.sync(change.id, undefined, undefined);
      this.#oomAt.delete(change.id);
      if (change.previous !== undefined) void this.#releaseNetwork(change.pod, change.previous);
    }
    const snapshot = ctx.tracker.snapshot(change.pod);
    if (snapshot !== undefined) syncHealth(ctx, snapshot);
    ctx.restarts.evaluate(change.pod);
  }

  /**
  A cni pod's infra removed behind the engine's back (`docker rm -f`) never got its CNI DEL: run it from the
  labels, so the IP lease and the host links are released. DEL is idempotent, so an engine's own removal (which
  already ran it) or several engines running it changes nothing.
  */
  async #releaseNetwork(pod: string, previous: ContainerDetails): Promise<void> {
    const {ctx} = this;
    const cni = readCniLabels(previous.labels);
    if (cni === undefined || readMemberLabels(previous.labels)?.role !== 'infra' || ctx.tracker.busy(pod))
      return;
    try {
      await cniTeardown(ctx.cni?.del ?? cniDel, {
        infraId: previous.id,
        infraPid: 0,
        cni,
        pluginDirs: ctx.cni?.pluginDirs,
        timeoutMs: ctx.cni?.timeoutMs,
      });
      ctx.activity.add({
        level: 'info',
        source: 'engine',
        pod,
        message: `released the CNI network ${cni.network} of removed pod ${pod}`,
      });
    } catch (error) {
      ctx.activity.add({
        level: 'warn',
        source: 'engine',
        pod,
        message: `CNI DEL for removed pod ${pod} failed: ${toEngineError(error).message}`,
      });
    }
  }
}
