/** What the App needs from outside React: spec loading and the runner's terminal-level requests. */
import type {PodSpec} from '../src/index.js';
import type {Target, ViewState} from './model/view-state.js';

/** Where pod specs come from (the composition root wires the engine's spec parser). */
export interface SpecSources {
  /** Reads and validates a pod spec file (JSON or YAML); throws a VALIDATION EngineError listing every problem. */
  loadSpec(file: string): Promise<PodSpec>;
  /** The demo pod's spec (examples/demo.yaml). */
  demoSpec(): Promise<PodSpec>;
}

/** The runner's side of the TUI: what outlives one Ink mount. */
export interface TuiSession {
  /** The view state, saved on every change so a remount (after a shell) comes back where it was. */
  view: ViewState;
  /** Hands the terminal to an interactive shell in a container (unmounts Ink, remounts after). */
  requestShell(target: Target): void;
  /** Points the TUI at another engine endpoint. */
  switchHost(url: string): void;
  /** Ends the TUI. */
  quit(): void;
}
