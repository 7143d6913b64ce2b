/**
The engine's part of the restart policy (docs/pods.md, "Restart policy"). Docker restarts what exits under
on-failure/always by itself; the engine adds:

- Never: when an app exits, the other apps are stopped (reverse spec order, kill policies); the infra stays, so
  the failure can be inspected and logs read.
- OnFailure/Always: an app stopped out of band (`docker stop`/`docker kill`, after which Docker restarts
  nothing) is started again when the policy says so, with back-off: 1 s doubling to 30 s per container, the
  streak forgotten once a run lasted 10 s. A container whose Docker policy the engine withdrew (`no`: a
  deliberate stop) is left alone, whichever process stopped it.

Restarts made here are counted in memory and added to Docker's RestartCount in views.
*/
import {toEngineError} from '../errors.js';
import type {ActivityLog} from '../events/activity-log.js';
import type {HealthClock} from '../health/clock.js';
import {isZeroTime, policyRestarts} from '../pod/derive-status.js';
import {memberState} from '../pod/member-state.js';
import {stopApps} from '../pod/pod-ops.js';
import type {ContainerDetails, ContainerRuntime} from '../runtime/port.js';
import {stopMembers} from './pod-members.js';
import {appSlots, restartPolicyOf, type PodSnapshot} from './views.js';

/** The engine's restart back-off: 1 s, doubling, at most 30 s. */
export const RESTART_BACKOFF_INITIAL_MS = 1_000;
export const RESTART_BACKOFF_MAX_MS = 30_000;
/** A run at least this long resets the back-off. */
export const RESTART_BACKOFF_RESET_MS = 10_000;

/** What the supervisor reads and calls. */
export interface RestartSupervisorDeps {
  readonly runtime: ContainerRuntime;
  readonly clock: HealthClock;
  readonly activity: ActivityLog;
  /** The pod as the cache knows it now. */
  readonly snapshot: (pod: string) => PodSnapshot | undefined;
  /** An operation of this process is in flight on the pod (create, start, stop, remove). */
  readonly busy: (pod: string) => boolean;
  /** Re-inspects a container (serialized with the event path). */
  readonly refresh: (id: string, action: string) => Promise<ContainerDetails | undefined>;
  /** After the engine restarted a container (health checkers start over). */
  readonly restarted: (id: string) => void;
}

interface Backoff {
  attempt: number;
}

const DOWN = new Set(['exited', 'dead']);
const UP = new Set(['running', 'paused', 'restarting']);

function runMs(details: ContainerDetails): number {
  const {startedAt, finishedAt} = details.state;
  if (isZeroTime(startedAt) || isZeroTime(finishedAt)) return 0;
  return Date.parse(finishedAt) - Date.parse(startedAt);
}

/** The engine's side of the restart policy (see the module comment). */
export class RestartSupervisor {
  readonly #deps: RestartSupervisorDeps;
  readonly #backoff = new Map<string, Backoff>();
  readonly #timers = new Map<string, () => void>();
  readonly #extra = new Map<string, number>();
  readonly #enforcing = new Set<string>();
  #closed = false;

  constructor(deps: RestartSupervisorDeps) {
    this.#deps = deps;
  }

  /** Restarts this process made of container `id`. */
  extraRestarts(id: string): number {
    return this.#extra.get(id) ?? 0;
  }

  /** Counts a restart the engine made (health-check restarts included); -1 takes back one that failed. */
  countRestart(id: string, by: 1 | -1 = 1): void {
    this.#extra.set(id, this.extraRestarts(id) + by);
  }

  /** Container `id` is gone: forget its timers and counts. */
  forget(id: string): void {
    this.#timers.get(id)?.();
    this.#timers.delete(id);
    this.#backoff.delete(id);
    this.#extra.delete(id);
  }

  /** Applies the policy to `pod` as it is now; call after every change of one of its containers. */
  evaluate(pod: string): void {
    if (this.#closed || this.#deps.busy(pod)) return;
    const snapshot = this.#deps.snapshot(pod);
    if (snapshot?.infra === undefined || snapshot.infra.state.status !== 'running') return;
    const policy = restartPolicyOf(snapshot);
    const slots = appSlots(snapshot);
    if (policy === 'Never') {
      const failed = slots.find((slot) => slot.details !== undefined && DOWN.has(slot.details.state.status));
      const running = slots.some((slot) => slot.details !== undefined && UP.has(slot.details.state.status));
      if (failed !== undefined && running) void this.#stopOthers(pod, snapshot, failed.name);
      return;
    }
    for (const slot of slots) {
      const details = slot.details;
      if (details === undefined || details.state.status !== 'exited' || this.#timers.has(details.id))
        continue;
      if (!policyRestarts(policy, memberState(details))) continue;
      this.#schedule(pod, slot.name, details);
    }
  }

  close(): void {
    this.#closed = true;
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }

  async #stopOthers(pod: string, snapshot: PodSnapshot, failed: string): Promise<void> {
    if (this.#enforcing.has(pod)) return;
    this.#enforcing.add(pod);
    try {
      const members = stopMembers(snapshot).filter((member) => {
        const status = snapshot.apps.find((app) => app.id === member.id)?.state.status;
        return status !== undefined && UP.has(status);
      });
      this.#deps.activity.add({
        level: 'warn',
        source: 'engine',
        pod,
        container: failed,
        message: `pod ${pod} failed (container ${failed} exited, restart policy Never): stopping ${members.map((m) => m.name).join(', ')}`,
      });
      await stopApps(this.#deps.runtime, members, {});
      // Current before the next evaluation, which would otherwise still see them running and stop them again.
      await Promise.all(members.map((member) => this.#deps.refresh(member.id, 'reconcile')));
    } catch (error) {
      this.#deps.activity.add({
        level: 'error',
        source: 'engine',
        pod,
        message: `stopping pod ${pod}: ${toEngineError(error).message}`,
      });
    } finally {
      this.#enforcing.delete(pod);
    }
  }

  #schedule(pod: string, name: string, details: ContainerDetails): void {
    const backoff = this.#backoff.get(details.id) ?? {attempt: 0};
    if (runMs(details) >= RESTART_BACKOFF_RESET_MS) backoff.attempt = 0;
    const delay = Math.min(RESTART_BACKOFF_MAX_MS, RESTART_BACKOFF_INITIAL_MS * 2 ** backoff.attempt);
    backoff.attempt++;
    this.#backoff.set(details.id, backoff);
    const cancel = this.#deps.clock.schedule(() => {
      this.#timers.delete(details.id);
      void this.#restart(pod, name, details.id, details.state.exitCode);
    }, delay);
    this.#timers.set(details.id, cancel);
  }

  async #restart(pod: string, name: string, id: string, exitCode: number): Promise<void> {
    if (this.#closed || this.#deps.busy(pod)) return;
    const details = await this.#deps.refresh(id, 'reconcile');
    const snapshot = this.#deps.snapshot(pod);
    if (details === undefined || details.state.status !== 'exited') return;
    if (snapshot?.infra?.state.status !== 'running') return;
    if (!policyRestarts(restartPolicyOf(snapshot), memberState(details))) return;
    // Counted before the start: its `start` event may be reported before the call returns.
    this.countRestart(id);
    try {
      const {changed} = await this.#deps.runtime.startContainer(id);
      if (!changed) {
        // Another engine process (a TUI, an rpc server) got there first; the restart is its to count.
        this.countRestart(id, -1);
        return;
      }
      this.#deps.restarted(id);
      this.#deps.activity.add({
        level: 'info',
        source: 'engine',
        pod,
        container: name,
        message: `restarted ${pod}/${name} after exit ${exitCode}`,
      });
    } catch (error) {
      this.countRestart(id, -1);
      this.#deps.activity.add({
        level: 'error',
        source: 'engine',
        pod,
        container: name,
        message: `restarting ${pod}/${name} failed: ${toEngineError(error).message}`,
      });
    }
    await this.#deps.refresh(id, 'restart');
  }
}
