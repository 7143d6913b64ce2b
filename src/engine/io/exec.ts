/**
Commands in a container: `exec` runs one to its end over the container layer's `execCommand` (real timeouts,
output caps, true exit code); `execInteractive` opens a TTY session for a terminal (the TUI's shell, the rpc
face's `container.execStart`).
*/
import {randomUUID} from 'node:crypto';
import {setTimeout as delay} from 'node:timers/promises';
import {execCommand} from '../../container/exec-command.js';
import {EXEC_MARKER_ENV, killExecProcesses} from '../../container/exec-kill.js';
import {waitExecExit} from '../../container/exec-poll.js';
import {EngineError, throwIfAborted, validationError, type ValidationIssue} from '../../errors.js';
import type {ContainerRuntime, ExecSession} from '../../runtime/port.js';
import type {ExecOptions, ExecResult, InteractiveExec, InteractiveExecOptions} from '../engine.js';
import type {IoDeps} from './deps.js';

/** How long `exited` waits for Docker to report the exit code after the stream closed. */
export const INTERACTIVE_EXIT_POLL_MS = 5_000;

/** What Ctrl-D sends: a TTY in canonical mode turns it into end-of-file for the reader. */
const END_OF_FILE = '\x04';

/** After close() sends EOF, how long the process may take to exit before it is killed. */
const CLOSE_GRACE_MS = 1_000;

/** Resizes tried right after the start: Docker refuses one until the process runs (its CLI retries too). */
const RESIZE_RETRY_DELAYS_MS = [10, 20, 40, 80, 160];

/** Runs a command in a container and waits for it (see `execCommand` for timeouts, caps and errors). */
export async function exec(deps: IoDeps, ref: string, options: ExecOptions): Promise<ExecResult> {
  const container = await deps.resolve(ref, options.signal);
  return await execCommand(deps.runtime, container.id, {
    cmd: options.cmd,
    ...(options.env === undefined ? {} : {env: options.env}),
    ...(options.user === undefined ? {} : {user: options.user}),
    ...(options.workingDir === undefined ? {} : {workingDir: options.workingDir}),
    ...(options.privileged === undefined ? {} : {privileged: options.privileged}),
    ...(options.timeoutMs === undefined ? {} : {timeoutMs: options.timeoutMs}),
    ...(options.maxOutputBytes === undefined ? {} : {maxOutputBytes: options.maxOutputBytes}),
    ...(options.signal === undefined ? {} : {signal: options.signal}),
  });
}

function sizeIssues(rows: number, cols: number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [path, value] of [
    ['rows', rows],
    ['cols', cols],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1 || value > 0xffff) {
      issues.push({path, message: `${value} is not a terminal size`, allowed: 'an integer from 1 to 65535'});
    }
  }
  return issues;
}

/** The first resize, retried briefly while Docker still says the exec is not running. */
async function initialResize(
  runtime: ContainerRuntime,
  execId: string,
  size: {readonly rows: number; readonly cols: number},
): Promise<void> {
  for (const wait of [0, ...RESIZE_RETRY_DELAYS_MS]) {
    if (wait > 0) await delay(wait);
    try {
      await runtime.resizeExec(execId, size);
      return;
    } catch {
      // Not running yet, or already gone; the next try (or the caller's own resize) settles it.
    }
  }
}

/**
The exit code once the session's stream closed: Docker reports it a moment later, so it is polled, within
{@link INTERACTIVE_EXIT_POLL_MS}; null when it cannot be read (the container went away, or the process still
runs after `close()`, Docker having no way to kill an exec).
*/
async function exitCodeOf(runtime: ContainerRuntime, session: ExecSession): Promise<number | null> {
  await session.ended;
  try {
    const finished = await waitExecExit(runtime, session.id, {timeoutMs: INTERACTIVE_EXIT_POLL_MS});
    return finished.exitCode;
  } catch {
    return null;
  }
}

/**
Ends a session like a terminal hang-up: an end-of-file on the TTY (Ctrl-D, which ends a shell at its prompt)
and stdin closed; a process still running after {@link CLOSE_GRACE_MS} is killed with its children (Docker
has no exec kill: the container layer finds them by the session's env marker); then the connection goes.
*/
async function hangUp(
  runtime: ContainerRuntime,
  containerId: string,
  session: ExecSession,
  stdin: NodeJS.WritableStream & {readonly writableEnded: boolean},
  marker: string,
  ended: boolean,
): Promise<void> {
  if (ended) {
    session.close();
    return;
  }
  if (!stdin.writableEnded) {
    stdin.write(END_OF_FILE);
    stdin.end();
  }
  try {
    await waitExecExit(runtime, session.id, {timeoutMs: CLOSE_GRACE_MS});
  } catch {
    await killExecProcesses(runtime, {containerId, execId: session.id, marker}).catch(() => undefined);
  } finally {
    session.close();
  }
}

/**
Starts `cmd` under a TTY of `rows` × `cols` with stdin open. `output` carries the terminal's raw bytes,
`input` takes keystrokes (ending it sends EOF), `resize` follows the terminal, `exited` resolves with the exit
code (null when unknown), and `close()` hangs up (EOF, then a kill of what is left; see hangUp), after which
`exited` settles too. Throws VALIDATION for an empty command or a bad size, and the runtime's errors
(NOT_FOUND, INVALID_STATE when the container is not running).
*/
export async function execInteractive(
  deps: IoDeps,
  ref: string,
  options: InteractiveExecOptions & {readonly signal?: AbortSignal},
): Promise<InteractiveExec> {
  const issues = sizeIssues(options.rows, options.cols);
  if (options.cmd.length === 0 || options.cmd[0] === '') {
    issues.unshift({path: 'cmd', message: 'the command is empty', allowed: 'a non-empty argv array'});
  }
  if (issues.length > 0) throw validationError(issues, 'exec options');
  const {runtime} = deps;
  const call = options.signal === undefined ? {} : {signal: options.signal};
  const container = await deps.resolve(ref, options.signal);
  // The marker finds the session's processes (and their children) when close() has to kill them.
  const marker = randomUUID();
  const execId = await runtime.createExec(
    container.id,
    {
      cmd: options.cmd,
      tty: true,
      attachStdin: true,
      env: [...(options.env ?? []), `${EXEC_MARKER_ENV}=${marker}`],
      ...(options.user === undefined || options.user === '' ? {} : {user: options.user}),
      ...(options.workingDir === undefined || options.workingDir === ''
        ? {}
        : {workingDir: options.workingDir}),
    },
    call,
  );
  // The signal bounds the start only (the runtime would tie the session's life to it): the session lives
  // until close(), not until the caller's request ends.
  const session = await runtime.startExec(execId, {tty: true, stdin: true});
  const stdin = session.stdin;
  if (stdin === null || options.signal?.aborted === true) {
    session.stdin?.end();
    session.close();
    throwIfAborted(options.signal);
    throw new EngineError('ENGINE_ERROR', 'the runtime opened an interactive exec without stdin', {
      details: {execId},
    });
  }
  // Keystrokes written after the process ended fail on the closed connection; that is no reason to crash.
  stdin.on('error', () => undefined);
  let ended = false;
  void session.ended.then(() => (ended = true));
  await initialResize(runtime, execId, {rows: options.rows, cols: options.cols});
  const exited = exitCodeOf(runtime, session);
  let closed = false;
  return {
    output: session.stdout,
    input: stdin,
    resize: async (rows, cols) => {
      const problems = sizeIssues(rows, cols);
      if (problems.length > 0) throw validationError(problems, 'terminal size');
      await runtime.resizeExec(execId, {rows, cols});
    },
    exited,
    close: () => {
      if (closed) return;
      closed = true;
      void hangUp(runtime, container.id, session, stdin, marker, ended);
    },
  };
}
