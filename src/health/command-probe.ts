/**
The command probe: runs an argv in the container through an injected {@link CommandRunner} (the pod layer
implements it with a Docker exec, so this module stays Docker-free); healthy iff the exit code is 0.

Seed fixes: the timeout is honoured even if the runner ignores it (the seed's hung exec blocked its checker),
and a command string is split with shell-like quoting instead of on single spaces (seed case 47).
*/
import {raceAbort, startDeadline} from './deadline.js';
import {
  elapsedMs,
  errorOutput,
  probeCancelled,
  probeStart,
  summarizeOutput,
  timedOutOutput,
  type ProbeOptions,
  type ProbeResult,
} from './probe.js';
import {parseArgv} from './split-argv.js';

export interface CommandRunOptions {
  /** The runner should kill the command past this and answer `timedOut: true`. */
  readonly timeoutMs: number;
  /** Fires on cancellation or when the probe's own deadline passes; the runner should stop the command. */
  readonly signal: AbortSignal;
}

export interface CommandRunResult {
  readonly exitCode: number;
  /** Combined stdout and stderr (the probe keeps only a short summary). */
  readonly output: string;
  readonly timedOut: boolean;
}

/** Runs an argv inside the checked container, with no shell unless the argv names one. */
export type CommandRunner = (argv: string[], options: CommandRunOptions) => Promise<CommandRunResult>;

export interface CommandProbeTarget {
  /** An argv, or a string split by {@link parseArgv}. */
  readonly command: string | readonly string[];
  readonly runner: CommandRunner;
}

function resolveArgv(command: string | readonly string[]): string[] | string {
  if (typeof command !== 'string') return [...command];
  const parsed = parseArgv(command);
  return parsed.ok ? [...parsed.argv] : `invalid command: ${parsed.message}`;
}

/** Probes by running a command. Rejects only with CANCELLED when `options.signal` fires. */
export async function commandProbe(target: CommandProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const {signal, timeoutMs} = options;
  if (signal?.aborted) throw probeCancelled(signal);
  const startedAt = probeStart();
  const fail = (output: string): ProbeResult => ({ok: false, output, durationMs: elapsedMs(startedAt)});
  const argv = resolveArgv(target.command);
  if (typeof argv === 'string') return fail(argv);
  if (argv.length === 0 || argv[0] === '') return fail('empty command');

  const deadline = startDeadline(timeoutMs, signal);
  try {
    const run = Promise.resolve().then(() => target.runner(argv, {timeoutMs, signal: deadline.signal}));
    const result = await raceAbort(run, deadline.signal);
    if (result.timedOut) return fail(timedOutOutput(timeoutMs));
    const summary = summarizeOutput(result.output);
    const output = `exit ${result.exitCode}${summary === '' ? '' : `: ${summary}`}`;
    return {ok: result.exitCode === 0, output, durationMs: elapsedMs(startedAt)};
  } catch (error) {
    if (signal?.aborted) throw probeCancelled(signal);
    if (deadline.timedOut) return fail(timedOutOutput(timeoutMs));
    return fail(errorOutput(error));
  } finally {
    deadline.dispose();
  }
}
