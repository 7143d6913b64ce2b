/**
Runs the terminal UI: checks for a terminal, enters the alternate screen, mounts Ink, and loops when the
user opens an interactive shell (Ink is unmounted, the shell gets the TTY, then Ink is mounted again with
the same store and view state) or switches the engine host.
*/
import {render} from 'ink';
import type {Engine} from '../src/index.js';
import {toEngineError} from '../src/index.js';
import {App} from './components/App.js';
import type {Target} from './model/view-state.js';
import {INITIAL_VIEW} from './model/view-state.js';
import type {SpecSources, TuiSession} from './session.js';
import {TuiStore} from './store/tui-store.js';
import {anchoredStdout} from './terminal/anchored-output.js';
import {runShell} from './terminal/shell-session.js';
import {CLEAR_SCREEN, TerminalGuard} from './terminal/terminal-guard.js';
import {createTheme, ThemeContext} from './theme.js';

export interface RunTuiOptions {
  /**
  Builds an engine for an endpoint (undefined: DOCKER_HOST or the default socket). It must not need the engine
  to answer: the TUI starts when dockerd is down and says so until it answers.
  */
  readonly openEngine: (endpoint: string | undefined) => {readonly engine: Engine; readonly endpoint: string};
  readonly endpoint: string | undefined;
  readonly specs: SpecSources;
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout?: NodeJS.WriteStream;
  readonly stderr?: NodeJS.WriteStream;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Frames per second at most (default 15). */
  readonly maxFps?: number;
}

/** Exit codes: 0 after quitting, 1 after a crash, 2 when there is no terminal or the endpoint is invalid. */
export const TUI_EXIT = {ok: 0, failed: 1, usage: 2} as const;

type Outcome =
  | {readonly kind: 'quit'}
  | {readonly kind: 'shell'; readonly target: Target}
  | {readonly kind: 'host'; readonly url: string}
  | {readonly kind: 'crash'; readonly error: unknown};

/** Runs the TUI until the user quits; resolves with the exit code. */
export async function runTui(options: RunTuiOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  if (!stdin.isTTY || !stdout.isTTY) {
    const which = !stdin.isTTY ? 'standard input' : 'standard output';
    stderr.write(
      `bcs-executor: the terminal UI needs an interactive terminal, and ${which} is not one.\n` +
        'For scripts use the headless commands (bcs-executor ps, apply, inspect, ...) or bcs-executor rpc.\n',
    );
    return TUI_EXIT.usage;
  }
  let opened: {engine: Engine; endpoint: string};
  try {
    opened = options.openEngine(options.endpoint);
  } catch (error) {
    stderr.write(`bcs-executor: ${toEngineError(error).message}\n`);
    return TUI_EXIT.usage;
  }

  const theme = createTheme(options.env ?? process.env);
  const guard = new TerminalGuard(stdin, stdout, stderr);
  let store = new TuiStore({endpoint: opened.endpoint});
  let view = INITIAL_VIEW;
  guard.enter();
  try {
    for (;;) {
      const outcome = await mountOnce();
      if (outcome.kind === 'quit') return TUI_EXIT.ok;
      if (outcome.kind === 'crash') {
        guard.restore();
        const error = outcome.error;
        stderr.write(
          `bcs-executor: the terminal UI crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        return TUI_EXIT.failed;
      }
      if (outcome.kind === 'shell') {
        const result = await runShell(opened.engine, outcome.target, stdin, stdout);
        store.setMessage(
          'error' in result
            ? {text: `shell in ${outcome.target.label} failed: ${result.error}`, level: 'error'}
            : {
                text: `shell in ${outcome.target.label} exited (${result.exitCode ?? 'no code'})`,
                level: 'info',
              },
        );
        store.pushActivity({
          at: new Date().toISOString(),
          level: 'error' in result ? 'error' : 'info',
          source: 'tui',
          message:
            'error' in result
              ? `shell in ${outcome.target.label} failed: ${result.error}`
              : `shell in ${outcome.target.label} exited`,
        });
        continue;
      }
      // Another host: a new engine and an empty store; the old engine stops watching.
      try {
        const next = options.openEngine(outcome.url);
        void opened.engine.close().catch(() => undefined);
        opened = next;
        store.dispose();
        store = new TuiStore({endpoint: next.endpoint});
        view = {...view, pod: null, container: null, marks: {pods: [], containers: []}};
        store.setMessage({text: `switched to ${next.endpoint}`, level: 'info'});
      } catch (error) {
        store.setMessage({text: `host ${outcome.url}: ${toEngineError(error).message}`, level: 'error'});
      }
    }
  } finally {
    store.dispose();
    guard.restore();
    await Promise.race([
      opened.engine.close().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 2000).unref()),
    ]);
  }

  function mountOnce(): Promise<Outcome> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (outcome: Outcome): void => {
        if (done) return;
        done = true;
        view = session.view;
        instance.unmount();
        if (outcome.kind === 'shell') stdout.write(CLEAR_SCREEN);
        resolve(outcome);
      };
      const session: TuiSession = {
        view,
        requestShell: (target) => finish({kind: 'shell', target}),
        switchHost: (url) => finish({kind: 'host', url}),
        quit: () => finish({kind: 'quit'}),
      };
      stdout.write(CLEAR_SCREEN);
      const instance = render(
        <ThemeContext.Provider value={theme}>
          <App engine={opened.engine} store={store} session={session} specs={options.specs} />
        </ThemeContext.Provider>,
        {
          stdin,
          stdout: anchoredStdout(stdout),
          stderr,
          exitOnCtrlC: false,
          incrementalRendering: true,
          maxFps: options.maxFps ?? 15,
        },
      );
      instance.waitUntilExit().then(
        () => finish({kind: 'quit'}),
        (error: unknown) => finish({kind: 'crash', error}),
      );
    });
  }
}
