/**
The TUI's data plane, outside React: pods from engine events, a ring of activity, stats history per
container and the followed log lines. Mutations are cheap and frequent (one per event, sample or log line);
React sees one immutable snapshot per publish, at most every `publishIntervalMs` (200 ms), through
`useSyncExternalStore` (tui-anchors 6.3 item 4).
*/
import type {ConnectionState, ContainerView, LogLine, PodView, StatsView} from '../../src/index.js';
import type {ExecOutput, Message, StatsSeries, TuiSnapshot, UiActivity} from './snapshot.js';
import {withContainer} from './apply-event.js';
import {RingBuffer} from './ring-buffer.js';

export type * from './snapshot.js';

/** An RFC 3339 UTC time that sorts as text: the fraction padded to nanoseconds (Docker may trim zeros). */
export function sortableTs(ts: string): string {
  const match = /^(.*?:\d\d)(?:\.(\d+))?Z$/.exec(ts);
  return match === null ? ts : `${match[1] ?? ''}.${(match[2] ?? '').padEnd(9, '0')}Z`;
}

export interface TuiStoreOptions {
  readonly endpoint?: string;
  readonly publishIntervalMs?: number;
  readonly logCapacity?: number;
  readonly activityCapacity?: number;
  readonly statsHistory?: number;
}

/** The data store; see the module comment. */
export class TuiStore {
  readonly #publishIntervalMs: number;
  readonly #statsHistory: number;
  readonly #listeners = new Set<() => void>();
  readonly #pods = new Map<string, PodView>();
  readonly #stats = new Map<string, StatsSeries>();
  readonly #logs: RingBuffer<LogLine>;
  readonly #activity: RingBuffer<UiActivity>;
  #connection: ConnectionState;
  #serverVersion = '';
  #loaded = false;
  #logKey: string | null = null;
  #logEnded = false;
  #logError: string | null = null;
  /** A line older than the one before it arrived (merged pod logs send each container's tail in turn). */
  #logsUnordered = false;
  #lastLogTs = '';
  #exec: ExecOutput | null = null;
  #message: Message | null = null;
  #snapshot: TuiSnapshot;
  #sortedPods: readonly PodView[] = [];
  #podsChanged = false;
  #version = 0;
  // What changed since the last publish: the unchanged parts of the snapshot are reused as they are.
  #dirty = {stats: true, logs: true, activity: true};
  #timer: NodeJS.Timeout | undefined;
  #lastPublish = 0;

  constructor(options: TuiStoreOptions = {}) {
    this.#publishIntervalMs = options.publishIntervalMs ?? 200;
    this.#statsHistory = options.statsHistory ?? 120;
    this.#logs = new RingBuffer(options.logCapacity ?? 5000);
    this.#activity = new RingBuffer(options.activityCapacity ?? 500);
    this.#connection = {connected: false, endpoint: options.endpoint ?? '', apiVersion: ''};
    this.#snapshot = this.#build();
  }

  /** For useSyncExternalStore. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** For useSyncExternalStore: the last published snapshot (stable between publishes). */
  readonly getSnapshot = (): TuiSnapshot => this.#snapshot;

  /** Publishes pending changes now (tests, and the moment before a remount). */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#publish();
  }

  /** Stops the publish timer (the TUI is closing). */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
  }

  setConnection(connection: ConnectionState): void {
    this.#connection = connection;
    this.#changed();
  }

  setServerVersion(version: string): void {
    this.#serverVersion = version;
    this.#changed();
  }

  /** Replaces every pod (a fresh list from the engine). */
  setPods(pods: readonly PodView[]): void {
    this.#pods.clear();
    for (const pod of pods) this.#pods.set(pod.name, pod);
    this.#loaded = true;
    this.#podsChanged = true;
    this.#changed();
  }

  upsertPod(pod: PodView): void {
    this.#pods.set(pod.name, pod);
    this.#podsChanged = true;
    this.#changed();
  }

  removePod(name: string): void {
    const pod = this.#pods.get(name);
    if (pod === undefined) return;
    this.#pods.delete(name);
    for (const member of [pod.infra, ...pod.containers]) this.#stats.delete(member.id);
    this.#dirty.stats = true;
    this.#podsChanged = true;
    this.#changed();
  }

  /** Applies a container's new view to its pod; unknown pods wait for their own `pod:status`. */
  updateContainer(podName: string, container: ContainerView): void {
    const pod = this.#pods.get(podName);
    if (pod === undefined) return;
    const next = withContainer(pod, container);
    if (next === pod) return;
    this.#pods.set(podName, next);
    this.#podsChanged = true;
    this.#changed();
  }

  pushActivity(activity: UiActivity): void {
    this.#activity.push(activity);
    this.#dirty.activity = true;
    this.#changed();
  }

  pushStats(sample: StatsView): void {
    const previous = this.#stats.get(sample.containerId);
    const keep = this.#statsHistory - 1;
    this.#stats.set(sample.containerId, {
      latest: sample,
      cpu: [...(previous?.cpu.slice(-keep) ?? []), sample.cpuPercent],
      memory: [...(previous?.memory.slice(-keep) ?? []), sample.memoryBytes],
    });
    this.#dirty.stats = true;
    this.#changed();
  }

  /** Starts a new log stream: clears the lines when the key changes. */
  resetLogs(key: string | null): void {
    this.#logKey = key;
    this.#logs.clear();
    this.#logsUnordered = false;
    this.#lastLogTs = '';
    this.#logEnded = false;
    this.#logError = null;
    this.#dirty.logs = true;
    this.#changed();
  }

  /** Appends a line to the stream `key` (ignored when another stream has replaced it). */
  appendLog(key: string, line: LogLine): void {
    if (key !== this.#logKey) return;
    const ts = sortableTs(line.ts);
    if (ts < this.#lastLogTs) this.#logsUnordered = true;
    else this.#lastLogTs = ts;
    this.#logs.push(line);
    this.#dirty.logs = true;
    this.#changed();
  }

  endLogs(key: string, error: string | null): void {
    if (key !== this.#logKey) return;
    this.#logEnded = true;
    this.#logError = error;
    this.#dirty.logs = true;
    this.#changed();
  }

  setExec(exec: ExecOutput | null): void {
    this.#exec = exec;
    this.#changed();
  }

  setMessage(message: Message | null): void {
    this.#message = message;
    this.#changed();
  }

  #changed(): void {
    if (this.#timer !== undefined) return;
    const delay = Math.max(0, this.#lastPublish + this.#publishIntervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#publish();
    }, delay);
  }

  #publish(): void {
    this.#lastPublish = Date.now();
    this.#snapshot = this.#build();
    for (const listener of [...this.#listeners]) listener();
  }

  /** The lines by time; a stable sort keeps arrival order for equal times. */
  #orderedLogs(): LogLine[] {
    const lines = this.#logs.toArray();
    if (!this.#logsUnordered) return lines;
    return lines
      .map((line) => ({line, ts: sortableTs(line.ts)}))
      .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))
      .map((entry) => entry.line);
  }

  #build(): TuiSnapshot {
    if (this.#podsChanged) {
      this.#sortedPods = [...this.#pods.values()].sort((a, b) => a.name.localeCompare(b.name));
      this.#podsChanged = false;
    }
    const previous = this.#version === 0 ? undefined : this.#snapshot;
    const dirty = this.#dirty;
    this.#dirty = {stats: false, logs: false, activity: false};
    this.#version++;
    return {
      version: this.#version,
      connection: this.#connection,
      serverVersion: this.#serverVersion,
      loaded: this.#loaded,
      pods: this.#sortedPods,
      stats: previous === undefined || dirty.stats ? new Map(this.#stats) : previous.stats,
      logs:
        previous === undefined || dirty.logs
          ? {
              key: this.#logKey,
              lines: this.#orderedLogs(),
              dropped: this.#logs.pushed - this.#logs.size,
              ended: this.#logEnded,
              error: this.#logError,
            }
          : previous.logs,
      activity: previous === undefined || dirty.activity ? this.#activity.toArray() : previous.activity,
      exec: this.#exec,
      message: this.#message,
    };
  }
}
