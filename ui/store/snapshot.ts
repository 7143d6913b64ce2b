/** The store's snapshot and its parts: what React reads. */
import type {
  ConnectionState,
  EngineActivity,
  ExecResult,
  LogLine,
  PodView,
  StatsView,
} from '../../src/index.js';

/** An activity line: the engine's, Docker's, or one this TUI did (`tui`). */
export interface UiActivity {
  readonly at: string;
  readonly level: EngineActivity['level'];
  readonly source: EngineActivity['source'] | 'tui';
  readonly message: string;
  readonly pod?: string;
  readonly container?: string;
}

/** Recent samples of one container, for its row and the sparklines. */
export interface StatsSeries {
  readonly latest: StatsView;
  /** CPU %, oldest first. */
  readonly cpu: readonly number[];
  /** Memory bytes, oldest first. */
  readonly memory: readonly number[];
}

/** The log stream the detail pane follows. */
export interface LogState {
  /** What is followed (`pod:NAME` or `container:ID`), or null. */
  readonly key: string | null;
  readonly lines: readonly LogLine[];
  /** Lines dropped off the front of the ring. */
  readonly dropped: number;
  readonly ended: boolean;
  readonly error: string | null;
}

/** The output of the last one-off exec. */
export interface ExecOutput {
  readonly target: string;
  readonly command: string;
  /** null while it runs. */
  readonly result: ExecResult | null;
  readonly error: string | null;
}

/** The line above the footer: what the last action did, or why a key did nothing. */
export interface Message {
  readonly text: string;
  readonly level: 'info' | 'warn' | 'error';
}

export interface TuiSnapshot {
  /** Increases with every publish. */
  readonly version: number;
  readonly connection: ConnectionState;
  readonly serverVersion: string;
  /** True once a pod list has been read (an empty list then means "no pods", not "not loaded yet"). */
  readonly loaded: boolean;
  /** Sorted by name. */
  readonly pods: readonly PodView[];
  readonly stats: ReadonlyMap<string, StatsSeries>;
  readonly logs: LogState;
  readonly activity: readonly UiActivity[];
  readonly exec: ExecOutput | null;
  readonly message: Message | null;
}
