import test from 'ava';
import {containerLogs, podLogs} from '../../src/engine/io/logs.js';
import type {LogOptions} from '../../src/runtime/port.js';
import {EngineError, isEngineError} from '../../src/errors.js';
import {chunks, container, stamped, stubDeps, stubRuntime, ts} from './engine-io-stubs.js';

const app = container('app');
const side = container('side');

/** Logs the runtime holds per container id; `tail` applied as Docker does, the options recorded. */
function logRuntime(logs: Record<string, ReturnType<typeof stamped>[]>, calls: LogOptions[] = []) {
  return stubRuntime({
    logs: (id: string, options: LogOptions = {}) => {
      calls.push(options);
      const all = logs[id] ?? [];
      const tail = options.tail;
      return chunks(tail === undefined || tail === 'all' ? all : tail === 0 ? [] : all.slice(-tail));
    },
  });
}

test('container logs: timestamps asked for and split off, both streams, Docker tail used', async (t) => {
  const calls: LogOptions[] = [];
  const runtime = logRuntime(
    {
      'id-app': [
        stamped('stdout', ts(1), 'out 1'),
        stamped('stderr', ts(2), 'err 1'),
        stamped('stdout', ts(3), 'out 2'),
      ],
    },
    calls,
  );
  const result = await containerLogs(stubDeps(runtime, [app]), 'app', {
    tail: 2,
    since: '2024-05-01T10:00:00Z',
  });
  t.deepEqual(result, {
    lines: [
      {container: 'app', containerId: 'id-app', stream: 'stderr', ts: ts(2), text: 'err 1'},
      {container: 'app', containerId: 'id-app', stream: 'stdout', ts: ts(3), text: 'out 2'},
    ],
    truncated: false,
    totalLines: 2,
  });
  t.like(calls[0], {follow: false, timestamps: true, tail: 2, since: 1714557600});
});

test('grep scans the whole range and keeps the last `tail` matches; totalLines counts matches', async (t) => {
  const calls: LogOptions[] = [];
  const lines = Array.from({length: 50}, (_, i) =>
    stamped('stdout', ts(i), i % 5 === 0 ? `ERROR ${i}` : `ok ${i}`),
  );
  const result = await containerLogs(stubDeps(logRuntime({'id-app': lines}, calls), [app]), 'app', {
    grep: '^ERROR',
    tail: 3,
  });
  t.is(calls[0]?.tail, 'all');
  t.deepEqual(
    result.lines.map((l) => l.text),
    ['ERROR 35', 'ERROR 40', 'ERROR 45'],
  );
  t.is(result.totalLines, 10);
  t.false(result.truncated);
});

test('maxBytes keeps the newest lines that fit and sets truncated', async (t) => {
  const lines = Array.from({length: 10}, (_, i) => stamped('stdout', ts(i), `line-${i}`));
  const result = await containerLogs(stubDeps(logRuntime({'id-app': lines}), [app]), 'app', {maxBytes: 21});
  // "line-N\n" is 7 bytes: three fit.
  t.deepEqual(
    result.lines.map((l) => l.text),
    ['line-7', 'line-8', 'line-9'],
  );
  t.true(result.truncated);
  t.is(result.totalLines, 10);
});

test('an invalid grep fails before Docker is asked', async (t) => {
  const calls: LogOptions[] = [];
  const error = await t.throwsAsync(
    containerLogs(stubDeps(logRuntime({}, calls), [app]), 'app', {grep: '[z-a]'}),
  );
  t.true(isEngineError(error) && error.code === 'VALIDATION');
  t.regex(error?.message ?? '', /grep: .*Range out of order/);
  t.is(calls.length, 0);
});

test('pod logs merge the app containers by timestamp, then tail and cap the merged list', async (t) => {
  const runtime = logRuntime({
    'id-app': [
      stamped('stdout', ts(1), 'app 1'),
      stamped('stdout', ts(4), 'app 4'),
      stamped('stdout', ts(6), 'app 6'),
    ],
    'id-side': [
      stamped('stderr', ts(2), 'side 2'),
      stamped('stdout', ts(3), 'side 3'),
      stamped('stdout', ts(5), 'side 5'),
    ],
  });
  const pod = {name: 'web', infraId: 'id-infra', apps: [app, side, {...container('gone'), id: ''}]};
  const deps = stubDeps(runtime, [app, side], pod);
  const all = await podLogs(deps, 'web');
  t.deepEqual(
    all.lines.map((l) => `${l.container}:${l.text}`),
    ['app:app 1', 'side:side 2', 'side:side 3', 'app:app 4', 'side:side 5', 'app:app 6'],
  );
  t.is(all.totalLines, 6);
  const tailed = await podLogs(deps, 'web', {tail: 4, maxBytes: 14});
  // The last four are side 3, app 4, side 5, app 6; 7 bytes each, two fit.
  t.deepEqual(
    tailed.lines.map((l) => l.text),
    ['side 5', 'app 6'],
  );
  t.true(tailed.truncated);
});

test('pod logs leave out a member removed meanwhile', async (t) => {
  const runtime = stubRuntime({
    logs: (id: string) => {
      if (id === 'id-side') {
        return (async function* () {
          yield* chunks([]);
          throw new EngineError('NOT_FOUND', 'no such container');
        })();
      }
      return chunks([stamped('stdout', ts(1), 'still here')]);
    },
  });
  const deps = stubDeps(runtime, [app, side], {name: 'web', infraId: 'id-infra', apps: [app, side]});
  const result = await podLogs(deps, 'web');
  t.deepEqual(
    result.lines.map((l) => l.text),
    ['still here'],
  );
});
