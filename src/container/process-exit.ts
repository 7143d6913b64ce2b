/**
Seeing a container's main process exit from the host's /proc, sooner than Docker's stop answers: Docker's stop
returns only after the runtime deleted the task and the daemon tidied up, 20 to 30 ms after the process is
gone. A pod stop in order needs only the exit to send the next member its signal (when a container's PID 1
exits, the kernel has killed the rest of its PID namespace before that PID 1 is reaped).

It works only where this process sees the daemon's PIDs (same host, same PID namespace, allowed to read
/proc); `watchable` checks that /proc/<pid> is the container's own (its cgroup path names the container id),
so a PID from another namespace is never taken for it. Elsewhere the caller just waits for Docker.
*/
import {readFileSync} from 'node:fs';

/** Between two looks at /proc/<pid>/stat: one look costs microseconds. */
export const PROCESS_EXIT_POLL_MS = 2;

export interface ProcessExitOptions {
  /** Default /proc (tests pass a directory of their own). */
  readonly procRoot?: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether /proc/<pid> is the main process of container `containerId`, seen from here. */
export function watchable(pid: number, containerId: string, options: ProcessExitOptions = {}): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || !/^[0-9a-f]{64}$/.test(containerId)) return false;
  const cgroup = read(`${options.procRoot ?? '/proc'}/${pid}/cgroup`);
  return cgroup !== undefined && cgroup.includes(containerId);
}

/**
Gone from /proc: exited and reaped by the runtime's shim, which is when the runtime records the exit time. A
zombie still counts as running, so a container's recorded finish always precedes the next member's signal.
*/
export function processExited(pid: number, options: ProcessExitOptions = {}): boolean {
  return read(`${options.procRoot ?? '/proc'}/${pid}/stat`) === undefined;
}

/**
Resolves when process `pid` has exited, looking every PROCESS_EXIT_POLL_MS until `until` settles or `signal`
fires (then it never resolves: the caller races it). Only for a PID `watchable` accepted.
*/
export function processExit(
  pid: number,
  until: Promise<unknown>,
  signal?: AbortSignal,
  options: ProcessExitOptions = {},
): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      done = true;
    };
    void until.then(finish, finish);
    const look = (): void => {
      if (done || signal?.aborted === true) return;
      if (processExited(pid, options)) {
        resolve();
        return;
      }
      setTimeout(look, PROCESS_EXIT_POLL_MS);
    };
    look();
  });
}
