import test from 'ava';
import {setTimeout as delay} from 'node:timers/promises';
import type {StatsView} from '../../src/engine/engine.js';
import {coalesceStats, followStats} from '../../src/engine/io/follow-stats.js';
import {EngineError, isEngineError} from '../../src/errors.js';
import type {StatsSample} from '../../src/runtime/port.js';
import {zeroStatsSample} from '../support/stats-sample.js';
import {container, stubDeps, stubRuntime} from './engine-io-stubs.js';

/**
Sample number `n`: the container's counter grows `busy` units per sample against 100 host units, so CPU % is
`busy` (one CPU); `withPrecpu` fills Docker's precpu with sample `n - 1`. Memory in use is `n`.
*/
function sample(n: number, withPrecpu: boolean, busy = 50): StatsSample {
  // Counters start well above zero, as a host's do: a zero precpu means "none" to the formulas.
  const at = n + 10;
  return zeroStatsSample({
    read: new Date(Date.UTC(2024, 4, 1, 10, 0, n)).toISOString(),
    cpuTotalUsage: at * busy,
    systemCpuUsage: at * 100,
    onlineCpus: 1,
    precpuTotalUsage: withPrecpu ? (at - 1) * busy : 0,
    presystemCpuUsage: withPrecpu ? (at - 1) * 100 : 0,
    memoryUsage: n,
    pids: 1,
  });
}

/** A stats stream the test pushes samples into, or ends with an error. */
class Feed {
  readonly #queue: StatsSample[] = [];
  #wake: (() => void) | undefined;
  #error: Error | undefined;
  #ended = false;
  pulled = 0;

  push(item: StatsSample): void {
    this.#queue.push(item);
    this.#wake?.();
  }

  fail(error: Error): void {
    this.#error = error;
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  async *stream(signal: AbortSignal): AsyncGenerator<StatsSample> {
    const onAbort = () => this.#wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const next = this.#queue.shift();
        if (next !== undefined) {
          this.pulled += 1;
          yield next;
          continue;
        }
        if (this.#error !== undefined) throw this.#error;
        if (this.#ended || signal.aborted) return;
        await new Promise<void>((resolve) => (this.#wake = resolve));
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

function feedRuntime(feeds: Record<string, Feed>) {
  return stubRuntime({
    statsStream: (id: string, options: {readonly signal: AbortSignal}) => {
      const feed = feeds[id];
      if (feed === undefined) throw new Error(`no feed for ${id}`);
      return feed.stream(options.signal);
    },
  });
}

const app = container('app');
const side = container('side');

test('a slow consumer gets the latest sample, not a backlog', async (t) => {
  const feed = new Feed();
  const controller = new AbortController();
  const views = coalesceStats(feedRuntime({'id-app': feed}), [app], {
    intervalMs: 10,
    signal: controller.signal,
  });
  const iterator = views[Symbol.asyncIterator]();
  feed.push(sample(1, true));
  const first = await iterator.next();
  t.is((first.value as StatsView).memoryBytes, 1);
  // The consumer is busy while 50 samples arrive.
  for (let n = 2; n <= 51; n += 1) feed.push(sample(n, true, n === 51 ? 80 : 50));
  await delay(50);
  const next = await iterator.next();
  t.is((next.value as StatsView).memoryBytes, 51);
  t.is((next.value as StatsView).cpuPercent, 80);
  t.is(feed.pulled, 51, 'every sample was read off the stream as it came');
  controller.abort();
  t.true((await iterator.next()).done);
});

test('one view per container per tick, in the order asked; the first sample waits for a CPU delta', async (t) => {
  const feeds = {'id-app': new Feed(), 'id-side': new Feed()};
  const controller = new AbortController();
  const iterator = coalesceStats(feedRuntime(feeds), [app, side], {
    intervalMs: 30,
    signal: controller.signal,
  })[Symbol.asyncIterator]();
  // One-shot-like first samples (no precpu): held back.
  feeds['id-side'].push(sample(1, false));
  feeds['id-app'].push(sample(1, false));
  const pending = iterator.next();
  await delay(20);
  // Streamed samples without precpu: CPU % from the kept previous sample (50 of 100 units).
  feeds['id-side'].push(sample(2, false));
  feeds['id-app'].push(sample(2, false));
  await delay(5);
  const batch = [(await pending).value as StatsView, (await iterator.next()).value as StatsView];
  t.deepEqual(
    batch.map((view) => [view.container, view.cpuPercent, view.memoryBytes]),
    [
      ['app', 50, 2],
      ['side', 50, 2],
    ],
  );
  controller.abort();
  t.true((await iterator.next()).done);
});

test('a container that goes away drops out; when all have, the follow ends', async (t) => {
  const feeds = {'id-app': new Feed(), 'id-side': new Feed()};
  const iterator = coalesceStats(feedRuntime(feeds), [app, side], {
    intervalMs: 5,
    signal: new AbortController().signal,
  })[Symbol.asyncIterator]();
  feeds['id-side'].fail(new EngineError('NOT_FOUND', 'no such container'));
  feeds['id-app'].push(sample(1, true));
  t.is(((await iterator.next()).value as StatsView).container, 'app');
  feeds['id-app'].end();
  t.true((await iterator.next()).done);
});

test('another stream failure ends the follow with it', async (t) => {
  const feed = new Feed();
  const iterator = coalesceStats(feedRuntime({'id-app': feed}), [app], {
    intervalMs: 5,
    signal: new AbortController().signal,
  })[Symbol.asyncIterator]();
  feed.fail(new EngineError('ENGINE_UNAVAILABLE', 'daemon went away'));
  await t.throwsAsync(iterator.next(), {message: 'daemon went away'});
});

test('followStats checks the interval and refs, and expands a pod into its app containers', async (t) => {
  const feeds = {'id-app': new Feed(), 'id-side': new Feed()};
  const deps = stubDeps(feedRuntime(feeds), [app, side], {
    name: 'web',
    infraId: 'id-infra',
    apps: [app, side],
  });
  const controller = new AbortController();
  const tooFast = followStats(deps, ['app'], {signal: controller.signal, intervalMs: 500});
  const error = await t.throwsAsync(tooFast.next());
  t.true(isEngineError(error) && error.code === 'VALIDATION');
  t.regex(error?.message ?? '', /intervalMs/);
  await t.throwsAsync(followStats(deps, [], {signal: controller.signal}).next(), {message: /refs/});
  await t.throwsAsync(followStats(deps, ['nope'], {signal: controller.signal}).next(), {
    message: /not found/,
  });

  const iterator = followStats(deps, ['web', 'app'], {signal: controller.signal, intervalMs: 1000});
  feeds['id-app'].push(sample(1, true));
  feeds['id-side'].push(sample(1, true));
  const first = await iterator.next();
  const second = await iterator.next();
  t.deepEqual(
    [first.value, second.value].map((view) => (view as StatsView).container),
    ['app', 'side'],
  );
  controller.abort();
  t.true((await iterator.next()).done);
});

/** What Docker streams for a container that stopped: zero time, zero counters (the first keeps its precpu). */
function stoppedSample(precpuOf?: StatsSample): StatsSample {
  return zeroStatsSample({
    precpuTotalUsage: precpuOf?.cpuTotalUsage ?? 0,
    presystemCpuUsage: precpuOf?.systemCpuUsage ?? 0,
  });
}

test('a container that stops yields no zero sample; after a restart it waits for a fresh CPU delta', async (t) => {
  const feed = new Feed();
  const controller = new AbortController();
  const iterator = coalesceStats(feedRuntime({'id-app': feed}), [app], {
    intervalMs: 5,
    signal: controller.signal,
  })[Symbol.asyncIterator]();
  const live = sample(1, true);
  feed.push(live);
  t.is(((await iterator.next()).value as StatsView).memoryBytes, 1);
  feed.push(stoppedSample(live));
  feed.push(stoppedSample());
  feed.push(stoppedSample());
  // Restarted: the first sample has no precpu (held back as the new run's baseline), the next has a delta.
  feed.push(sample(20, false));
  await delay(30);
  feed.push(sample(21, false));
  const next = (await iterator.next()).value as StatsView;
  t.is(next.memoryBytes, 21, 'nothing between the last live sample and the restarted run');
  t.is(next.cpuPercent, 50, 'the delta from the new run, not across the stop');
  t.not(next.at, '0001-01-01T00:00:00Z');
  t.is(feed.pulled, 6);
  controller.abort();
  t.true((await iterator.next()).done);
});

test('a sample without a memory reading or with counters going back is not yielded', async (t) => {
  const feed = new Feed();
  const controller = new AbortController();
  const iterator = coalesceStats(feedRuntime({'id-app': feed}), [app], {
    intervalMs: 5,
    signal: controller.signal,
  })[Symbol.asyncIterator]();
  feed.push({...sample(1, true), memoryUsage: 0});
  // precpu from before a counter reset (the run restarted between two collections).
  feed.push({...sample(2, true), precpuTotalUsage: 10_000_000});
  feed.push(sample(3, true));
  const view = (await iterator.next()).value as StatsView;
  t.is(view.memoryBytes, 3);
  t.is(view.cpuPercent, 50);
  controller.abort();
  t.true((await iterator.next()).done);
});
