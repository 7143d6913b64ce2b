/**
Killing an exec's processes. Docker has no exec kill (moby #9098), so a timed-out or cancelled command is
found and killed by the engine: every exec this engine starts carries the env marker `BCS_EXEC_ID=<uuid>`,
which its children inherit, so the whole process tree can be found even after the exec'd process died and
its children were re-parented to the container's init.

First the kill waits until the exec has started (Docker answers the start request before the process runs).
Then two paths, in order:
1. From the host: a local engine's processes are ours to see (we are root on the Docker host). Scan
   `/proc` for the marker (plus the descendants of marked processes, which catches a child that cleared its
   environment), stop them all, SIGKILL them, and rescan until none is left. Finding none counts only when
   the host sees the container's own processes (its main process, in a cgroup named after it).
2. From inside the container otherwise (a remote engine, or another PID namespace): a second exec, as root,
   runs a small `sh` loop that kills every process carrying the marker. That needs `sh` and `grep` in the
   image, and CAP_SYS_PTRACE in the container (tasks get it, as in the seed) to read other processes'
   environments.
*/
import {readdir, readFile} from 'node:fs/promises';
import {EngineError, isEngineError} from '../errors.js';
import type {ContainerRuntime} from '../runtime/port.js';
import {waitExecExit, waitExecStarted} from './exec-poll.js';

/** The env variable that marks an exec's processes. */
export const EXEC_MARKER_ENV = 'BCS_EXEC_ID';

/** How many scan-and-kill rounds catch processes forked while the previous round was killing. */
const KILL_ROUNDS = 5;
const IN_CONTAINER_KILL_TIMEOUT_MS = 10_000;

/**
Kills, as root inside the container, every process whose environment holds the marker: each round finds them
all first, stops them all (so a parent cannot react to a child's death), then kills them. Exits 0 when a round
finds none left (printing how many it killed), 1 when five rounds were not enough, and 2 when it could read
no process's environment (without CAP_SYS_PTRACE, exec'd processes are not dumpable and their environ is
closed even to root).
*/
const IN_CONTAINER_KILL_SCRIPT = `m="${EXEC_MARKER_ENV}=$1"; self=$$; n=0; round=0
while [ "$round" -lt 5 ]; do
  pids=""; denied=0
  for d in /proc/[0-9]*; do
    p=\${d#/proc/}
    [ "$p" = "$self" ] && continue
    grep -qszxF "$m" "$d/environ"
    case $? in
      0) pids="$pids $p" ;;
      2) [ -e "$d" ] && denied=$((denied + 1)) ;;
    esac
  done
  if [ -z "$pids" ]; then
    if [ "$n" = 0 ] && [ "$denied" -gt 0 ]; then echo "cannot read the environment of $denied processes"; exit 2; fi
    echo "$n"; exit 0
  fi
  kill -STOP $pids 2>/dev/null; kill -KILL $pids 2>/dev/null
  n=$((n + $(echo $pids | wc -w))); round=$((round + 1))
done
echo "$n"; exit 1`;

export interface KillExecOptions {
  readonly containerId: string;
  readonly execId: string;
  /** The marker value given to the exec (`BCS_EXEC_ID=<marker>`). */
  readonly marker: string;
  /** `auto` tries the host first; `container` goes straight to the in-container kill. */
  readonly via?: 'auto' | 'container';
  /** Where the host's procfs is (tests). */
  readonly procRoot?: string;
}

export interface KillExecResult {
  /** Which path did the killing; `none` when nothing was left to kill. */
  readonly method: 'host' | 'container' | 'none';
  readonly killed: number;
}

interface HostProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly marked: boolean;
}

/** Whether the NUL-separated environment block holds exactly the entry `entry`. */
function environHas(environ: Buffer, entry: Buffer): boolean {
  let start = 0;
  while (start < environ.length) {
    const end = environ.indexOf(0, start);
    const stop = end < 0 ? environ.length : end;
    if (stop - start === entry.length && environ.subarray(start, stop).equals(entry)) return true;
    start = stop + 1;
  }
  return false;
}

async function readHostProcess(procRoot: string, pid: number, marker: Buffer): Promise<HostProcess | null> {
  try {
    const stat = await readFile(`${procRoot}/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so read after the last `)`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0] ?? '';
    if (state === 'Z' || state === 'X') return null;
    const environ = await readFile(`${procRoot}/${pid}/environ`).catch(() => Buffer.alloc(0));
    const marked = environHas(environ, marker);
    return {pid, ppid: Number(fields[1]), marked};
  } catch {
    return null; // Gone between readdir and read.
  }
}

/** The exec's live processes as the host sees them: the marked ones and all their descendants. */
async function findOnHost(procRoot: string, marker: string): Promise<number[]> {
  const needle = Buffer.from(`${EXEC_MARKER_ENV}=${marker}`);
  const names = await readdir(procRoot);
  const processes = (
    await Promise.all(
      names
        .filter((name) => /^\d+$/.test(name))
        .map((name) => readHostProcess(procRoot, Number(name), needle)),
    )
  ).filter((entry): entry is HostProcess => entry !== null && entry.pid !== process.pid);
  const found = new Set(processes.filter((entry) => entry.marked).map((entry) => entry.pid));
  // Descendants count even without the marker: a child may have cleared its environment.
  let grew = true;
  while (grew) {
    grew = false;
    for (const entry of processes) {
      if (!found.has(entry.pid) && found.has(entry.ppid)) {
        found.add(entry.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

function signalPid(pid: number, signal: 'SIGSTOP' | 'SIGKILL'): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ESRCH') return false;
    throw error;
  }
}

/** How long a kill round waits for the processes it killed to exit before it looks again. */
const KILL_EXIT_WAIT_MS = 1000;

/** Resolves once every pid is gone or a zombie, or after `ms`. */
async function exited(procRoot: string, pids: readonly number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const states = await Promise.all(
      pids.map((pid) =>
        readFile(`${procRoot}/${pid}/stat`, 'utf8').then(
          (stat) => stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3),
          () => 'gone',
        ),
      ),
    );
    if (states.every((state) => state === 'gone' || state === 'Z' || state === 'X')) return;
    if (Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function killOnHost(procRoot: string, marker: string): Promise<number | null> {
  let killed = 0;
  for (let round = 0; round < KILL_ROUNDS; round += 1) {
    const pids = await findOnHost(procRoot, marker);
    if (pids.length === 0) return round === 0 ? null : killed;
    // Stop them all before killing any, so that no parent reacts to a child's death by running on.
    for (const pid of pids) signalPid(pid, 'SIGSTOP');
    for (const pid of pids) if (signalPid(pid, 'SIGKILL')) killed += 1;
    // A killed process takes a moment to exit (longer on a loaded host): the next scan must not count it again.
    await exited(procRoot, pids, KILL_EXIT_WAIT_MS);
  }
  const left = await findOnHost(procRoot, marker);
  if (left.length > 0) {
    throw new EngineError(
      'ENGINE_ERROR',
      `processes ${left.join(', ')} kept coming back after ${KILL_ROUNDS} kills`,
      {
        details: {pids: left},
      },
    );
  }
  return killed;
}

/**
Whether the host's procfs shows this container's processes: its main process is there, in a cgroup named
after the container. A stopped or removed container counts as seen (none of its processes can run).
*/
async function hostSeesContainer(
  runtime: ContainerRuntime,
  containerId: string,
  procRoot: string,
): Promise<boolean> {
  try {
    const details = await runtime.inspectContainer(containerId, {
      signal: AbortSignal.timeout(IN_CONTAINER_KILL_TIMEOUT_MS),
    });
    if (!details.state.running) return true;
    const cgroup = await readFile(`${procRoot}/${details.state.pid}/cgroup`, 'utf8');
    return cgroup.includes(details.id);
  } catch (error) {
    return isEngineError(error) && error.code === 'NOT_FOUND';
  }
}

/** True when the error says the container is not running or gone: then nothing of the exec can run. */
function meansNothingRuns(error: unknown): boolean {
  return isEngineError(error) && (error.code === 'INVALID_STATE' || error.code === 'NOT_FOUND');
}

async function killInContainer(
  runtime: ContainerRuntime,
  containerId: string,
  marker: string,
): Promise<KillExecResult> {
  const signal = AbortSignal.timeout(IN_CONTAINER_KILL_TIMEOUT_MS);
  let execId: string;
  try {
    execId = await runtime.createExec(
      containerId,
      {cmd: ['sh', '-c', IN_CONTAINER_KILL_SCRIPT, 'bcs-exec-kill', marker], user: '0'},
      {signal},
    );
  } catch (error) {
    if (meansNothingRuns(error)) return {method: 'none', killed: 0};
    throw error;
  }
  const session = await runtime.startExec(execId, {signal});
  const chunks: Buffer[] = [];
  session.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  session.stderr.resume();
  await session.ended;
  const {exitCode} = await waitExecExit(runtime, execId, {signal});
  const output = Buffer.concat(chunks).toString('utf8').trim();
  if (exitCode === 2) {
    throw new EngineError(
      'UNSUPPORTED',
      `cannot find the command's processes in container ${containerId} (${output}): the engine is not ` +
        'local, and without CAP_SYS_PTRACE in the container their environment cannot be read',
      {details: {containerId, exitCode, output}},
    );
  }
  if (exitCode !== 0) {
    throw new EngineError(
      'ENGINE_ERROR',
      `the in-container kill exited ${exitCode}: ${output || '(no output)'}`,
      {
        details: {containerId, exitCode, output},
      },
    );
  }
  const killed = Number.parseInt(output, 10);
  return {method: killed > 0 ? 'container' : 'none', killed: Number.isNaN(killed) ? 0 : killed};
}

/** Whether this process can see and signal the engine's processes: a local engine on Linux. */
function hostCanSee(runtime: ContainerRuntime): boolean {
  return process.platform === 'linux' && runtime.endpoint.startsWith('unix://');
}

/**
Kills every process of the exec (see the module comment). Resolves once none is left; throws an EngineError
saying why when that could not be made sure of.
*/
export async function killExecProcesses(
  runtime: ContainerRuntime,
  options: KillExecOptions,
): Promise<KillExecResult> {
  const {containerId, execId, marker} = options;
  try {
    // Docker answers the start before the process runs: kill too early and it would appear afterwards.
    const bound = AbortSignal.timeout(IN_CONTAINER_KILL_TIMEOUT_MS);
    await waitExecStarted(runtime, execId, {signal: bound, timeoutMs: IN_CONTAINER_KILL_TIMEOUT_MS});
  } catch (error) {
    if (!meansNothingRuns(error)) throw error;
  }
  if ((options.via ?? 'auto') === 'auto' && hostCanSee(runtime)) {
    const procRoot = options.procRoot ?? '/proc';
    const killed = await killOnHost(procRoot, marker);
    if (killed !== null) return {method: 'host', killed};
    // Finding none proves that none runs only when the host sees this container's processes at all.
    if (await hostSeesContainer(runtime, containerId, procRoot)) return {method: 'none', killed: 0};
  }
  try {
    return await killInContainer(runtime, containerId, marker);
  } catch (error) {
    if (meansNothingRuns(error)) return {method: 'none', killed: 0};
    throw error;
  }
}
