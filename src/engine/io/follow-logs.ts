/**
Following logs of a container, or of every app container of a pod, line by line.

Each container's stream is read as fast as Docker sends it into one bounded queue ({@link DropQueue}); a slow
consumer loses the oldest buffered lines instead of growing memory, and learns how many at the point where
they went missing. `followLogEvents` yields those losses as `{kind: 'dropped', count}` items between lines
(what a JSON-RPC face turns into a "dropped N lines" marker); `followLogs` yields lines only, the Engine's
shape, and reports losses through `onDropped` just before the line that follows the gap.

Docker ends a follow when the container stops. With `followRestarts` (the default) the follower waits for the
container's next start (see restart-wait.ts) and reopens from the last timestamp it delivered, dropping the
lines it already gave (Docker's `since` is inclusive), so a restart neither loses nor repeats lines. A
follow ends when the signal fires, when the consumer stops iterating, or when every container is removed
(without `followRestarts`: stopped). Lines of different containers come in arrival order.
*/
import {setTimeout as delay} from 'node:timers/promises';
import {isEngineError, validationError} from '../../errors.js';
import type {FollowLogsOptions, LogLine} from '../engine.js';
import type {IoDeps, ResolvedContainer} from './deps.js';
import {DropQueue} from './drop-queue.js';
import {LineSplitter} from './line-splitter.js';
import {DEFAULT_LOG_TAIL} from './log-select.js';
import {nanosToSeconds, sinceSeconds, timestampNanos} from './log-time.js';
import {waitForNextRun} from './restart-wait.js';

/** A stream that lasted less than this is reopened only after as long again. */
const QUICK_END_MS = 250;

/** Lines held for a slow consumer before the oldest are dropped, when not given. */
export const DEFAULT_FOLLOW_BUFFER_LINES = 1000;

/** What a follow yields: a line, or how many lines were lost at this point. */
export type FollowLogEvent =
  {readonly kind: 'line'; readonly line: LogLine} | {readonly kind: 'dropped'; readonly count: number};

export interface FollowLogsIoOptions extends FollowLogsOptions {
  /** Lines buffered for a slow consumer (default 1000); beyond that the oldest are dropped. */
  readonly bufferLines?: number;
  /** Called with the number of lines lost, just before the first line after the gap (`followLogs` only). */
  readonly onDropped?: (count: number) => void;
}

/** The containers a ref stands for: a pod's existing app containers, or one container. */
async function followTargets(deps: IoDeps, ref: string, signal: AbortSignal): Promise<ResolvedContainer[]> {
  // A pod first: a pod ref may also be its infra's id, which as a container would follow the pause process.
  if (deps.resolvePod !== undefined) {
    try {
      const pod = await deps.resolvePod(ref, signal);
      return pod.apps.filter((app) => app.id !== '');
    } catch (error) {
      if (!(isEngineError(error) && error.code === 'NOT_FOUND')) throw error;
    }
  }
  return [await deps.resolve(ref, signal)];
}

/** Waits `ms`, or less when the signal fires. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, {signal});
  } catch {
    // Aborted: the caller checks the signal.
  }
}

/** Where a re-opened stream resumes: the last delivered time and how many lines carried exactly it. */
interface Cursor {
  nanos: bigint;
  count: number;
}

/** Follows one container until it is removed (or stops, without restarts) or the signal fires. */
async function followContainer(
  deps: IoDeps,
  container: ResolvedContainer,
  first: {readonly tail: number | 'all'; readonly since: number | undefined},
  followRestarts: boolean,
  signal: AbortSignal,
  emit: (line: LogLine) => void,
): Promise<void> {
  let cursor: Cursor | undefined;
  // With no line delivered yet, a reopen starts where the first stream did (not at the whole history).
  const openedNanos = BigInt(Date.now()) * 1_000_000n;
  let reopen = false;
  for (;;) {
    const resumeNanos = cursor?.nanos ?? openedNanos;
    let skip = reopen ? (cursor?.count ?? 0) : 0;
    const splitter = new LineSplitter({timestamps: true});
    const deliver = (split: {stream: 'stdout' | 'stderr'; ts: string; text: string}) => {
      const nanos = timestampNanos(split.ts);
      if (nanos !== undefined) {
        if (reopen && nanos < resumeNanos) return;
        if (nanos === resumeNanos && skip > 0) {
          skip -= 1;
          return;
        }
        if (cursor === undefined || nanos > cursor.nanos) cursor = {nanos, count: 1};
        else if (nanos === cursor.nanos) cursor.count += 1;
      }
      emit({container: container.name, containerId: container.id, ...split});
    };
    const since = reopen ? nanosToSeconds(resumeNanos) : first.since;
    const openedAt = Date.now();
    const chunks = deps.runtime.logs(container.id, {
      follow: true,
      timestamps: true,
      tail: reopen ? 'all' : first.tail,
      ...(since === undefined ? {} : {since}),
      signal,
    });
    try {
      for await (const chunk of chunks) splitter.push(chunk).forEach(deliver);
    } catch (error) {
      if (signal.aborted) return;
      if (isEngineError(error) && error.code === 'NOT_FOUND') return;
      throw error;
    }
    if (signal.aborted) return;
    // The container stopped: what it wrote last without a newline is its last line.
    splitter.end().forEach(deliver);
    if (!followRestarts) return;
    const next = await waitForNextRun(deps.runtime, container.id, signal);
    if (next !== 'running') return;
    // A stream that ends at once while the container runs must not turn into a busy loop.
    if (Date.now() - openedAt < QUICK_END_MS) await pause(QUICK_END_MS, signal);
    if (signal.aborted) return;
    reopen = true;
  }
}

function checkedOptions(options: FollowLogsIoOptions): {
  tail: number | 'all';
  since: number | undefined;
  bufferLines: number;
} {
  const since = options.since === undefined ? undefined : sinceSeconds(options.since);
  // Given a `since`, everything from then; otherwise the recent lines, as a read would give.
  const tail = options.tail ?? (since === undefined ? DEFAULT_LOG_TAIL : 'all');
  const bufferLines = options.bufferLines ?? DEFAULT_FOLLOW_BUFFER_LINES;
  const issues = [];
  if (tail !== 'all' && (!Number.isSafeInteger(tail) || tail < 0)) {
    issues.push({path: 'tail', message: `${tail} is not a line count`, allowed: 'an integer >= 0'});
  }
  if (!Number.isSafeInteger(bufferLines) || bufferLines < 1) {
    issues.push({
      path: 'bufferLines',
      message: `${bufferLines} is not a line count`,
      allowed: 'an integer >= 1',
    });
  }
  if (issues.length > 0) throw validationError(issues, 'follow options');
  return {tail, since, bufferLines};
}

/**
Follows the logs of a container or a pod (every app container), yielding lines and drop markers; see the
module comment. Throws VALIDATION for bad options and NOT_FOUND for an unknown ref before yielding anything.
*/
export async function* followLogEvents(
  deps: IoDeps,
  ref: string,
  options: FollowLogsIoOptions = {},
): AsyncGenerator<FollowLogEvent> {
  const {tail, since, bufferLines} = checkedOptions(options);
  const controller = new AbortController();
  const queue = new DropQueue<LogLine>(bufferLines);
  const stop = () => {
    controller.abort();
    queue.close();
  };
  if (options.signal?.aborted === true) return;
  options.signal?.addEventListener('abort', stop, {once: true});
  try {
    const targets = await followTargets(deps, ref, controller.signal);
    const runs = targets.map((container) =>
      followContainer(
        deps,
        container,
        {tail, since},
        options.followRestarts ?? true,
        controller.signal,
        (line) => queue.push(line),
      ).catch((error: unknown) => {
        // One failed follower ends the whole follow with its error, rather than going quiet for that container.
        if (!controller.signal.aborted) queue.close(error);
        controller.abort();
      }),
    );
    void Promise.all(runs).then(() => queue.close());
    for (let item = await queue.next(); item !== undefined; item = await queue.next()) {
      yield item.kind === 'item' ? {kind: 'line', line: item.value} : item;
    }
  } catch (error) {
    // Only the caller's signal or the consumer leaving aborts: that is an end, not a failure.
    if (isEngineError(error) && error.code === 'CANCELLED') return;
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    controller.abort();
  }
}

/**
Follows the logs of a container or a pod, yielding lines only (the Engine's `followLogs`); lines lost to a slow
consumer are reported through `options.onDropped` just before the next line.
*/
export async function* followLogs(
  deps: IoDeps,
  ref: string,
  options: FollowLogsIoOptions = {},
): AsyncGenerator<LogLine> {
  for await (const event of followLogEvents(deps, ref, options)) {
    if (event.kind === 'line') yield event.line;
    else options.onDropped?.(event.count);
  }
}
