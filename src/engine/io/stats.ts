/**
Resource usage of a container (`containerStats`) or a pod (`podStats`), with the computed fields of
cpu-percent.ts. A pod's CPU and memory are the sums over its app containers; its network counters come from
the infra container alone, because members share the infra's network namespace and Docker reports the same
counters for each of them (summing would count the traffic once per member).
*/
import {isEngineError} from '../../errors.js';
import type {StatsSample} from '../../runtime/port.js';
import type {PodStatsView, Signal, StatsView} from '../engine.js';
import {requirePodResolver, type IoDeps, type ResolvedContainer} from './deps.js';
import {cpuPercent, memoryPercent, memoryUsedBytes} from './cpu-percent.js';

/** Docker's zero time, which a stopped container's sample carries as its `read`. */
const ZERO_TIME_PREFIX = '0001-01-01';

/** A StatsView of `sample`; `previous` stands in for an empty `precpu` (see cpuPercent). */
export function toStatsView(
  container: ResolvedContainer,
  sample: StatsSample,
  previous?: StatsSample,
): StatsView {
  const at =
    sample.read === '' || sample.read.startsWith(ZERO_TIME_PREFIX) ? new Date().toISOString() : sample.read;
  return {
    container: container.name,
    containerId: container.id,
    pod: container.pod,
    at,
    cpuPercent: cpuPercent(sample, previous),
    memoryBytes: memoryUsedBytes(sample),
    memoryLimitBytes: sample.memoryLimit,
    memoryPercent: memoryPercent(sample),
    networkRxBytes: sample.networkRxBytes,
    networkTxBytes: sample.networkTxBytes,
    blockReadBytes: sample.blockReadBytes,
    blockWriteBytes: sample.blockWriteBytes,
    pids: sample.pids,
  };
}

/** One container's usage now (Docker takes two samples about a second apart, so this waits that long). */
export async function containerStats(deps: IoDeps, ref: string, options: Signal = {}): Promise<StatsView> {
  const container = await deps.resolve(ref, options.signal);
  const sample = await deps.runtime.stats(container.id, options);
  return toStatsView(container, sample);
}

/** A sample, or undefined when the container went away in the meantime. */
async function sampleUnlessGone(deps: IoDeps, id: string, options: Signal): Promise<StatsSample | undefined> {
  try {
    return await deps.runtime.stats(id, options);
  } catch (error) {
    if (isEngineError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/** The pod's totals from its members' views and its infra's sample (network). */
export function podTotals(
  pod: string,
  containers: readonly StatsView[],
  infra: StatsSample | undefined,
): PodStatsView {
  return {
    pod,
    at: containers[0]?.at ?? new Date().toISOString(),
    cpuPercent: containers.reduce((sum, view) => sum + view.cpuPercent, 0),
    memoryBytes: containers.reduce((sum, view) => sum + view.memoryBytes, 0),
    networkRxBytes: infra?.networkRxBytes ?? 0,
    networkTxBytes: infra?.networkTxBytes ?? 0,
    containers,
  };
}

/**
A pod's usage now: every existing app container and the infra sampled in parallel (about a second, as for one
container). Members that do not exist (any more) are left out; a missing infra gives zero network counters.
*/
export async function podStats(deps: IoDeps, ref: string, options: Signal = {}): Promise<PodStatsView> {
  const pod = await requirePodResolver(deps)(ref, options.signal);
  const apps = pod.apps.filter((app) => app.id !== '');
  const [infra, ...samples] = await Promise.all([
    pod.infraId === '' ? Promise.resolve(undefined) : sampleUnlessGone(deps, pod.infraId, options),
    ...apps.map((app) => sampleUnlessGone(deps, app.id, options)),
  ]);
  const views = apps.flatMap((app, index) => {
    const sample = samples[index];
    return sample === undefined ? [] : [toStatsView(app, sample)];
  });
  return podTotals(pod.name, views, infra);
}
