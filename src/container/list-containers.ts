/**
ListContainer, which was an empty stub in the seed: the containers' full states (BcsContainerInfo), by
default only those this engine manages.
*/
import {LABELS} from '../constants.js';
import {isEngineError} from '../errors.js';
import type {ContainerRuntime} from '../runtime/port.js';
import {inspectToBcsInfo} from '../task/from-inspect.js';
import type {BcsContainerInfo} from '../task/types.js';
import type {ListContainerFilter} from './container.js';

/** Inspects in flight at once: enough to hide latency, few enough not to flood the daemon. */
const INSPECT_CONCURRENCY = 8;

/**
Lists then inspects each container (the list alone lacks pid, times and exit code). A container removed
between the two is left out. Order is Docker's: newest first.
*/
export async function listContainerInfos(
  runtime: ContainerRuntime,
  filter: ListContainerFilter = {},
): Promise<BcsContainerInfo[]> {
  const {signal} = filter;
  const labels = [
    ...((filter.scope ?? 'managed') === 'managed' ? [LABELS.managed] : []),
    ...(filter.labels ?? []),
  ];
  const summaries = await runtime.listContainers({
    all: filter.runningOnly !== true,
    ...(labels.length > 0 ? {labels} : {}),
    ...(filter.names === undefined ? {} : {names: filter.names}),
    ...(filter.ids === undefined ? {} : {ids: filter.ids}),
    ...(signal === undefined ? {} : {signal}),
  });
  const infos: (BcsContainerInfo | undefined)[] = new Array<BcsContainerInfo | undefined>(summaries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < summaries.length) {
      const index = next++;
      const summary = summaries[index];
      if (summary === undefined) continue;
      try {
        infos[index] = inspectToBcsInfo(
          await runtime.inspectContainer(summary.id, signal === undefined ? {} : {signal}),
        );
      } catch (error) {
        if (!(isEngineError(error) && error.code === 'NOT_FOUND')) throw error;
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(INSPECT_CONCURRENCY, summaries.length)}, worker));
  return infos.filter((info): info is BcsContainerInfo => info !== undefined);
}
