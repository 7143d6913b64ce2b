/**
Plays a fake process: the steps of a command (from the shell interpreter or a test's program) on real
timers, until it exits or is killed.
*/
import type {Step} from './fake-runtime-shell.js';

/** What a test's program returns for a command it wants to script. */
export interface FakeProcessResult {
  readonly exitCode?: number;
  readonly stdout?: string | Buffer;
  readonly stderr?: string | Buffer;
  /** How long the process runs after writing its output. */
  readonly delayMs?: number;
  /** Never exits by itself (a daemon); ends only when stopped or killed. */
  readonly forever?: boolean;
}

/** A scripted program: returns a result for the commands it knows, undefined for the rest. */
export type FakeProgram = (
  cmd: readonly string[],
  context: {readonly containerId: string; readonly stdin?: Buffer},
) => FakeProcessResult | undefined;

export function stepsOf(result: FakeProcessResult): Step[] {
  const steps: Step[] = [];
  const text = (data: string | Buffer) => (typeof data === 'string' ? data : data.toString('utf8'));
  if (result.stdout !== undefined) steps.push({kind: 'write', stream: 'stdout', data: text(result.stdout)});
  if (result.stderr !== undefined) steps.push({kind: 'write', stream: 'stderr', data: text(result.stderr)});
  if (result.delayMs !== undefined && result.delayMs > 0) steps.push({kind: 'sleep', ms: result.delayMs});
  steps.push(result.forever === true ? {kind: 'forever'} : {kind: 'exit', code: result.exitCode ?? 0});
  return steps;
}

export interface PlayHooks {
  write(stream: 'stdout' | 'stderr', data: string): void;
  exit(code: number): void;
}

/** A running fake process. */
export interface FakeProcess {
  /** Stops playing (the caller decides the exit code and says so itself). */
  cancel(): void;
}

/** Sleeps longer than this do not keep the test process alive. */
const LONG_SLEEP_MS = 30_000;

/** Starts playing on the next turn of the event loop, so the call that started it returns first. */
export function play(steps: readonly Step[], hooks: PlayHooks): FakeProcess {
  let cancelled = false;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let index = 0;
  const advance = () => {
    while (!cancelled && index < steps.length) {
      const step = steps[index++];
      if (step === undefined) return;
      switch (step.kind) {
        case 'write':
          hooks.write(step.stream, step.data);
          break;
        case 'sleep': {
          const handle = setTimeout(advance, step.ms);
          // Short sleeps keep the test process alive (a test may be waiting on them); long ones
          // (`sleep 300` in a container nobody stops) must not hold it open.
          if (step.ms > LONG_SLEEP_MS) handle.unref();
          timer = handle;
          return;
        }
        case 'forever':
          return;
        case 'exit':
          cancelled = true;
          hooks.exit(step.code);
          return;
      }
    }
  };
  timer = setImmediate(advance);
  return {
    cancel() {
      cancelled = true;
      if (timer !== undefined) {
        clearTimeout(timer as NodeJS.Timeout);
        clearImmediate(timer as NodeJS.Immediate);
      }
    },
  };
}
