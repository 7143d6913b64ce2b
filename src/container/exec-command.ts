/**
`execCommand`: runs a command in a running container to its end, with what the seed's RunCommandV2 lacked
(seed-spec §8.6): a timeout that really kills the command (and its children), the working directory honoured,
no stdin, full output up to a cap cut on a character boundary, and the true exit code. The pod layer, the
command health probe and the rpc face all run commands through it.
*/
import {randomUUID} from 'node:crypto';
import type {Readable} from 'node:stream';
import {DEFAULT_EXEC_MAX_OUTPUT_BYTES} from '../constants.js';
import {
  EngineError,
  throwIfAborted,
  toEngineError,
  validationError,
  type ValidationIssue,
} from '../errors.js';
import type {ContainerRuntime, ExecSession} from '../runtime/port.js';
import {EXEC_MARKER_ENV, killExecProcesses, type KillExecResult} from './exec-kill.js';
import {waitExecExit} from './exec-poll.js';
import {CappedOutput} from './utf8-cap.js';

/** The timeout when the caller gives none. */
export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

/** After a kill, how long the output stream may take to close before the engine drops it. */
const AFTER_KILL_DRAIN_MS = 2_000;

export interface ExecCommandOptions {
  /** argv; no shell is involved unless the command is one. */
  readonly cmd: readonly string[];
  /** `K=V` entries added to the container's environment. */
  readonly env?: readonly string[];
  /** Empty or absent: the container's own user (the seed forced root). */
  readonly user?: string;
  readonly workingDir?: string;
  readonly privileged?: boolean;
  /** Wall-clock limit, from the call to the end of the output (default 60 s). */
  readonly timeoutMs?: number;
  /** Cap for each of stdout and stderr (default 16 MiB). */
  readonly maxOutputBytes?: number;
  /** Cancels the call; the command is killed the same way as on a timeout. */
  readonly signal?: AbortSignal;
  /** How a timed-out command is killed: `auto` (host first, then in-container) or `container` only. */
  readonly killVia?: 'auto' | 'container';
}

export interface ExecCommandResult {
  /** The exec's exit code; 137 (SIGKILL) after a timeout kill, -1 when it could not be read. */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** true when stdout or stderr was longer than the cap. */
  readonly truncated: boolean;
  /** true when the command outlived its timeout and was killed. */
  readonly timedOut: boolean;
  readonly durationMs: number;
}

function optionIssues(options: ExecCommandOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (options.cmd.length === 0 || options.cmd[0] === '') {
    issues.push({path: 'cmd', message: 'the command is empty', allowed: 'a non-empty argv array'});
  }
  (options.env ?? []).forEach((entry, index) => {
    if (entry.indexOf('=') <= 0) {
      issues.push({
        path: `env[${index}]`,
        message: `"${entry}" is not K=V`,
        allowed: 'K=V with a non-empty K',
      });
    }
  });
  const {timeoutMs, maxOutputBytes, workingDir} = options;
  if (timeoutMs !== undefined && !(Number.isSafeInteger(timeoutMs) && timeoutMs > 0)) {
    issues.push({path: 'timeoutMs', message: `${timeoutMs} is not a positive whole number of ms`});
  }
  if (maxOutputBytes !== undefined && !(Number.isSafeInteger(maxOutputBytes) && maxOutputBytes >= 0)) {
    issues.push({path: 'maxOutputBytes', message: `${maxOutputBytes} is not a whole number of bytes >= 0`});
  }
  if (workingDir !== undefined && workingDir !== '' && !workingDir.startsWith('/')) {
    issues.push({
      path: 'workingDir',
      message: `"${workingDir}" is not absolute`,
      allowed: 'an absolute path',
    });
  }
  return issues;
}

/** Resolves with 'stop' when the signal fires; `dispose` removes the listener. */
function onAbort(signal: AbortSignal): {readonly fired: Promise<'stop'>; readonly dispose: () => void} {
  let listener = (): void => undefined;
  const fired = new Promise<'stop'>((resolve) => {
    listener = () => resolve('stop');
    if (signal.aborted) resolve('stop');
    else signal.addEventListener('abort', listener, {once: true});
  });
  return {fired, dispose: () => signal.removeEventListener('abort', listener)};
}

/** Resolves when the stream ended, closed or failed, whichever comes first. */
function streamDone(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
Runs `cmd` in container `containerId` and waits for it. A command that outlives `timeoutMs` is killed with
its children (nothing of it is left running) and the result says `timedOut: true`; cancelling through
`signal` kills it the same way and throws CANCELLED. Throws VALIDATION for bad options, INVALID_STATE when the
container is not running, NOT_FOUND when it does not exist, and TIMEOUT or CANCELLED (with
`details.leftRunning`) if the command could not be killed.
*/
export async function execCommand(
  runtime: ContainerRuntime,
  containerId: string,
  options: ExecCommandOptions,
): Promise<ExecCommandResult> {
  const issues = optionIssues(options);
  if (issues.length > 0) throw validationError(issues, 'exec options');
  const {signal} = options;
  throwIfAborted(signal);
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_EXEC_MAX_OUTPUT_BYTES;
  const started = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const stop = signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal]);
  const stopped = onAbort(stop);
  const marker = randomUUID();
  const user = options.user ?? '';
  const workingDir = options.workingDir ?? '';
  const stdout = new CappedOutput(maxOutputBytes);
  const stderr = new CappedOutput(maxOutputBytes);
  let session: ExecSession | undefined;
  let execId = '';
  try {
    execId = await runtime.createExec(
      containerId,
      {
        cmd: options.cmd,
        env: [...(options.env ?? []), `${EXEC_MARKER_ENV}=${marker}`],
        ...(user === '' ? {} : {user}),
        ...(workingDir === '' ? {} : {workingDir}),
        ...(options.privileged === true ? {privileged: true} : {}),
      },
      {signal: stop},
    );
    // No signal to the start itself: once started, the process must be killed, not just disconnected from.
    const starting = runtime.startExec(execId);
    const first = await Promise.race([starting, stopped.fired]);
    if (first !== 'stop') {
      session = first;
      session.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      session.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      const output = Promise.all([session.ended, streamDone(session.stdout), streamDone(session.stderr)]);
      const outcome = await Promise.race([output.then(() => 'done' as const), stopped.fired]);
      if (outcome === 'done') {
        clearTimeout(timer);
        const finished = await waitExecExit(runtime, execId, signal === undefined ? {} : {signal});
        return result(finished.exitCode, false);
      }
    } else {
      starting.then(
        (late) => late.close(),
        () => undefined,
      );
    }
  } catch (error) {
    if (!stop.aborted || execId === '') throw cancelledOrTimedOut(error);
  } finally {
    stopped.dispose();
    clearTimeout(timer);
  }

  // The deadline or the caller's signal fired while the command ran: kill it and everything it started.
  const cancelled = signal?.aborted === true;
  let kill: KillExecResult;
  try {
    kill = await killExecProcesses(runtime, {containerId, execId, marker, via: options.killVia ?? 'auto'});
  } catch (error) {
    const reason = toEngineError(error).message;
    throw new EngineError(
      cancelled ? 'CANCELLED' : 'TIMEOUT',
      `${cancelled ? 'cancelled' : `timed out after ${timeoutMs} ms`}, and killing the command failed: ${reason}`,
      {details: {containerId, execId, timeoutMs, leftRunning: true}, cause: error},
    );
  }
  if (session !== undefined) {
    await Promise.race([session.ended, sleep(AFTER_KILL_DRAIN_MS)]);
    session.close();
  }
  if (cancelled) {
    throw new EngineError('CANCELLED', 'operation cancelled; the command was killed', {
      details: {containerId, execId, killedBy: kill.method},
      cause: signal?.reason,
    });
  }
  const exitCode = await waitExecExit(runtime, execId, {timeoutMs: AFTER_KILL_DRAIN_MS}).then(
    (finished) => finished.exitCode,
    () => -1,
  );
  return result(exitCode, true);

  function result(exitCode: number, timedOut: boolean): ExecCommandResult {
    const out = stdout.result();
    const err = stderr.result();
    return {
      exitCode,
      stdout: out.text,
      stderr: err.text,
      truncated: out.truncated || err.truncated,
      timedOut,
      durationMs: performance.now() - started,
    };
  }

  function cancelledOrTimedOut(error: unknown): EngineError {
    if (signal?.aborted === true || !deadline.signal.aborted) return toEngineError(error);
    return new EngineError('TIMEOUT', `exec did not start within ${timeoutMs} ms`, {
      details: {containerId, timeoutMs},
      cause: error,
    });
  }
}
