/**
Renders the TUI's App with ink-testing-library against a FakeEngine, at a fixed size (the library's stdout
has no rows). Not a test file itself: the ui-*.test.tsx files use it.
*/
import type {ExecutionContext} from 'ava';
import {render} from 'ink-testing-library';
import type {PodSpec} from '../../src/index.js';
import {App} from '../../ui/components/App.js';
import type {ViewState} from '../../ui/model/view-state.js';
import {INITIAL_VIEW} from '../../ui/model/view-state.js';
import type {SpecSources, TuiSession} from '../../ui/session.js';
import {TuiStore} from '../../ui/store/tui-store.js';
import type {Target} from '../../ui/model/view-state.js';
import type {FakeEngine} from '../support/fake-engine.js';

export interface Harness {
  readonly engine: FakeEngine;
  readonly store: TuiStore;
  readonly session: TuiSession & {readonly shells: Target[]; readonly hosts: string[]; quits: number};
  readonly frame: () => string;
  /** Waits (bounded) until the frame matches, then asserts it does. */
  readonly see: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  /** Waits (bounded) until the frame does not match, then asserts it does not. */
  readonly notSee: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  /** Waits (bounded) until the condition holds, then asserts it. */
  readonly until: (condition: () => boolean, what: string, timeoutMs?: number) => Promise<void>;
  readonly press: (...keys: string[]) => Promise<void>;
  readonly settle: (ms?: number) => Promise<void>;
  readonly unmount: () => void;
}

export const KEYS = {
  down: '\u001B[B',
  up: '\u001B[A',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

export const demoSpec: PodSpec = {
  name: 'demo',
  containers: [
    {name: 'web', image: 'bcs-executor/demo:local'},
    {name: 'logger', image: 'bcs-executor/demo:local'},
  ],
};

/** Waits for timers and the store's publish (100 ms) to settle. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Mounts the App. */
export async function renderTui(
  t: ExecutionContext,
  engine: FakeEngine,
  options: {
    readonly rows?: number;
    readonly columns?: number;
    readonly view?: Partial<ViewState>;
    readonly specs?: Partial<SpecSources>;
  } = {},
): Promise<Harness> {
  const store = new TuiStore({endpoint: engine.connectionState.endpoint, publishIntervalMs: 20});
  const shells: Target[] = [];
  const hosts: string[] = [];
  const session = {
    view: {...INITIAL_VIEW, ...options.view},
    shells,
    hosts,
    quits: 0,
    requestShell(target: Target) {
      shells.push(target);
    },
    switchHost(url: string) {
      hosts.push(url);
    },
    quit() {
      session.quits++;
    },
  };
  const specs: SpecSources = {
    loadSpec: () => Promise.resolve(demoSpec),
    demoSpec: () => Promise.resolve(demoSpec),
    ...options.specs,
  };
  const instance = render(
    <App
      engine={engine}
      store={store}
      session={session}
      specs={specs}
      size={{rows: options.rows ?? 24, columns: options.columns ?? 100}}
      statsIntervalMs={1000}
    />,
  );
  const settle = (ms = 60): Promise<void> => sleep(ms);
  let mounted = true;
  const unmount = (): void => {
    if (!mounted) return;
    mounted = false;
    instance.unmount();
    store.dispose();
  };
  // A failed assertion must not leave Ink mounted (its stdin listener would keep the worker alive).
  t.teardown(unmount);
  await settle(80);
  const frame = (): string => instance.lastFrame() ?? '';
  const until = async (condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!condition() && Date.now() < deadline) await sleep(10);
    t.true(condition(), `${what}; the frame was:\n${frame()}`);
  };
  return {
    engine,
    store,
    session,
    frame,
    see: (pattern, timeoutMs) => until(() => pattern.test(frame()), `expected ${String(pattern)}`, timeoutMs),
    notSee: (pattern, timeoutMs) =>
      until(() => !pattern.test(frame()), `did not expect ${String(pattern)}`, timeoutMs),
    until,
    press: async (...keys: string[]) => {
      for (const key of keys) {
        instance.stdin.write(key);
        // A lone Escape is only delivered after Ink's setImmediate flush.
        await sleep(key === KEYS.escape ? 20 : 5);
      }
      await settle();
    },
    settle,
    unmount,
  };
}
