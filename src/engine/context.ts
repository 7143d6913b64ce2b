/**
What the engine's operations share: the runtime, the cache and tracker of pods, the supervisors, the bus and
activity log, and the settings given to createEngine. One object, built once by createEngine.
*/
import {isEngineError} from '../errors.js';
import type {ActivityLog} from '../events/activity-log.js';
import type {EngineEventBus} from '../events/event-bus.js';
import type {HealthClock} from '../health/clock.js';
import type {PodCniOptions} from '../pod/pod-config.js';
import type {ContainerRuntime} from '../runtime/port.js';
import type {ContainerCache} from './container-cache.js';
import type {HealthSupervisor} from './health-supervisor.js';
import type {PodTracker} from './pod-tracker.js';
import type {RestartSupervisor} from './restart-supervisor.js';
import type {SpecCache} from './spec-cache.js';

/** The engine's shared parts (see the module comment). */
export interface EngineContext {
  readonly runtime: ContainerRuntime;
  readonly clock: HealthClock;
  readonly cni: PodCniOptions | undefined;
  readonly nodeIp: string;
  readonly bus: EngineEventBus;
  readonly activity: ActivityLog;
  readonly cache: ContainerCache;
  readonly specs: SpecCache;
  readonly tracker: PodTracker;
  readonly health: HealthSupervisor;
  readonly restarts: RestartSupervisor;
  /** Pod IPs this process learned from CNI ADD (the CNI result is not in any label). */
  readonly podIps: Map<string, string>;
  /** Brings the cache up to date with Docker (a list; concurrent callers share one). */
  sync(signal?: AbortSignal): Promise<void>;
  /**
  Makes the cache fit for a read: nothing while the event stream is connected (true: served from memory),
  else a sync (false).
  */
  current(signal?: AbortSignal): Promise<boolean>;
  /** Whether this engine holds the supervisor lease (acts on its own initiative) or only observes. */
  supervising(): boolean;
  /**
  Before a start of `pod`: supersedes every reaction to what came before it, this engine's and (asked over the
  lease) the supervising engine's, and keeps the supervisor off the pod until the returned function is called.
  */
  holdReactions(pod: string, signal?: AbortSignal): Promise<() => void>;
  /**
  Re-inspects the given containers after the engine changed them, so its answer shows the result. Reported as
  `reconcile` (only when a status moved): Docker's own events carry the actions.
  */
  refreshPod(name: string, ids: readonly string[]): Promise<void>;
}

/**
A read of the cache (`read` throws NOT_FOUND on a miss), from memory while the event stream is connected. A
miss there is checked with Docker once: it may be something another process made a moment ago, whose events
are still on their way.
*/
export async function readCache<T>(
  ctx: EngineContext,
  signal: AbortSignal | undefined,
  read: () => T,
): Promise<T> {
  const fromMemory = await ctx.current(signal);
  try {
    return read();
  } catch (error) {
    if (!fromMemory || !isEngineError(error) || error.code !== 'NOT_FOUND') throw error;
    await ctx.sync(signal);
    return read();
  }
}

/** `{signal}` when there is one, `{}` otherwise (exactOptionalPropertyTypes). */
export function signalOption(signal: AbortSignal | undefined): {signal?: AbortSignal} {
  return signal === undefined ? {} : {signal};
}
