/**
The engine's health checkers: one HealthChecker per app container whose spec has a health check, started when
the container runs, paused while it is paused, stopped when it stops or goes. http and tcp probes target the
pod IP (bridge and user networks: the infra's address, reachable from the host; cni: the CNI address; host
network: 127.0.0.1); command probes run in the container through execCommand.
*/
import {execCommand} from '../container/exec-command.js';
import type {HealthCheckState, HealthCheckStatus, HealthThresholdEvent} from '../health/checker-types.js';
import type {HealthChecker} from '../health/checker.js';
import type {HealthClock} from '../health/clock.js';
import type {CommandRunner} from '../health/command-probe.js';
import {createHealthChecker} from '../health/from-spec.js';
import type {ContainerDetails, ContainerRuntime} from '../runtime/port.js';
import type {HealthCheckSpec} from '../task/types.js';
import type {HealthView} from './types.js';

/** Output kept of a command probe (the checker keeps only a summary anyway). */
const COMMAND_OUTPUT_BYTES = 4096;

/** One container's health check and where its probes go. */
export interface HealthTarget {
  readonly pod: string;
  /** Spec name of the container. */
  readonly name: string;
  readonly spec: HealthCheckSpec;
  /** Where http and tcp probes connect. */
  readonly host: string;
  /** Spec path for validation messages. */
  readonly path: string;
}

/** The runtime and clock checkers run on, and what the supervisor reports to. */
export interface HealthSupervisorDeps {
  readonly runtime: ContainerRuntime;
  readonly clock: HealthClock;
  /** The verdict changed (null: no decision yet). */
  readonly onVerdict: (id: string, previous: boolean | null, current: boolean | null) => void;
  /** The failure threshold was reached. */
  readonly onThreshold: (id: string, target: HealthTarget, event: HealthThresholdEvent) => void;
}

interface Entry {
  readonly checker: HealthChecker;
  readonly target: HealthTarget;
  readonly unsubscribe: () => void;
}

/** A checker status as a view's `healthy`: null while nothing is decided. */
export function verdictOf(status: HealthCheckStatus): boolean | null {
  return status === 'starting' ? null : status === 'healthy';
}

function toView(spec: HealthCheckSpec, state: HealthCheckState): HealthView {
  return {
    type: spec.type,
    status: state.status,
    consecutiveFailures: state.consecutiveFailures,
    totalFailures: state.totalFailures,
    totalChecks: state.totalChecks,
    history: state.history.map((record) => ({
      at: new Date(record.at).toISOString(),
      ok: record.ok,
      output: record.output,
      durationMs: record.durationMs,
    })),
  };
}

/** One checker per checked container (see the module comment). */
export class HealthSupervisor {
  readonly #deps: HealthSupervisorDeps;
  readonly #entries = new Map<string, Entry>();
  /** One view per checker state: the checker keeps its state object until it changes, so views stay equal too. */
  readonly #views = new WeakMap<HealthCheckState, HealthView>();

  constructor(deps: HealthSupervisorDeps) {
    this.#deps = deps;
  }

  /** A command runner in container `id`, with the probe's timeout and cancellation. */
  runnerFor(id: string): CommandRunner {
    const {runtime} = this.#deps;
    return async (argv, options) => {
      const result = await execCommand(runtime, id, {
        cmd: argv,
        timeoutMs: Math.max(1, Math.round(options.timeoutMs)),
        maxOutputBytes: COMMAND_OUTPUT_BYTES,
        signal: options.signal,
      });
      return {
        exitCode: result.exitCode,
        output: `${result.stdout}${result.stderr}`,
        timedOut: result.timedOut,
      };
    };
  }

  /**
  Brings the checker of container `id` in line with its state: made on first need, started when it runs (and
  made anew when the probe target moved), paused while paused, stopped otherwise. `target` undefined (no
  check in the spec) or `details` undefined (gone) removes it.
  */
  sync(id: string, details: ContainerDetails | undefined, target: HealthTarget | undefined): void {
    let entry = this.#entries.get(id);
    if (details === undefined || target === undefined) {
      if (entry !== undefined) this.#drop(id, entry);
      return;
    }
    if (entry !== undefined && entry.target.host !== target.host) {
      this.#drop(id, entry);
      entry = undefined;
    }
    const status = details.state.status;
    if (entry === undefined) {
      if (status !== 'running' && status !== 'paused') return;
      entry = this.#create(id, target);
      if (entry === undefined) return;
    }
    const {checker} = entry;
    if (status === 'running') {
      if (!checker.state.running) checker.start();
      else if (checker.state.paused) checker.resume();
    } else if (status === 'paused') {
      checker.pause();
    } else {
      checker.stop();
    }
  }

  /** Starts over after a restart: grace period again, the failure streak cleared. */
  reset(id: string): void {
    this.#entries.get(id)?.checker.reset();
  }

  /** The check's view; the same object for as long as the check's state did not change. */
  view(id: string): HealthView | null {
    const entry = this.#entries.get(id);
    if (entry === undefined) return null;
    const {state} = entry.checker;
    let view = this.#views.get(state);
    if (view === undefined) {
      view = toView(entry.target.spec, state);
      this.#views.set(state, view);
    }
    return view;
  }

  stopAll(): void {
    for (const [id, entry] of this.#entries) this.#drop(id, entry);
  }

  #create(id: string, target: HealthTarget): Entry | undefined {
    let checker: HealthChecker;
    try {
      checker = createHealthChecker(target.spec, {
        host: target.host,
        runner: this.runnerFor(id),
        clock: this.#deps.clock,
        path: target.path,
      });
    } catch {
      // The spec was validated at create; a check that cannot be built now (a spec label edited by hand) is skipped.
      return undefined;
    }
    const unsubscribe = checker.onChange((event) => {
      if (event.type === 'status') {
        const previous = verdictOf(event.previous);
        const current = verdictOf(event.status);
        if (previous !== current) this.#deps.onVerdict(id, previous, current);
      } else if (event.type === 'threshold') {
        this.#deps.onThreshold(id, target, event);
      }
    });
    const entry = {checker, target, unsubscribe};
    this.#entries.set(id, entry);
    return entry;
  }

  #drop(id: string, entry: Entry): void {
    entry.checker.stop();
    entry.unsubscribe();
    this.#entries.delete(id);
  }
}
