/**
Running one CNI plugin binary per the CNI spec 1.0 ("Execution protocol"): parameters in CNI_* env vars,
the network config on stdin, a result or an error as JSON on stdout. No shell is involved.
*/
import {spawn} from 'node:child_process';
import {basename} from 'node:path';
import {EngineError, throwIfAborted} from '../../errors.js';
import {DEFAULT_CNI_PLUGIN_TIMEOUT_MS} from './defaults.js';
import {formatCniArgs, type CniArg} from './net-args.js';
import {parseCniPluginError, type CniPluginError} from './result.js';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';

export interface ExecCniPluginOptions {
  /** Absolute path of the plugin binary (see findCniPlugin). */
  readonly pluginPath: string;
  readonly command: CniCommand;
  readonly containerId: string;
  readonly netnsPath: string;
  readonly ifName: string;
  readonly args: readonly CniArg[];
  /** CNI_PATH: where this plugin finds delegates (bridge runs its ipam plugin from here). */
  readonly cniPath: readonly string[];
  /** The plugin's execution config (name, cniVersion, prevResult, runtimeConfig already injected). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Deadline for this run; the plugin and anything it started are killed when it passes. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

// Results are a few KiB; the cap only bounds memory against a broken plugin.
const MAX_STDOUT_BYTES = 4 * 1024 * 1024;
const STDERR_TAIL_BYTES = 4096;

interface RunOutcome {
  readonly exitCode: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stopped?: 'abort' | 'overflow';
}

function pluginEnv(options: ExecCniPluginOptions): NodeJS.ProcessEnv {
  // The inherited env stays: plugins exec helpers (iptables, ipam delegates) through PATH.
  return {
    ...process.env,
    CNI_COMMAND: options.command,
    CNI_CONTAINERID: options.containerId,
    CNI_NETNS: options.netnsPath,
    CNI_IFNAME: options.ifName,
    CNI_ARGS: formatCniArgs(options.args),
    CNI_PATH: options.cniPath.join(':'),
  };
}

function run(options: ExecCniPluginOptions, env: NodeJS.ProcessEnv, stop: AbortSignal): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    // Own process group, so a timeout also kills the delegates a plugin started (and their hold on stdout).
    const child = spawn(options.pluginPath, [], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = Buffer.alloc(0);
    let stopped: RunOutcome['stopped'];

    // The group outlives its leader while a delegate still runs, so this does not look at the leader's exit.
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const onAbort = (): void => {
      stopped ??= 'abort';
      killGroup();
    };
    stop.addEventListener('abort', onAbort, {once: true});
    if (stop.aborted) onAbort();

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_STDOUT_BYTES) {
        stopped ??= 'overflow';
        killGroup();
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_TAIL_BYTES) stderr = stderr.subarray(stderr.length - STDERR_TAIL_BYTES);
    });
    // A plugin may exit without reading stdin; the EPIPE that follows is not the failure to report.
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(options.config));

    child.on('error', (error) => {
      stop.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (exitCode, exitSignal) => {
      stop.removeEventListener('abort', onAbort);
      resolve({
        exitCode,
        exitSignal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: stderr.toString('utf8'),
        ...(stopped === undefined ? {} : {stopped}),
      });
    });
  });
}

function describe(options: ExecCniPluginOptions): Record<string, unknown> {
  const network = options.config.name;
  return {
    resource: 'cni-plugin',
    plugin: basename(options.pluginPath),
    command: options.command,
    ...(typeof network === 'string' ? {network} : {}),
  };
}

function failure(options: ExecCniPluginOptions, outcome: RunOutcome): EngineError {
  const plugin = basename(options.pluginPath);
  const where = `CNI plugin ${plugin} ${options.command}`;
  const cniError: CniPluginError | undefined = parseCniPluginError(outcome.stdout);
  const stderr = outcome.stderr.trim();
  const details = {
    ...describe(options),
    exitCode: outcome.exitCode,
    ...(outcome.exitSignal === null ? {} : {exitSignal: outcome.exitSignal}),
    ...(stderr === '' ? {} : {stderr}),
  };
  if (cniError !== undefined) {
    const extra = cniError.details === undefined ? '' : ` (${cniError.details})`;
    return new EngineError(
      'ENGINE_ERROR',
      `${where} failed: ${cniError.msg}${extra} [CNI code ${cniError.code}]`,
      {
        details: {
          ...details,
          cniCode: cniError.code,
          cniMsg: cniError.msg,
          ...(cniError.details === undefined ? {} : {cniDetails: cniError.details}),
        },
      },
    );
  }
  const how =
    outcome.exitSignal === null
      ? `exited with code ${outcome.exitCode}`
      : `was killed by ${outcome.exitSignal}`;
  const said = stderr || outcome.stdout.trim();
  return new EngineError('ENGINE_ERROR', `${where} ${how}${said === '' ? '' : `: ${said}`}`, {details});
}

/**
Runs one plugin and returns its parsed stdout (undefined when it printed nothing, which DEL may do).
Failures are EngineErrors: the plugin's own `{code, msg, details}` as ENGINE_ERROR with `cniCode`/`cniMsg`,
TIMEOUT past `timeoutMs`, CANCELLED when `signal` fires; in both of the last the plugin's process group is
killed first.
*/
export async function execCniPlugin(options: ExecCniPluginOptions): Promise<unknown> {
  throwIfAborted(options.signal);
  const env = pluginEnv(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CNI_PLUGIN_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const stop = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);

  let outcome: RunOutcome;
  try {
    outcome = await run(options, env, stop);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineError('ENGINE_ERROR', `cannot run CNI plugin ${options.pluginPath}: ${reason}`, {
      details: describe(options),
      cause: error,
    });
  }

  if (outcome.stopped === 'abort') {
    if (options.signal?.aborted === true) {
      throw new EngineError(
        'CANCELLED',
        `CNI plugin ${basename(options.pluginPath)} ${options.command} cancelled`,
        {
          details: describe(options),
          cause: options.signal.reason,
        },
      );
    }
    throw new EngineError(
      'TIMEOUT',
      `CNI plugin ${basename(options.pluginPath)} ${options.command} timed out after ${timeoutMs} ms`,
      {details: {...describe(options), timeoutMs}},
    );
  }
  if (outcome.stopped === 'overflow') {
    throw new EngineError(
      'ENGINE_ERROR',
      `CNI plugin ${basename(options.pluginPath)} printed over ${MAX_STDOUT_BYTES} bytes`,
      {
        details: describe(options),
      },
    );
  }
  if (outcome.exitCode !== 0) throw failure(options, outcome);

  const text = outcome.stdout.trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new EngineError(
      'ENGINE_ERROR',
      `CNI plugin ${basename(options.pluginPath)} ${options.command} printed invalid JSON: ${text.slice(0, 200)}`,
      {details: describe(options), cause: error},
    );
  }
}
