/**
Following resource usage: one Docker stats stream per container (about a sample a second), coalesced. The
latest sample of each container waits in a map until the next tick (every `intervalMs`), when each container
with a new sample yields one view. A slow consumer therefore never makes samples pile up: while it is busy,
newer samples replace older ones, and it gets the latest when it asks again.
*/
import {setTimeout as delay} from 'node:timers/promises';
import {isEngineError, validationError} from '../../errors.js';
import type {ContainerRuntime, StatsSample} from '../../runtime/port.js';
import type {StatsView} from '../engine.js';
import type {IoDeps, ResolvedContainer} from './deps.js';
import {toStatsView} from './stats.js';

/** Milliseconds between samples when not given. */
export const DEFAULT_STATS_INTERVAL_MS = 2000;

/** The shortest interval (Docker collects once a second). */
export const MIN_STATS_INTERVAL_MS = 1000;

export interface FollowStatsOptions {
  readonly signal: AbortSignal;
  /** Milliseconds between views of a container (default 2000, at least 1000). */
  readonly intervalMs?: number;
}

/** Docker's zero time: the `read` of a sample of a container that is not running. */
const ZERO_TIME_PREFIX = '0001-01-01';

/**
A reading of a running container. Docker keeps streaming for one that stopped (and resumes when it starts
again), with a zero `read` time and every counter zero; podman alike. Those are no usage, and not yielded.
*/
function isLive(sample: StatsSample): boolean {
  return (
    sample.read !== '' &&
    !sample.read.startsWith(ZERO_TIME_PREFIX) &&
    sample.systemCpuUsage > 0 &&
    sample.memoryUsage > 0
  );
}

/**
Whether `sample` carries a real CPU delta: from Docker's `precpu` when it filled it, else from `baseline` (the
previous live sample of the same run). Host time must have moved on and the container's counter not gone back
(a `precpu` from before a restart does).
*/
function hasCpuDelta(sample: StatsSample, baseline: StatsSample | undefined): boolean {
  const before =
    sample.presystemCpuUsage > 0
      ? {total: sample.precpuTotalUsage, system: sample.presystemCpuUsage}
      : baseline === undefined
        ? undefined
        : {total: baseline.cpuTotalUsage, system: baseline.systemCpuUsage};
  return (
    before !== undefined && sample.systemCpuUsage > before.system && sample.cpuTotalUsage >= before.total
  );
}

/** Waits `ms`; false when the signal fired first. */
async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, {signal});
    return true;
  } catch {
    return false;
  }
}

/**
Coalesced views of `targets` every `intervalMs` (not checked: {@link followStats} checks it). Only readings of
a running container with a real CPU delta are yielded: a sample with no `precpu` waits for the next (the delta
is then taken from it), and while a container is stopped its series pauses (Docker's zero samples are skipped)
until it runs again and has a new delta. A container that goes away drops out; the iteration ends when all
have, or with the signal; another stream failure ends it with that error.
*/
export async function* coalesceStats(
  runtime: ContainerRuntime,
  targets: readonly ResolvedContainer[],
  options: {readonly intervalMs: number; readonly signal: AbortSignal},
): AsyncGenerator<StatsView> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  const {signal} = options;
  if (signal.aborted) return;
  signal.addEventListener('abort', stop, {once: true});
  const latest = new Map<string, StatsView>();
  let active = targets.length;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  controller.signal.addEventListener('abort', notify, {once: true});

  const pump = async (target: ResolvedContainer) => {
    // The previous live sample of the current run: a delta is never taken across a stop.
    let baseline: StatsSample | undefined;
    for await (const sample of runtime.statsStream(target.id, {signal: controller.signal})) {
      if (!isLive(sample)) {
        baseline = undefined;
        continue;
      }
      if (hasCpuDelta(sample, baseline)) {
        latest.set(target.id, toStatsView(target, sample, baseline));
        notify();
      }
      baseline = sample;
    }
  };
  for (const target of targets) {
    pump(target)
      .catch((error: unknown) => {
        if (controller.signal.aborted || (isEngineError(error) && error.code === 'NOT_FOUND')) return;
        failure ??= error instanceof Error ? error : new Error('stats stream failed', {cause: error});
      })
      .finally(() => {
        active -= 1;
        notify();
      });
  }

  try {
    for (;;) {
      const tickStarted = Date.now();
      while (latest.size === 0 && active > 0 && failure === undefined && !controller.signal.aborted) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (controller.signal.aborted) return;
      if (failure !== undefined) throw failure;
      if (latest.size === 0) return;
      const batch = targets.flatMap((target) => {
        const view = latest.get(target.id);
        return view === undefined ? [] : [view];
      });
      latest.clear();
      for (const view of batch) yield view;
      // The next tick is an interval after this one began (waiting for the consumer counts towards it).
      const rest = options.intervalMs - (Date.now() - tickStarted);
      if (rest > 0 && !(await sleep(rest, controller.signal))) return;
    }
  } finally {
    signal.removeEventListener('abort', stop);
    controller.abort();
  }
}

/** The containers refs stand for: each a container, or a pod's existing app containers. */
async function statsTargets(
  deps: IoDeps,
  refs: readonly string[],
  signal: AbortSignal,
): Promise<ResolvedContainer[]> {
  const resolved = await Promise.all(
    refs.map(async (ref): Promise<readonly ResolvedContainer[]> => {
      try {
        return [await deps.resolve(ref, signal)];
      } catch (error) {
        if (deps.resolvePod === undefined || !(isEngineError(error) && error.code === 'NOT_FOUND'))
          throw error;
        const pod = await deps.resolvePod(ref, signal);
        return pod.apps.filter((app) => app.id !== '');
      }
    }),
  );
  // A container named twice (itself and through its pod) is followed once.
  const byId = new Map<string, ResolvedContainer>();
  for (const target of resolved.flat()) if (!byId.has(target.id)) byId.set(target.id, target);
  return [...byId.values()];
}

/**
Follows the usage of containers (or pods' app containers) every `intervalMs` (>= 1000, VALIDATION otherwise),
coalesced as the module comment says, until the signal fires. Refs are resolved first (NOT_FOUND before
anything is yielded).
*/
export async function* followStats(
  deps: IoDeps,
  refs: readonly string[],
  options: FollowStatsOptions,
): AsyncGenerator<StatsView> {
  const intervalMs = options.intervalMs ?? DEFAULT_STATS_INTERVAL_MS;
  const issues = [];
  if (!Number.isSafeInteger(intervalMs) || intervalMs < MIN_STATS_INTERVAL_MS) {
    issues.push({
      path: 'intervalMs',
      message: `${intervalMs} is too short or not a number`,
      allowed: `an integer >= ${MIN_STATS_INTERVAL_MS}`,
    });
  }
  if (refs.length === 0)
    issues.push({path: 'refs', message: 'no container to follow', allowed: 'one ref or more'});
  if (issues.length > 0) throw validationError(issues, 'stats options');
  const targets = await statsTargets(deps, refs, options.signal);
  yield* coalesceStats(deps.runtime, targets, {intervalMs, signal: options.signal});
}
