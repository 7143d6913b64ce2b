/**
The engine's moving parts wired together: the container cache fed by the one event stream, the pod tracker
that turns changes into events, the health and restart supervisors, the supervisor lease, the connection
state, and reconciling (a resync, and the crash rule for half-created pods while supervising) on every
(re)connect and every 30 s. While connected, the cache is current (the stream keeps it so), and reads are
served from it without asking Docker.
*/
import {throwIfAborted, toEngineError} from '../errors.js';
import {ActivityLog} from '../events/activity-log.js';
import {EngineEventBus} from '../events/event-bus.js';
import {reportDocker} from '../events/docker-activity.js';
import {EventWatcher} from '../events/watcher.js';
import {onThreshold, onVerdict, syncHealth} from './engine-health.js';
import {systemClock} from '../health/clock.js';
import {readMemberLabels} from '../pod/labels.js';
import {detectNodeIp} from '../pod/node-ip.js';
import type {ContainerDetails, RuntimeEvent} from '../runtime/port.js';
import {ContainerCache, type ContainerChange} from './container-cache.js';
import type {EngineContext} from './context.js';
import type {CreateEngineOptions} from './engine-options.js';
import {HealthSupervisor} from './health-supervisor.js';
import {PodTracker} from './pod-tracker.js';
import {RestartSupervisor, TAKEOVER_WINDOW_MS} from './restart-supervisor.js';
import {ResyncQueue} from './resync-queue.js';
import {SpecCache} from './spec-cache.js';
import {applyCrashRule, releaseNetwork, UnattendedRemovals} from './supervisor-chores.js';
import {leaseNameFor, observingLease, socketLease, type SupervisorLease} from './supervisor-lease.js';

import {Supervision, type SupervisorRole} from './supervision.js';
import type {ConnectionState} from './types.js';
import type {ViewDeps} from './views.js';

/** The slow reconcile's period. */
export const RECONCILE_INTERVAL_MS = 30_000;

export type {CreateEngineOptions} from './engine-options.js';

/** The engine's lease: the given one or the endpoint's socket, only observed when it must not supervise. */
function leaseOf(options: CreateEngineOptions, endpoint: string): SupervisorLease {
  const lease = options.supervisorLease ?? socketLease(leaseNameFor(endpoint));
  return options.supervise === false ? observingLease(lease) : lease;
}

export class EngineCore {
  readonly ctx: EngineContext;
  readonly #options: CreateEngineOptions;
  readonly #watcher: EventWatcher;
  readonly #supervision: Supervision;
  #connection: ConnectionState;
  /** When Docker last reported `oom` for a container (ms): its inspect can lose the flag (see ViewDeps). */
  readonly #oomAt = new Map<string, number>();
  readonly #resyncs: ResyncQueue;
  /** Containers removed while observing: a takeover runs their CNI DEL. */
  readonly #unattended = new UnattendedRemovals(TAKEOVER_WINDOW_MS);
  #cancelReconcile: (() => void) | undefined;
  #firstConnect = true;
  #tookOver = false;
  #closed = false;

  constructor(options: CreateEngineOptions) {
    this.#options = options;
    const {runtime} = options;
    const clock = options.clock ?? systemClock;
    const bus = new EngineEventBus();
    const activity = new ActivityLog(bus, () => clock.now());
    const specs = new SpecCache();
    const podIps = new Map<string, string>();
    this.#connection = {
      connected: false,
      endpoint: runtime.endpoint,
      apiVersion: '',
      supervisor: 'observing',
    };
    const supervision = new Supervision({
      lease: leaseOf(options, runtime.endpoint),
      clock,
      holder: {suspend: (pod) => this.ctx.restarts.hold(pod)},
      onChange: (role) => this.#onRole(role),
      onError: (error) => {
        activity.add({
          level: 'warn',
          source: 'engine',
          message: `taking the supervisor lease failed: ${toEngineError(error).message}`,
        });
      },
    });
    this.#supervision = supervision;
    const cache = new ContainerCache(runtime, (change) => this.#onChange(change));
    this.#resyncs = new ResyncQueue((signal) => cache.resync(signal));
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
      pods: () => cache.pods(),
      busy: (pod) => tracker.busy(pod),
      supervising: () => supervision.supervising,
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
      supervising: () => supervision.supervising,
      holdReactions: async (pod, signal) => {
        await restarts.supersede(pod);
        return supervision.suspendElsewhere(pod, signal);
      },
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
          supervisor: supervision.role,
          error: error.message,
        });
      },
    });
    this.#watcher.start();
    supervision.start();
    this.#scheduleReconcile();
  }

  connection(): ConnectionState {
    return this.#connection;
  }

  /**
  A resync of the cache, listed after the call: callers arriving while one runs share the one that follows it.
  The shared list is bounded by its own deadline rather than by one caller's signal, so one caller cancelling
  does not fail the others.
  */
  async sync(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    await this.#resyncs.request();
    throwIfAborted(signal);
  }

  /**
  Makes the cache fit to answer a read: nothing while connected (the event stream keeps it current, the slow
  reconcile is the safety net), a resync before the first connect and while disconnected.
  */
  async current(signal?: AbortSignal): Promise<boolean> {
    if (this.#connection.connected) {
      throwIfAborted(signal);
      return true;
    }
    await this.sync(signal);
    return false;
  }

  /** Resync, then (while supervising) the crash rule on every pod. */
  async reconcile(signal?: AbortSignal): Promise<void> {
    await this.sync(signal);
    if (this.#supervision.supervising) await applyCrashRule(this.ctx, this.#options.isCreatorAlive);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelReconcile?.();
    this.ctx.restarts.close();
    await this.#watcher.stop();
    this.ctx.health.stopAll();
    // Last: another engine takes over only once this one stopped acting.
    await this.#supervision.close();
  }

  #setConnection(state: ConnectionState): void {
    const previous = this.#connection;
    this.#connection = state;
    if (
      previous.connected !== state.connected ||
      previous.error !== state.error ||
      previous.supervisor !== state.supervisor
    ) {
      this.ctx.bus.emit('engine:connection', state);
    }
  }

  /** Took the lease: say so, then catch up (resync, the crash rule, the exits seen while observing). */
  #onRole(role: SupervisorRole): void {
    if (this.#closed) return;
    const {endpoint} = this.ctx.runtime;
    this.ctx.activity.add({
      level: 'info',
      source: 'engine',
      message: `${role} the pods of ${endpoint} (lease ${this.#supervision.leaseName})`,
    });
    this.#setConnection({...this.#connection, supervisor: role});
    if (role !== 'supervising') return;
    // A process that asked for no crash rule at start (a headless command) gets none at its first takeover.
    const crashRule = this.#options.reconcileOnStart !== false || this.#tookOver;
    this.#tookOver = true;
    for (const {pod, previous} of this.#unattended.take(this.ctx.clock.now())) {
      void releaseNetwork(this.ctx, pod, previous);
    }
    void (crashRule ? this.reconcile() : this.sync())
      .catch(() => undefined)
      .then(() => this.ctx.restarts.takeOver());
  }

  async #onConnected(apiVersion: string): Promise<void> {
    const first = this.#firstConnect;
    this.#firstConnect = false;
    if (first && this.#options.reconcileOnStart !== false) await this.reconcile();
    else await this.sync();
    this.#setConnection({
      connected: true,
      endpoint: this.ctx.runtime.endpoint,
      apiVersion,
      supervisor: this.#supervision.role,
    });
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

  /** A container went: a cni infra gets its CNI DEL from the supervisor, now or when one takes over. */
  #removed(pod: string, previous: ContainerDetails): void {
    if (this.ctx.supervising()) void releaseNetwork(this.ctx, pod, previous);
    else this.#unattended.add(pod, previous, this.ctx.clock.now());
  }

  #onChange(change: ContainerChange): void {
    const {ctx} = this;
    ctx.tracker.onChange(change);
    if (change.current === undefined) {
      ctx.restarts.forget(change.id);
      ctx.health.sync(change.id, undefined, undefined);
      this.#oomAt.delete(change.id);
      if (change.previous !== undefined) this.#removed(change.pod, change.previous);
    }
    const snapshot = ctx.tracker.snapshot(change.pod);
    if (snapshot !== undefined) syncHealth(ctx, snapshot);
    ctx.restarts.onChange(change);
  }
}
