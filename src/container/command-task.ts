/**
The seed's two exec operations over `execCommand`: RunCommand (v1, fire and forget) and RunCommandV2 (run to
the end and report, never throwing).
*/
import {toEngineError} from '../errors.js';
import type {CallOptions, ContainerRuntime} from '../runtime/port.js';
import type {CommandInspect, RequestCommandTask, ResponseCommandTask} from '../task/types.js';
import {DEFAULT_EXEC_TIMEOUT_MS, execCommand, type ExecCommandOptions} from './exec-command.js';

/**
RunCommand v1: creates and starts `cmd` and returns once it runs; create and start errors (the container is
not running, the command does not exist in a way Docker sees at start) are thrown. The output is drained and
dropped. Unlike the seed it neither forces root nor runs privileged: it runs as the container's user, like
RunCommandV2 with an empty user.
*/
export async function runCommand(
  runtime: ContainerRuntime,
  containerId: string,
  cmd: readonly string[],
  options: CallOptions = {},
): Promise<void> {
  const execId = await runtime.createExec(containerId, {cmd}, options);
  // No signal to the start: a cancelled caller must not cut the pipes of a command that already runs.
  const session = await runtime.startExec(execId);
  // Reading keeps the process from blocking on a full pipe; the connection closes when it exits.
  session.stdout.resume();
  session.stderr.resume();
  void session.ended.then(() => session.close());
}

/** The response's identity fields, copied from the request as the seed did. */
function identity(request: RequestCommandTask): Pick<ResponseCommandTask, 'id' | 'taskId' | 'containerId'> {
  return {
    ...(request.id === undefined ? {} : {id: request.id}),
    ...(request.taskId === undefined ? {} : {taskId: request.taskId}),
    containerId: request.containerId,
  };
}

/** The ExecCommandOptions of a request: the request's user as given (empty means the container's). */
function execOptions(request: RequestCommandTask, options: CallOptions): ExecCommandOptions {
  return {
    cmd: request.cmd,
    ...(request.env === undefined ? {} : {env: request.env}),
    ...(request.user === undefined ? {} : {user: request.user}),
    ...(request.workingDir === undefined ? {} : {workingDir: request.workingDir}),
    ...(request.privileged === undefined ? {} : {privileged: request.privileged}),
    ...(request.timeoutMs === undefined ? {} : {timeoutMs: request.timeoutMs}),
    ...(request.maxOutputBytes === undefined ? {} : {maxOutputBytes: request.maxOutputBytes}),
    ...(options.signal === undefined ? {} : {signal: options.signal}),
  };
}

/**
RunCommandV2: runs the request's command to its end. `finish` with the exit code and output (whatever the
code); `failed` with `commInspect.timedOut` when it outlived its timeout (it was killed, nothing is left
running); `failed` with a message and no commInspect for any other failure. Never throws and never hangs.
The request is not mutated.
*/
export async function runCommandV2(
  runtime: ContainerRuntime,
  request: RequestCommandTask,
  options: CallOptions = {},
): Promise<ResponseCommandTask> {
  try {
    const result = await execCommand(runtime, request.containerId, execOptions(request, options));
    const commInspect: CommandInspect = {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      truncated: result.truncated,
      timedOut: result.timedOut,
    };
    if (result.timedOut) {
      const limit = request.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
      return {
        ...identity(request),
        status: 'failed',
        message: `command timed out after ${limit} ms and was killed`,
        commInspect,
      };
    }
    return {...identity(request), status: 'finish', message: '', commInspect};
  } catch (error) {
    return {...identity(request), status: 'failed', message: toEngineError(error).message};
  }
}
