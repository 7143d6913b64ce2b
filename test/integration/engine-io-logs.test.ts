import test from 'ava';
import {followLogs} from '../../src/engine/io/follow-logs.js';
import {containerLogs, podLogs} from '../../src/engine/io/logs.js';
import {isEngineError} from '../../src/errors.js';
import {cleanup, eventually, plainDeps, startContainer, subject} from './engine-io-support.js';

test.after.always(cleanup);

// Ten numbered lines on stdout, every third also on stderr, one non-ASCII line, then idle.
const WRITER = [
  'sh',
  '-c',
  'for i in 1 2 3 4 5 6 7 8 9 10; do echo "out $i"; if [ $((i % 3)) -eq 0 ]; then echo "err $i" >&2; fi; done; ' +
    'echo "grüße 🌍"; exec sleep 300',
];

test('logs of both streams, with timestamps, tail, grep and maxBytes', async (t) => {
  const {runtime} = await subject();
  const id = await startContainer(WRITER);
  const deps = plainDeps(runtime);
  const all = await eventually(t, 'all 14 lines', async () => {
    const result = await containerLogs(deps, id, {tail: 100});
    return result.totalLines === 14 ? result : undefined;
  });
  t.false(all.truncated);
  const stdout = all.lines.filter((line) => line.stream === 'stdout').map((line) => line.text);
  const stderr = all.lines.filter((line) => line.stream === 'stderr').map((line) => line.text);
  t.deepEqual(stdout, [...Array.from({length: 10}, (_, i) => `out ${i + 1}`), 'grüße 🌍']);
  t.deepEqual(stderr, ['err 3', 'err 6', 'err 9']);
  for (const line of all.lines) {
    t.regex(line.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    t.is(line.containerId, id);
  }

  // Docker copies the two streams separately and stamps lines as it reads them, so the order across streams
  // is Docker's (by time), not the program's: expectations derive from the full read.
  const texts = all.lines.map((line) => line.text);
  const tailed = await containerLogs(deps, id, {tail: 2});
  t.deepEqual(
    tailed.lines.map((line) => line.text),
    texts.slice(-2),
  );

  const pattern = /^(err|out) [36]$/;
  const grepped = await containerLogs(deps, id, {grep: pattern.source, tail: 3});
  t.is(grepped.totalLines, 4);
  t.deepEqual(
    grepped.lines.map((line) => line.text),
    texts.filter((text) => pattern.test(text)).slice(-3),
  );

  // The budget of the last two lines (text and newline, in UTF-8 bytes) keeps exactly those.
  const budget = texts.slice(-2).reduce((sum, text) => sum + Buffer.byteLength(text) + 1, 0);
  const capped = await containerLogs(deps, id, {tail: 100, maxBytes: budget});
  t.true(capped.truncated);
  t.is(capped.totalLines, 14);
  t.deepEqual(
    capped.lines.map((line) => line.text),
    texts.slice(-2),
  );

  const error = await t.throwsAsync(containerLogs(deps, id, {grep: '(('}));
  t.true(isEngineError(error) && error.code === 'VALIDATION');
});

test('pod logs merge two containers by time', async (t) => {
  const {runtime} = await subject();
  // Both write a line a second for four seconds, so their lines interleave whatever the start latency.
  const writer = (name: string) => [
    'sh',
    '-c',
    `for i in 1 2 3 4; do echo "${name} $i"; sleep 1; done; exec sleep 300`,
  ];
  const first = await startContainer(writer('a'));
  const second = await startContainer(writer('b'));
  const deps = plainDeps(runtime, {both: [first, second]});
  const merged = await eventually(t, 'eight lines', async () => {
    const result = await podLogs(deps, 'both');
    return result.totalLines === 8 ? result : undefined;
  });
  const texts = merged.lines.map((line) => line.text);
  const times = merged.lines.map((line) => line.ts);
  t.deepEqual(times, [...times].sort(), 'ordered by timestamp');
  t.deepEqual(
    texts.filter((text) => text.startsWith('a ')),
    ['a 1', 'a 2', 'a 3', 'a 4'],
  );
  t.deepEqual(
    texts.filter((text) => text.startsWith('b ')),
    ['b 1', 'b 2', 'b 3', 'b 4'],
  );
  t.true(
    texts.slice(0, 4).some((text) => text.startsWith('b ')),
    'interleaved, not one after the other',
  );
  t.deepEqual(
    merged.lines
      .map((line) => line.containerId)
      .filter((id, index, ids) => ids.indexOf(id) === index)
      .sort(),
    [first, second].sort(),
  );
});

test('follow re-attaches across a restart without duplicates or gaps', async (t) => {
  const {runtime} = await subject();
  // Each boot numbers itself (the count survives in the container's file system) and its lines.
  const id = await startContainer([
    'sh',
    '-c',
    'trap "exit 0" TERM; n=$(cat /tmp/boots 2>/dev/null || echo 0); n=$((n + 1)); echo $n > /tmp/boots; ' +
      'i=0; while :; do i=$((i + 1)); echo "boot $n line $i"; sleep 0.1; done',
  ]);
  const deps = plainDeps(runtime);
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 40_000);
  const lines: string[] = [];
  let restarted = false;
  try {
    for await (const line of followLogs(deps, id, {
      signal: controller.signal,
    })) {
      lines.push(line.text);
      if (!restarted && line.text === 'boot 1 line 5') {
        restarted = true;
        void runtime.restartContainer(id, {timeoutSeconds: 5});
      }
      if (line.text === 'boot 2 line 5') break;
    }
  } finally {
    clearTimeout(timeout);
  }
  t.false(controller.signal.aborted, 'the follow saw the second boot in time');
  t.is(new Set(lines).size, lines.length, 'no line came twice');
  for (const boot of [1, 2]) {
    const numbers = lines
      .filter((text) => text.startsWith(`boot ${boot} `))
      .map((text) => Number(text.split(' ')[3]));
    t.true(numbers.length >= 5);
    t.deepEqual(
      numbers,
      numbers.map((_, index) => index + 1),
      `boot ${boot} lines are all there, in order`,
    );
  }
});

test('follow ends when the container is removed', async (t) => {
  const {runtime} = await subject();
  const id = await startContainer(['sh', '-c', 'echo hello; exit 0']);
  const deps = plainDeps(runtime);
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 20_000);
  const lines: string[] = [];
  try {
    for await (const line of followLogs(deps, id, {signal: controller.signal})) {
      lines.push(line.text);
      void runtime.removeContainer(id, {force: true});
    }
  } finally {
    clearTimeout(timeout);
  }
  t.deepEqual(lines, ['hello']);
  t.false(controller.signal.aborted, 'ended by the removal, not by the deadline');
});

test('a TTY container: raw output, CRLF line ends, a last line without newline, timestamps', async (t) => {
  const {runtime} = await subject();
  // Docker holds a partial line until the stream closes, so the container exits after it.
  const id = await startContainer(['sh', '-c', 'echo first; printf "second\\nthird"'], {tty: true});
  const deps = plainDeps(runtime);
  const result = await eventually(t, 'three lines', async () => {
    const read = await containerLogs(deps, id);
    return read.totalLines === 3 ? read : undefined;
  });
  t.deepEqual(
    result.lines.map((line) => [line.stream, line.text]),
    [
      ['stdout', 'first'],
      ['stdout', 'second'],
      ['stdout', 'third'],
    ],
  );
  t.true(result.lines.every((line) => /^\d{4}-\d\d-\d\dT/.test(line.ts)));
});
