/**
Logs and stats of the fake runtime, with Docker's semantics: logs filtered by stream, time and tail, follow
ending when the container stops; stats as zeros for a stopped container and growing counters for a
running one, with `precpu` from the previous sample.
*/
import type {LogChunk, LogOptions, StatsSample} from '../../src/runtime/port.js';
import type {FakeContainer, FakeState} from './fake-runtime-state.js';
import {zeroStatsSample} from './stats-sample.js';

/** The host memory the fake reports (8 GiB), which is also the limit of an unlimited container. */
export const FAKE_MEM_TOTAL = 8 * 1024 ** 3;

export async function* fakeLogs(
  container: FakeContainer,
  options: LogOptions,
  down: () => Error | undefined,
): AsyncGenerator<LogChunk> {
  const {signal} = options;
  const wanted = (stream: 'stdout' | 'stderr') =>
    stream === 'stdout' ? (options.stdout ?? true) : (options.stderr ?? true);
  const inWindow = (time: number) =>
    (options.since === undefined || time >= options.since * 1000) &&
    (options.until === undefined || time <= options.until * 1000);
  const format = (entry: {stream: 'stdout' | 'stderr'; data: Buffer; time: number}): LogChunk => ({
    stream: entry.stream,
    data:
      options.timestamps === true
        ? Buffer.concat([Buffer.from(`${new Date(entry.time).toISOString()} `), entry.data])
        : entry.data,
  });

  // Docker tails the log file (both streams) first and filters by stream afterwards.
  let backlog = container.logs.filter((entry) => inWindow(entry.time));
  if (typeof options.tail === 'number') backlog = options.tail <= 0 ? [] : backlog.slice(-options.tail);
  backlog = backlog.filter((entry) => wanted(entry.stream));
  let cursor = container.logs.length;
  for (const entry of backlog) {
    if (signal?.aborted === true) return;
    yield format(entry);
  }
  if (options.follow !== true) return;

  let wakeUp: (() => void) | undefined;
  const watcher = () => wakeUp?.();
  container.watchers.add(watcher);
  signal?.addEventListener('abort', watcher, {once: true});
  try {
    for (;;) {
      while (cursor < container.logs.length) {
        const entry = container.logs[cursor++];
        if (entry !== undefined && wanted(entry.stream) && inWindow(entry.time)) yield format(entry);
      }
      if (signal?.aborted === true) return;
      const failure = down();
      if (failure !== undefined) throw failure;
      if (container.removed || (container.status !== 'running' && container.status !== 'paused')) return;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
      });
      wakeUp = undefined;
    }
  } finally {
    container.watchers.delete(watcher);
    signal?.removeEventListener('abort', watcher);
  }
}

/** One sample: zeros when not running; otherwise counters that grow per sample, overrides applied. */
export function fakeStatsSample(state: FakeState, container: FakeContainer): StatsSample {
  const running = container.status === 'running' || container.status === 'paused';
  const limit = (container.host.memory ?? 0) > 0 ? (container.host.memory ?? 0) : FAKE_MEM_TOTAL;
  if (!running) return zeroStatsSample(container.statsOverride);
  const previous = container.cpuUsage;
  container.cpuUsage += 5_000_000;
  const system = state.now() * 2_000_000;
  return {
    read: state.iso(),
    cpuTotalUsage: container.cpuUsage,
    systemCpuUsage: system,
    onlineCpus: 2,
    precpuTotalUsage: previous,
    presystemCpuUsage: system - 2_000_000_000,
    memoryUsage: 1024 * 1024,
    memoryCache: 0,
    memoryLimit: limit,
    networkRxBytes: 0,
    networkTxBytes: 0,
    blockReadBytes: 0,
    blockWriteBytes: 0,
    pids: container.host.init === true ? 2 : 1,
    ...container.statsOverride,
  };
}
