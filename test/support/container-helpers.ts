/**
Helpers for the DockerContainer tests: a stub ContainerRuntime that records calls (unit tests; any method not
given throws, so a test sees every call it did not expect), a scripted exec session, and, for integration
tests, tasks labelled with the run id, the real docker CLI and bounded waits.
*/
import {execFile} from 'node:child_process';
import {PassThrough} from 'node:stream';
import {DockerContainer, type DockerContainerOptions} from '../../src/container/docker-container.js';
import {execCommand} from '../../src/container/exec-command.js';
import {LABELS, LOCAL_IMAGES} from '../../src/constants.js';
import type {ContainerRuntime, ExecSession} from '../../src/runtime/port.js';
import type {BcsContainerInfo, BcsContainerTask} from '../../src/task/types.js';
import {realRuntime} from './docker.js';
import {runId, uniqueName} from './run-id.js';

/** One recorded call of the stub: the method and its arguments. */
export interface StubCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/**
A ContainerRuntime whose methods are `overrides`; calling any other throws "unexpected call". Every call is
recorded in `calls` (in order), so a test can assert what was, and was not, sent.
*/
export function stubRuntime(
  overrides: Partial<ContainerRuntime> = {},
  endpoint = 'stub://',
): {readonly runtime: ContainerRuntime; readonly calls: StubCall[]; readonly methods: () => string[]} {
  const calls: StubCall[] = [];
  const table = overrides as Record<string, unknown>;
  const runtime = new Proxy({} as ContainerRuntime, {
    get(_target, property) {
      if (property === 'endpoint') return endpoint;
      if (typeof property !== 'string' || property === 'then') return undefined;
      return (...args: unknown[]) => {
        calls.push({method: property, args});
        const implementation = table[property];
        if (typeof implementation !== 'function') throw new Error(`unexpected call: runtime.${property}`);
        return (implementation as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
  return {runtime, calls, methods: () => calls.map((call) => call.method)};
}

/** An exec session the test drives: write to `out`/`err`, then `finish()` ends the stream. */
export function scriptedSession(execId: string): {
  readonly session: ExecSession;
  readonly out: PassThrough;
  readonly err: PassThrough;
  readonly finish: () => void;
  readonly closed: () => boolean;
} {
  const out = new PassThrough();
  const err = new PassThrough();
  let resolve = (): void => undefined;
  let closed = false;
  const ended = new Promise<void>((done) => {
    resolve = done;
  });
  const finish = (): void => {
    out.end();
    err.end();
    resolve();
  };
  return {
    session: {
      id: execId,
      stdout: out,
      stderr: err,
      stdin: null,
      ended,
      close: () => {
        closed = true;
        finish();
      },
    },
    out,
    err,
    finish,
    closed: () => closed,
  };
}

/** The run label as a task label. */
export const RUN_LABEL = {key: LABELS.testRun, value: runId};

/** The image of the integration tests: the set-up's busybox demo image. */
export const DEMO_IMAGE = LOCAL_IMAGES.demo;

/**
A shell that exits at once on SIGTERM even as PID 1 (a trap; PID 1 has no default signal actions), so stops
are quick: `sleep` runs in the background and `wait` returns when the trap fires.
*/
export const QUICK_STOP_ARGS = ['-c', 'trap "exit 0" TERM; sleep 3600 & wait'];

/** A task for the demo image with the run label, a unique name, and a process that stops at once. */
export function sleeperTask(overrides: Partial<BcsContainerTask> = {}): BcsContainerTask {
  const name = overrides.name ?? uniqueName('ctr');
  return {
    name,
    image: DEMO_IMAGE,
    command: 'sh',
    args: QUICK_STOP_ARGS,
    ...overrides,
    labels: [RUN_LABEL, ...(overrides.labels ?? [])],
  };
}

/** Runs the docker CLI (bounded) and returns its stdout. */
export function dockerCli(args: readonly string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, {timeout: timeoutMs, killSignal: 'SIGKILL'}, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`docker ${args.join(' ')}: ${stderr.trim() || error.message}`, {cause: error}));
    });
  });
}

/** `docker inspect <ref>` through the real CLI, the first object parsed. */
export async function dockerInspect(ref: string): Promise<Record<string, unknown>> {
  const parsed = JSON.parse(await dockerCli(['inspect', ref])) as Record<string, unknown>[];
  const first = parsed[0];
  if (first === undefined) throw new Error(`docker inspect ${ref} returned nothing`);
  return first;
}

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes; returns the last answer. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A DockerContainer over the test engine (pinged; fails, not skips, when no engine answers). */
export async function realContainer(
  options: Omit<DockerContainerOptions, 'runtime' | 'endpoint'> = {},
): Promise<{readonly container: DockerContainer; readonly runtime: ContainerRuntime}> {
  const runtime = await realRuntime();
  return {runtime, container: new DockerContainer({...options, runtime})};
}

/** Creates and starts a {@link sleeperTask} container; returns its state after the start. */
export async function startedSleeper(
  container: DockerContainer,
  overrides: Partial<BcsContainerTask> = {},
): Promise<BcsContainerInfo> {
  const task = sleeperTask(overrides);
  const created = await container.createContainer(task.name, task);
  await container.startContainer(created.id);
  return container.inspectContainer(created.id);
}

/** The command lines of the processes in container `id` (busybox `ps`), without the `ps` itself. */
export async function processesIn(runtime: ContainerRuntime, id: string): Promise<string[]> {
  const {stdout} = await execCommand(runtime, id, {cmd: ['ps', '-o', 'args'], timeoutMs: 10_000});
  return stdout
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('ps '));
}
