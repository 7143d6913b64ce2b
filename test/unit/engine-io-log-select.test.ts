import test from 'ava';
import type {LogLine} from '../../src/engine/engine.js';
import {
  DEFAULT_LOG_MAX_BYTES,
  DEFAULT_LOG_TAIL,
  fitNewest,
  logSelection,
  mergeByTime,
  TailKeeper,
} from '../../src/engine/io/log-select.js';
import {nanosToSeconds, sinceSeconds, timestampNanos} from '../../src/engine/io/log-time.js';
import {isEngineError} from '../../src/errors.js';
import {ts} from './engine-io-stubs.js';

function line(container: string, time: string, text: string): LogLine {
  return {container, containerId: `id-${container}`, stream: 'stdout', ts: time, text};
}

test('defaults: tail 200, maxBytes 256 KiB, no grep', (t) => {
  t.deepEqual(logSelection({}), {tail: DEFAULT_LOG_TAIL, maxBytes: DEFAULT_LOG_MAX_BYTES, grep: undefined});
  t.is(DEFAULT_LOG_TAIL, 200);
  t.is(DEFAULT_LOG_MAX_BYTES, 256 * 1024);
});

test('an invalid grep is VALIDATION carrying the regex error, with every other problem', (t) => {
  const error = t.throws(() => logSelection({grep: 'a(b', tail: -1, maxBytes: 0}));
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'VALIDATION');
  const issues = error.details['issues'] as {path: string; message: string}[];
  t.deepEqual(
    issues.map((issue) => issue.path),
    ['tail', 'maxBytes', 'grep'],
  );
  t.regex(issues[2]!.message, /Unterminated group/);
});

test('maxBytes keeps the newest lines that fit and says it cut', (t) => {
  const lines = ['aaaa', 'bbbb', 'cc', 'd'].map((text, i) => line('app', ts(i), text));
  // Each line costs its bytes plus a newline: 5, 5, 3, 2.
  t.deepEqual(fitNewest(lines, 100), {lines, truncated: false});
  t.deepEqual(fitNewest(lines, 10), {lines: lines.slice(1), truncated: true});
  t.deepEqual(fitNewest(lines, 9), {lines: lines.slice(2), truncated: true});
  t.deepEqual(fitNewest(lines, 1), {lines: [], truncated: true});
  // Bytes, not characters.
  t.deepEqual(fitNewest([line('app', ts(0), 'ü')], 2), {lines: [], truncated: true});
  t.is(fitNewest([line('app', ts(0), 'ü')], 3).lines.length, 1);
});

test('TailKeeper keeps the last n and counts them all', (t) => {
  const keeper = new TailKeeper<number>(3);
  for (let i = 0; i < 10; i += 1) keeper.push(i);
  t.deepEqual(keeper.items(), [7, 8, 9]);
  t.is(keeper.seen, 10);
  const none = new TailKeeper<number>(0);
  none.push(1);
  t.deepEqual(none.items(), []);
  t.is(none.seen, 1);
});

test('merge orders by nanosecond timestamp, ties by container order then arrival', (t) => {
  const a = [line('a', ts(1, 100), 'a1'), line('a', ts(2), 'a2'), line('a', ts(3), 'a3')];
  const b = [line('b', ts(1, 99), 'b1'), line('b', ts(2), 'b2'), line('b', ts(2, 1), 'b3')];
  t.deepEqual(
    mergeByTime([a, b]).map((l) => l.text),
    ['b1', 'a1', 'a2', 'b2', 'b3', 'a3'],
  );
  // Offsets are compared as instants.
  const c = [line('c', '2024-05-01T12:00:01.5+02:00', 'c1')];
  t.deepEqual(
    mergeByTime([a, c]).map((l) => l.text),
    ['a1', 'c1', 'a2', 'a3'],
  );
});

test('times: RFC 3339 to nanoseconds, since from seconds or RFC 3339, resume points never late', (t) => {
  t.is(timestampNanos('1970-01-01T00:00:01.000000002Z'), 1_000_000_002n);
  t.is(timestampNanos('not a time'), undefined);
  t.is(sinceSeconds(1714557600), 1714557600);
  t.is(sinceSeconds('1714557600.5'), 1714557600.5);
  t.is(sinceSeconds('2024-05-01T10:00:00Z'), 1714557600);
  t.is(sinceSeconds('2024-05-01T12:00:00.25+02:00'), 1714557600.25);
  t.throws(() => sinceSeconds('yesterday'), {message: /since.*not a time/s});
  t.throws(() => sinceSeconds(-1));
  const nanos = timestampNanos(ts(7, 123456789))!;
  const resume = nanosToSeconds(nanos);
  t.true(resume * 1e9 <= Number(nanos));
  t.true(Number(nanos) - resume * 1e9 < 3_000);
});
