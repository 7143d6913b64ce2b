import test from 'ava';
import type {LogLine} from '../../src/engine/engine.js';
import {DropQueue} from '../../src/engine/io/drop-queue.js';
import {followLogEvents, followLogs} from '../../src/engine/io/follow-logs.js';
import type {FollowLogEvent} from '../../src/engine/io/follow-logs.js';
import {timestampNanos} from '../../src/engine/io/log-time.js';
import {EngineError} from '../../src/errors.js';
import type {
  ContainerDetails,
  EventsOptions,
  LogChunk,
  LogOptions,
  RuntimeEvent,
} from '../../src/runtime/port.js';
import {chunks, container, stamped, stubDeps, stubRuntime, ts} from './engine-io-stubs.js';

const app = container('app');

/** Resolves when the signal fires. */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), {once: true});
  });
}

test('the drop queue drops the oldest and reports the gap where it is', async (t) => {
  const queue = new DropQueue<number>(3);
  for (let i = 1; i <= 5; i += 1) queue.push(i);
  t.deepEqual(await queue.next(), {kind: 'dropped', count: 2});
  t.deepEqual(await queue.next(), {kind: 'item', value: 3});
  queue.push(6);
  queue.push(7);
  // 4 went: the gap is after 3, which was already taken.
  t.deepEqual(await queue.next(), {kind: 'dropped', count: 1});
  t.deepEqual(await queue.next(), {kind: 'item', value: 5});
  queue.close();
  queue.push(8);
  t.deepEqual(await queue.next(), {kind: 'item', value: 6});
  t.deepEqual(await queue.next(), {kind: 'item', value: 7});
  t.is(await queue.next(), undefined);
  t.is(queue.dropped, 3);
});

test('a waiting consumer wakes on push and on close with an error', async (t) => {
  const queue = new DropQueue<string>(2);
  const waiting = queue.next();
  queue.push('a');
  t.deepEqual(await waiting, {kind: 'item', value: 'a'});
  const failing = queue.next();
  queue.close(new EngineError('ENGINE_UNAVAILABLE', 'gone'));
  await t.throwsAsync(failing, {message: 'gone'});
});

test('a slow consumer gets drop markers instead of unbounded buffering', async (t) => {
  let produced!: () => void;
  const allProduced = new Promise<void>((resolve) => (produced = resolve));
  const runtime = stubRuntime({
    async *logs(_id: string, options: LogOptions = {}) {
      for (let i = 1; i <= 10; i += 1) yield stamped('stdout', ts(i), `line ${i}`);
      produced();
      await aborted(options.signal);
    },
  });
  const controller = new AbortController();
  const events = followLogEvents(stubDeps(runtime, [app]), 'app', {
    bufferLines: 3,
    signal: controller.signal,
  });
  const iterator = events[Symbol.asyncIterator]();
  const first = iterator.next();
  await allProduced;
  const seen: FollowLogEvent[] = [(await first).value as FollowLogEvent];
  for (let i = 0; i < 3; i += 1) seen.push((await iterator.next()).value as FollowLogEvent);
  // The first line went straight to the waiting consumer; of the 9 after it, the 3 newest stayed.
  t.deepEqual(
    seen.map((event) => (event.kind === 'line' ? event.line.text : `dropped ${event.count}`)),
    ['line 1', 'dropped 6', 'line 8', 'line 9'],
  );
  t.deepEqual(
    await iterator
      .next()
      .then(
        (r) => (r.value as FollowLogEvent).kind === 'line' && (r.value as {line: {text: string}}).line.text,
      ),
    'line 10',
  );
  controller.abort();
  t.true((await iterator.next()).done);
});

test('followLogs reports drops through onDropped just before the next line', async (t) => {
  let produced!: () => void;
  const allProduced = new Promise<void>((resolve) => (produced = resolve));
  const runtime = stubRuntime({
    async *logs() {
      for (let i = 1; i <= 6; i += 1) yield stamped('stdout', ts(i), `line ${i}`);
      produced();
      await Promise.resolve();
    },
  });
  const log: string[] = [];
  const iterator = followLogs(stubDeps(runtime, [app]), 'app', {
    bufferLines: 2,
    followRestarts: false,
    onDropped: (count) => log.push(`dropped ${count}`),
  })[Symbol.asyncIterator]();
  // The generator starts reading on the first next(); that one gets the first line at once.
  const first = iterator.next();
  await allProduced;
  const firstLine: LogLine | undefined = (await first).value;
  log.push(firstLine?.text ?? '');
  for (let result = await iterator.next(); result.done !== true; result = await iterator.next()) {
    log.push(result.value.text);
  }
  t.deepEqual(log, ['line 1', 'dropped 3', 'line 5', 'line 6']);
});

test('a restart is followed from the last timestamp without repeating lines', async (t) => {
  const logCalls: LogOptions[] = [];
  const eventCalls: EventsOptions[] = [];
  const streams: LogChunk[][] = [
    [
      stamped('stdout', ts(1), 'one'),
      stamped('stderr', ts(2), 'two'),
      stamped('stdout', ts(3), 'three a'),
      stamped('stdout', ts(3), 'three b'),
    ],
    // Docker's since is inclusive (and ours a microsecond early): the lines at ts(3) come again.
    [
      stamped('stdout', ts(3), 'three a'),
      stamped('stdout', ts(3), 'three b'),
      stamped('stdout', ts(8), 'after restart'),
    ],
  ];
  let inspects = 0;
  const runtime = stubRuntime({
    logs(_id: string, options: LogOptions = {}) {
      logCalls.push(options);
      return chunks(streams[logCalls.length - 1] ?? []);
    },
    inspectContainer: () => {
      inspects += 1;
      if (inspects > 1) return Promise.reject(new EngineError('NOT_FOUND', 'no such container'));
      return Promise.resolve({state: {running: false, finishedAt: ts(4)}} as unknown as ContainerDetails);
    },
    async *events(options: EventsOptions) {
      await Promise.resolve();
      eventCalls.push(options);
      const at = (time: string): RuntimeEvent => ({
        type: 'container',
        action: 'start',
        id: 'id-app',
        attributes: {},
        timeNano: timestampNanos(time)!,
      });
      // The start of the run that just ended is replayed first and must not count.
      yield at(ts(0, 500));
      yield {...at(ts(5)), id: 'someone-else'};
      yield at(ts(6));
    },
  });
  const lines: string[] = [];
  for await (const line of followLogs(stubDeps(runtime, [app]), 'app', {tail: 10})) lines.push(line.text);
  t.deepEqual(lines, ['one', 'two', 'three a', 'three b', 'after restart']);
  t.like(logCalls[0], {follow: true, timestamps: true, tail: 10});
  t.is(logCalls[1]?.tail, 'all');
  t.true(logCalls[1]!.since! <= 1714557603 && logCalls[1]!.since! > 1714557602.99);
  t.deepEqual(eventCalls[0]?.actions, ['start', 'destroy']);
  t.true(eventCalls[0]!.since! <= 1714557604);
});

test('a destroy while waiting for a restart ends the follow', async (t) => {
  const runtime = stubRuntime({
    logs: () => chunks([stamped('stdout', ts(1), 'only')]),
    inspectContainer: () =>
      Promise.resolve({state: {running: false, finishedAt: ts(2)}} as unknown as ContainerDetails),
    async *events() {
      await Promise.resolve();
      yield {
        type: 'container',
        action: 'destroy',
        id: 'id-app',
        attributes: {},
        timeNano: timestampNanos(ts(3))!,
      };
    },
  });
  const lines: string[] = [];
  for await (const line of followLogs(stubDeps(runtime, [app]), 'app')) lines.push(line.text);
  t.deepEqual(lines, ['only']);
});

test('leaving the loop aborts the Docker stream; a pod follows every app container', async (t) => {
  const side = container('side');
  const signals: AbortSignal[] = [];
  const runtime = stubRuntime({
    async *logs(id: string, options: LogOptions = {}) {
      signals.push(options.signal!);
      yield stamped('stdout', ts(1), `hello from ${id}`);
      await aborted(options.signal);
    },
  });
  const deps = stubDeps(runtime, [app, side], {name: 'web', infraId: 'id-infra', apps: [app, side]});
  const seen = new Set<string>();
  for await (const line of followLogs(deps, 'web')) {
    seen.add(`${line.container}:${line.text}`);
    if (seen.size === 2) break;
  }
  t.deepEqual([...seen].sort(), ['app:hello from id-app', 'side:hello from id-side']);
  t.is(signals.length, 2);
  t.true(signals.every((signal) => signal.aborted));
});

test('an unknown ref is NOT_FOUND; a failing stream ends the follow with its error', async (t) => {
  const runtime = stubRuntime({
    async *logs() {
      yield* chunks([stamped('stdout', ts(1), 'before the failure')]);
      throw new EngineError('ENGINE_UNAVAILABLE', 'daemon went away');
    },
  });
  const deps = stubDeps(runtime, [app]);
  await t.throwsAsync(
    async () => {
      for await (const _ of followLogs(deps, 'nope')) t.fail();
    },
    {message: /not found/},
  );
  const lines: string[] = [];
  await t.throwsAsync(
    async () => {
      for await (const line of followLogs(deps, 'app')) lines.push(line.text);
    },
    {message: 'daemon went away'},
  );
  t.deepEqual(lines, ['before the failure']);
});
