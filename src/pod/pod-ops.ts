/**
Stopping and tearing down a pod's containers, shared by the seed model (BcsPod) and the engine (which works on
pods any process created, from their labels). Every step tolerates a container that is already stopped or gone
(Docker's 304 and 404 are states, not errors), so a teardown can always be run again.
*/
import {isEngineError, throwIfAborted, toEngineError, type EngineError} from '../errors.js';
import {processExit, watchable} from '../container/process-exit.js';
import {stopWithDeadline} from '../container/stop-deadline.js';
import type {ContainerRuntime} from '../runtime/port.js';
import type {CniDelOptions} from '../network/cni/cni-network.js';
import type {CniLabels} from './labels.js';

/** One app container to stop: its Docker id, its spec name, its kill policy. */
export interface StopMember {
  readonly id: string;
  readonly name: string;
  readonly graceSeconds: number;
  /** Its main process as Docker last reported it (0 or absent: unknown); lets the next stop follow its exit. */
  readonly pid?: number;
}

/** How stopApps stops. */
export interface StopAppsOptions {
  /** Overrides every member's kill policy. */
  readonly graceSeconds?: number | undefined;
  /**
  Set each member's Docker restart policy to `no` first: Docker and every engine watching then know the stop is
  deliberate and bring nothing back (`pod.start` restores the policy).
  */
  readonly withdrawRestartPolicy?: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Around each stop (the seed's PreStop and PostStop). */
  readonly before?: (member: StopMember) => Promise<void> | void;
  readonly after?: (member: StopMember, stopped: boolean) => Promise<void> | void;
  /**
  The step after the apps (the infra's kill): run once every member's process is gone, while Docker may still
  be tidying up after the last ones, and awaited with them. Skipped when a stop failed or `signal` fired.
  */
  readonly afterExit?: () => Promise<void>;
  /** Where members' exits are looked for (default /proc; tests give a directory of their own). */
  readonly procRoot?: string;
}

function callOptions(signal: AbortSignal | undefined): {signal?: AbortSignal} {
  return signal === undefined ? {} : {signal};
}

function isGone(error: unknown): boolean {
  return isEngineError(error) && error.code === 'NOT_FOUND';
}

/** Another remover (a second engine's crash rule, say) got there first: as good as gone. */
function beingRemoved(error: unknown): boolean {
  return isEngineError(error) && error.code === 'INVALID_STATE' && /already in progress/.test(error.message);
}

/** Withdraws the Docker restart policy of `ids` (gone ones are skipped). */
export async function withdrawRestartPolicies(
  runtime: ContainerRuntime,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      try {
        await runtime.updateContainer(id, {restartPolicy: {name: 'no'}}, callOptions(signal));
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    }),
  );
}

/**
Stops `members` one after the other in reverse spec order, each with its kill policy (Docker's stop, bounded by
a real deadline, then SIGKILL). Returns the ids that were running and are now stopped. Stopping continues past
a failing member; the first failure is thrown at the end.

The next member gets its signal once the previous one's process has exited, which is what the order promises.
Without hooks, that exit is seen in /proc where this process can see it (process-exit.ts), 20 to 30 ms before
Docker's stop answers; Docker's answers are all awaited before returning. With `before`/`after` (the seed's
PreStop and PostStop) each stop is awaited in full, so the hooks keep the seed's strict order.
*/
export async function stopApps(
  runtime: ContainerRuntime,
  members: readonly StopMember[],
  options: StopAppsOptions = {},
): Promise<string[]> {
  if (options.withdrawRestartPolicy === true) {
    await withdrawRestartPolicies(
      runtime,
      members.map((member) => member.id),
      options.signal,
    );
  }
  const hooked = options.before !== undefined || options.after !== undefined;
  const order = [...members].reverse();
  let failure: EngineError | undefined;
  const stops: Promise<boolean>[] = [];
  for (const member of order) {
    await options.before?.(member);
    const stop = stopWithDeadline(runtime, member.id, {
      timeoutSeconds: Math.max(0, Math.round(options.graceSeconds ?? member.graceSeconds)),
      ...callOptions(options.signal),
    }).then(
      (result) => result.changed,
      (error: unknown) => {
        if (!isGone(error)) failure ??= toEngineError(error);
        return false;
      },
    );
    stops.push(stop);
    const pid = member.pid ?? 0;
    const proc = options.procRoot === undefined ? {} : {procRoot: options.procRoot};
    if (hooked || !watchable(pid, member.id, proc)) {
      const changed = await stop;
      await options.after?.(member, changed);
    } else {
      await Promise.race([stop, processExit(pid, stop, options.signal, proc)]);
    }
    if (options.signal?.aborted === true) break;
  }
  let afterFailure: EngineError | undefined;
  if (options.afterExit !== undefined && failure === undefined) {
    try {
      throwIfAborted(options.signal);
      await options.afterExit();
    } catch (error) {
      afterFailure = toEngineError(error);
    }
  }
  const changed = await Promise.all(stops);
  if (failure !== undefined) throw failure;
  if (afterFailure !== undefined) throw afterFailure;
  return order.filter((_, index) => changed[index] === true).map((member) => member.id);
}

/**
SIGKILLs the infra: a pause process needs no grace, and exit code 137 is the mark of a deliberate stop that
every process reads the same way (docs/pods.md). Not running or gone: false.
*/
export async function killInfra(
  runtime: ContainerRuntime,
  id: string,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    await runtime.killContainer(id, 'SIGKILL', callOptions(signal));
    return true;
  } catch (error) {
    if (isEngineError(error) && (error.code === 'INVALID_STATE' || error.code === 'NOT_FOUND')) return false;
    throw error;
  }
}

/**
Force-removes a pod's containers: the apps and the infra at once. Podman refuses to remove a container others
still depend on, so an infra whose first removal failed is removed again once the apps are gone (and fails
then only for a reason of its own). Returns the ids that existed.
*/
export async function removePodContainers(
  runtime: ContainerRuntime,
  appIds: readonly string[],
  infraId: string | undefined,
  signal?: AbortSignal,
): Promise<string[]> {
  let failure: EngineError | undefined;
  const appsRemoved = removeContainers(runtime, appIds, signal).catch((error: unknown) => {
    failure = toEngineError(error);
    return [];
  });
  const infraIds = infraId === undefined ? [] : [infraId];
  const infraFirst = removeContainers(runtime, infraIds, signal).catch(() => undefined);
  const [apps, infra] = await Promise.all([appsRemoved, infraFirst]);
  // The infra goes even when an app could not: a half-removed pod must not keep its namespaces.
  const infraRemoved = infra ?? (await removeContainers(runtime, infraIds, signal));
  if (failure !== undefined) throw failure;
  return [...apps, ...infraRemoved];
}

/** Force-removes `ids` at once (already gone is fine; not for containers that depend on each other); returns the ones that existed. */
export async function removeContainers(
  runtime: ContainerRuntime,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  let failure: EngineError | undefined;
  // Independent calls (the members are stopped, or force kills them): at once, not one round trip each.
  const results = await Promise.all(
    ids.map(async (id) => {
      try {
        return (await runtime.removeContainer(id, {force: true, ...callOptions(signal)})).changed;
      } catch (error) {
        if (!isGone(error) && !beingRemoved(error)) failure ??= toEngineError(error);
        return false;
      }
    }),
  );
  if (failure !== undefined) throw failure;
  return ids.filter((_, index) => results[index] === true);
}

/** The CNI DEL function (injectable for tests). */
export type CniDel = (options: CniDelOptions) => Promise<void>;

/** `/proc/<pid>/ns/net` of the infra; with no process (pid 0) a path that does not exist, which DEL accepts. */
export function netnsPathOf(pid: number): string {
  return `/proc/${pid}/ns/net`;
}

/**
CNI DEL for a pod's infra, from what its labels recorded at create: safe when the netns is already gone (the
plugins still release the IP lease) and safe to repeat.
*/
export async function cniTeardown(
  del: CniDel,
  input: {
    readonly infraId: string;
    readonly infraPid: number;
    readonly cni: CniLabels;
    readonly pluginDirs?: readonly string[] | undefined;
    readonly timeoutMs?: number | undefined;
  },
): Promise<void> {
  const {cni} = input;
  await del({
    network: cni.network,
    containerId: input.infraId,
    netnsPath: netnsPathOf(input.infraPid),
    ifName: cni.ifName,
    confDir: cni.confDir,
    ...(cni.ip === undefined ? {} : {ip: cni.ip}),
    ...(cni.egressMbps === undefined ? {} : {egressMbps: cni.egressMbps}),
    ...(input.pluginDirs === undefined ? {} : {pluginDirs: input.pluginDirs}),
    ...(input.timeoutMs === undefined ? {} : {timeoutMs: input.timeoutMs}),
  });
}

/** A bounded signal for cleanup work, which must not take the (perhaps already aborted) caller's signal. */
/** The bound on one container create that is not cancelled mid-call (see pod-infra.ts). */
export const CREATE_BOUND_MS = 30_000;

export function cleanupSignal(ms = 60_000): AbortSignal {
  return AbortSignal.timeout(ms);
}
