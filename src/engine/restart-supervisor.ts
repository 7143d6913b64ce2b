/**
The engine's part of the restart policy (docs/pods.md, "Restart policy" and "Supervision"). Docker restarts
what exits under on-failure/always by itself; the engine adds:

- Never: when an app exits, the other apps are stopped (never-policy.ts).
- OnFailure/Always: an app stopped out of band (`docker stop`/`docker kill`, after which Docker restarts
  nothing) is started again when the policy says so, with back-off: 1 s doubling to 30 s per container, the
  streak forgotten once a run lasted 10 s. A container whose Docker policy the engine withdrew (`no`: a
  deliberate stop) is left alone, whichever process stopped it.

A reaction fires only on an app's own exit, seen as it happened (a `die`/`oom` event, or a run this engine saw
running found ended), never on a pod's derived state: a pod half-way through another engine's start (one app
up, another still exited from before) is not a failure. Only the engine holding the supervisor lease reacts;
one that observes keeps the exits it saw and catches up on the recent ones when it takes over, and restarts
the recent exits of OnFailure/Always apps it never saw (a holder that saw them went away first). Reactions of a
pod run one at a time; a start of the pod by this engine supersedes them (pending ones are dropped, the one
under way stops before its next step), and each re-checks Docker before acting (see exit-runs.ts).

Restarts made here are counted in memory and added to Docker's RestartCount in views.
*/
import {toEngineError} from '../errors.js';
import type {ActivityLog} from '../events/activity-log.js';
import type {HealthClock} from '../health/clock.js';
import {policyRestarts} from '../pod/derive-status.js';
import {readMemberLabels} from '../pod/labels.js';
import {memberState} from '../pod/member-state.js';
import type {ContainerDetails, ContainerRuntime} from '../runtime/port.js';
import type {ContainerChange} from './container-cache.js';
import {exitRecordOf, stillEnded, UP, type ExitRecord} from './exit-runs.js';
import {stopOthersAfterExit} from './never-policy.js';
import {restartPolicyOf, type PodSnapshot} from './views.js';

/** The engine's restart back-off: 1 s, doubling, at most 30 s. */
export const RESTART_BACKOFF_INITIAL_MS = 1_000;
export const RESTART_BACKOFF_MAX_MS = 30_000;
/** A run at least this long resets the back-off. */
export const RESTART_BACKOFF_RESET_MS = 10_000;
/** Exits seen while observing that a takeover still reacts to (older ones had a supervisor to see them). */
export const TAKEOVER_WINDOW_MS = 30_000;
/** How long a takeover waits before it reacts to what it saw while observing (see {@link RestartSupervisor.takeOver}). */
export const TAKEOVER_SETTLE_MS = 500;
/** Runs remembered as reacted to (a replayed `die` is not reacted to twice). */
const HANDLED_RUNS = 2_000;

/** What the supervisor reads and calls. */
export interface RestartSupervisorDeps {
  readonly runtime: ContainerRuntime;
  readonly clock: HealthClock;
  readonly activity: ActivityLog;
  /** The pod as the cache knows it now. */
  readonly snapshot: (pod: string) => PodSnapshot | undefined;
  /** Every pod the cache knows. */
  readonly pods: () => readonly string[];
  /** An operation of this process is in flight on the pod (create, start, stop, remove). */
  readonly busy: (pod: string) => boolean;
  /** Whether this engine holds the supervisor lease (only then does it react). */
  readonly supervising: () => boolean;
  /** Re-inspects a container (serialized with the event path). */
  readonly refresh: (id: string, action: string) => Promise<ContainerDetails | undefined>;
  /** After the engine restarted a container (health checkers start over). */
  readonly restarted: (id: string) => void;
}

interface Timer {
  readonly pod: string;
  readonly cancel: () => void;
}

function runMs(record: ExitRecord): number {
  const started = Date.parse(record.startedAt);
  return Number(record.endedAtNs / 1_000_000n) - started;
}

/** The engine's side of the restart policy (see the module comment). */
export class RestartSupervisor {
  readonly #deps: RestartSupervisorDeps;
  readonly #attempts = new Map<string, number>();
  readonly #timers = new Map<string, Timer>();
  readonly #extra = new Map<string, number>();
  /** Runs already reacted to (or left to an operation of this engine), oldest first. */
  readonly #handled = new Set<string>();
  /** Exits seen while observing, for a takeover. */
  #unattended: ExitRecord[] = [];
  /** Per pod: the reactions, one after the other. */
  readonly #chains = new Map<string, Promise<void>>();
  /** Per pod: bumped by every start of this engine; a reaction from an older epoch does nothing more. */
  readonly #epochs = new Map<string, number>();
  /** Per pod: starts of other engines under way (see {@link hold}); the pod is theirs meanwhile. */
  readonly #held = new Map<string, number>();
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
    this.#timers.get(id)?.cancel();
    this.#timers.delete(id);
    this.#attempts.delete(id);
    this.#extra.delete(id);
  }

  /** Looks at one change of the cache for an app's exit, and reacts to it (see the module comment). */
  onChange(change: ContainerChange): void {
    const {current, previous, action, pod} = change;
    if (this.#closed || current === undefined) return;
    const member = readMemberLabels(current.labels);
    if (member?.role !== 'app') return;
    // Its own transition: Docker said it exited, or this engine saw this very container running before.
    const seenEnding = action === 'die' || action === 'oom' || UP.has(previous?.state.status ?? '');
    if (!seenEnding) return;
    const record = exitRecordOf(pod, member.container, current, this.#deps.clock.now());
    if (record === undefined || !this.#remember(`${record.id}@${record.startedAt}`)) return;
    // An operation on the pod is under way (of this engine, or another's start): it decides.
    if (this.#deps.busy(pod) || this.#held.has(pod)) return;
    if (!this.#deps.supervising()) {
      this.#unattended.push(record);
      this.#unattended = this.#unattended.filter(
        (entry) => record.seenAt - entry.seenAt <= TAKEOVER_WINDOW_MS,
      );
      return;
    }
    this.#react(record);
  }

  /**
  This engine took the lease: reacts to the exits it saw while nobody it knows of supervised, and to the recent
  restart-policy exits it never saw ({@link #unseenExits}), after
  {@link TAKEOVER_SETTLE_MS}: a start another engine had the old holder hold off is asked of this engine again
  when the old holder goes, and that request must land before a reaction to what the start is undoing.
  */
  takeOver(): void {
    const now = this.#deps.clock.now();
    const seen = this.#unattended.filter((record) => now - record.seenAt <= TAKEOVER_WINDOW_MS);
    this.#unattended = [];
    const recent = [...seen, ...this.#unseenExits(now)];
    if (recent.length === 0) return;
    const epochs = new Map(recent.map((record) => [record.pod, this.#epoch(record.pod)]));
    this.#deps.clock.schedule(() => {
      for (const record of recent) {
        if (this.#closed || !this.#deps.supervising()) return;
        // A start (of this engine, or one held meanwhile) since the takeover: the start decided.
        if (this.#epoch(record.pod) !== epochs.get(record.pod)) continue;
        if (!this.#deps.busy(record.pod) && !this.#held.has(record.pod)) this.#react(record);
      }
    }, TAKEOVER_SETTLE_MS);
  }

  /**
  Exits of OnFailure/Always apps in the last {@link TAKEOVER_WINDOW_MS} that this engine never saw happen: it
  started after them, while a holder that went away before restarting them supervised (a process that lived
  through them saw them, and reacts at its own takeover, but it may not be the one that takes over). Found in
  the cache, by Docker's FinishedAt against the wall clock. Only restarts come of them, never Never's stops: a
  restart of an app another engine is starting anyway is harmless, a stop is not.
  */
  #unseenExits(now: number): ExitRecord[] {
    const wallNow = Date.now();
    return this.#deps.pods().flatMap((pod) => {
      const snapshot = this.#deps.snapshot(pod);
      if (snapshot === undefined || restartPolicyOf(snapshot) === 'Never') return [];
      return snapshot.apps.flatMap((details) => {
        const member = readMemberLabels(details.labels);
        const record = member === undefined ? undefined : exitRecordOf(pod, member.container, details, now);
        if (record === undefined) return [];
        const endedMs = Number(record.endedAtNs / 1_000_000n);
        if (wallNow - endedMs > TAKEOVER_WINDOW_MS) return [];
        return this.#remember(`${record.id}@${record.startedAt}`) ? [record] : [];
      });
    });
  }

  /**
  A start of `pod` by this engine supersedes every reaction to what came before it: pending restarts are
  dropped, the reaction under way stops before its next step. Resolves once no reaction of the pod runs.
  */
  async supersede(pod: string): Promise<void> {
    this.#epochs.set(pod, this.#epoch(pod) + 1);
    for (const [id, timer] of this.#timers) {
      if (timer.pod !== pod) continue;
      timer.cancel();
      this.#timers.delete(id);
    }
    await this.#chains.get(pod);
  }

  /**
  Another engine is about to start `pod`: as {@link supersede}, and no reaction on the pod until the returned
  function is called (the start, like one of this engine, decides about what happens meanwhile).
  */
  async hold(pod: string): Promise<() => void> {
    this.#held.set(pod, (this.#held.get(pod) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.#held.get(pod) ?? 1) - 1;
      if (left > 0) this.#held.set(pod, left);
      else this.#held.delete(pod);
    };
    await this.supersede(pod);
    return release;
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
  }

  #remember(run: string): boolean {
    if (this.#handled.has(run)) return false;
    this.#handled.add(run);
    if (this.#handled.size > HANDLED_RUNS) {
      const oldest = this.#handled.values().next().value;
      if (oldest !== undefined) this.#handled.delete(oldest);
    }
    return true;
  }

  #epoch(pod: string): number {
    return this.#epochs.get(pod) ?? 0;
  }

  /** Whether a reaction begun in `epoch` may still act on `pod`. */
  #mayAct(pod: string, epoch: number): boolean {
    return (
      !this.#closed &&
      this.#deps.supervising() &&
      !this.#deps.busy(pod) &&
      !this.#held.has(pod) &&
      this.#epoch(pod) === epoch
    );
  }

  /** Runs `work` after the pod's reactions before it. */
  #enqueue(pod: string, work: () => Promise<void>): void {
    const chain = (this.#chains.get(pod) ?? Promise.resolve()).then(work).catch((error: unknown) => {
      this.#deps.activity.add({
        level: 'error',
        source: 'engine',
        pod,
        message: `reacting on pod ${pod}: ${toEngineError(error).message}`,
      });
    });
    this.#chains.set(pod, chain);
    void chain.then(() => {
      if (this.#chains.get(pod) === chain) this.#chains.delete(pod);
    });
  }

  #react(record: ExitRecord): void {
    const snapshot = this.#deps.snapshot(record.pod);
    if (snapshot === undefined) return;
    const epoch = this.#epoch(record.pod);
    const policy = restartPolicyOf(snapshot);
    if (policy === 'Never') {
      this.#enqueue(record.pod, () =>
        stopOthersAfterExit(this.#deps, record, () => this.#mayAct(record.pod, epoch)),
      );
      return;
    }
    const details = snapshot.apps.find((app) => app.id === record.id);
    if (details === undefined || details.state.status !== 'exited') return;
    if (!policyRestarts(policy, memberState(details)) || this.#timers.has(record.id)) return;
    this.#schedule(record, epoch);
  }

  #schedule(record: ExitRecord, epoch: number): void {
    let attempt = this.#attempts.get(record.id) ?? 0;
    if (runMs(record) >= RESTART_BACKOFF_RESET_MS) attempt = 0;
    const delay = Math.min(RESTART_BACKOFF_MAX_MS, RESTART_BACKOFF_INITIAL_MS * 2 ** attempt);
    this.#attempts.set(record.id, attempt + 1);
    const cancel = this.#deps.clock.schedule(() => {
      this.#timers.delete(record.id);
      this.#enqueue(record.pod, () => this.#restart(record, epoch));
    }, delay);
    this.#timers.set(record.id, {pod: record.pod, cancel});
  }

  async #restart(record: ExitRecord, epoch: number): Promise<void> {
    const {pod, id, name} = record;
    if (!this.#mayAct(pod, epoch)) return;
    const details = await this.#deps.refresh(id, 'reconcile');
    // Docker (or anyone) started it since: that run is not this reaction's.
    if (details === undefined || details.state.status !== 'exited' || !stillEnded(details, record)) return;
    const snapshot = this.#deps.snapshot(pod);
    if (snapshot?.infra?.state.status !== 'running') return;
    if (!policyRestarts(restartPolicyOf(snapshot), memberState(details)) || !this.#mayAct(pod, epoch)) return;
    // Counted before the start: its `start` event may be reported before the call returns.
    this.countRestart(id);
    try {
      const {changed} = await this.#deps.runtime.startContainer(id);
      if (!changed) {
        // Someone else started it first; the restart is theirs to count.
        this.countRestart(id, -1);
        return;
      }
      this.#deps.restarted(id);
      this.#deps.activity.add({
        level: 'info',
        source: 'engine',
        pod,
        container: name,
        message: `restarted ${pod}/${name} after exit ${record.exitCode}`,
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
