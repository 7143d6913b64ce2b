/**
Log reads: one container's (`containerLogs`) or every app container's of a pod, merged by time (`podLogs`).

Docker is asked for timestamps, always, and they are split off into `ts`. Without `grep`, Docker's own `tail`
bounds the read. With `grep`, the whole range (from `since`) is scanned and the last `tail` matching lines are
kept, so a search is not limited to the last 200 lines; memory stays bounded by `tail`. `totalLines` counts the
lines read that matched (every line read without `grep`), before `tail` and `maxBytes` cut; `truncated` says
`maxBytes` left older lines out.
*/
import {EngineError, isEngineError} from '../../errors.js';
import type {LogLine, LogsOptions, LogsResult} from '../engine.js';
import {requirePodResolver, type IoDeps, type ResolvedContainer} from './deps.js';
import {LineSplitter} from './line-splitter.js';
import {fitNewest, logSelection, mergeByTime, TailKeeper, type LogSelection} from './log-select.js';
import {sinceSeconds} from './log-time.js';

/** The lines of one container that pass the selection: the last `tail` matches, and how many matched. */
async function readContainerLines(
  deps: IoDeps,
  container: ResolvedContainer,
  selection: LogSelection,
  since: number | undefined,
  signal: AbortSignal | undefined,
): Promise<{readonly lines: LogLine[]; readonly matched: number}> {
  const {grep, tail} = selection;
  const keeper = new TailKeeper<LogLine>(tail);
  const splitter = new LineSplitter({timestamps: true});
  const take = (split: {stream: 'stdout' | 'stderr'; ts: string; text: string}) => {
    if (grep !== undefined && !grep.test(split.text)) return;
    keeper.push({container: container.name, containerId: container.id, ...split});
  };
  const chunks = deps.runtime.logs(container.id, {
    follow: false,
    timestamps: true,
    tail: grep === undefined ? tail : 'all',
    ...(since === undefined ? {} : {since}),
    ...(signal === undefined ? {} : {signal}),
  });
  for await (const chunk of chunks) splitter.push(chunk).forEach(take);
  splitter.end().forEach(take);
  // The runtime ends a read quietly when the signal fires; a partial answer must not pass for a whole one.
  if (signal?.aborted === true)
    throw new EngineError('CANCELLED', 'operation cancelled', {cause: signal.reason});
  return {lines: keeper.items(), matched: keeper.seen};
}

/** Recent log lines of one container; see the module comment for `tail`, `grep`, `maxBytes` and `totalLines`. */
export async function containerLogs(
  deps: IoDeps,
  ref: string,
  options: LogsOptions = {},
): Promise<LogsResult> {
  const selection = logSelection(options);
  const since = options.since === undefined ? undefined : sinceSeconds(options.since);
  const container = await deps.resolve(ref, options.signal);
  const read = await readContainerLines(deps, container, selection, since, options.signal);
  const fitted = fitNewest(read.lines, selection.maxBytes);
  return {lines: fitted.lines, truncated: fitted.truncated, totalLines: read.matched};
}

/**
Recent log lines of every app container of a pod, merged by timestamp: each container is read with the
options, then the merged list keeps its last `tail` lines and the newest that fit `maxBytes`. Containers that
do not exist (any more) are left out.
*/
export async function podLogs(deps: IoDeps, ref: string, options: LogsOptions = {}): Promise<LogsResult> {
  const selection = logSelection(options);
  const since = options.since === undefined ? undefined : sinceSeconds(options.since);
  const pod = await requirePodResolver(deps)(ref, options.signal);
  const reads = await Promise.all(
    pod.apps
      .filter((app) => app.id !== '')
      .map((app) => readContainerLines(deps, app, selection, since, options.signal).catch(unlessGone)),
  );
  const merged = mergeByTime(reads.map((read) => read.lines));
  const tailed = selection.tail === 0 ? [] : merged.slice(-selection.tail);
  const fitted = fitNewest(tailed, selection.maxBytes);
  const totalLines = reads.reduce((sum, read) => sum + read.matched, 0);
  return {lines: fitted.lines, truncated: fitted.truncated, totalLines};
}

/** A member removed between resolving the pod and reading its logs has no lines; other failures stand. */
function unlessGone(error: unknown): {readonly lines: LogLine[]; readonly matched: number} {
  if (isEngineError(error) && error.code === 'NOT_FOUND') return {lines: [], matched: 0};
  throw error;
}
