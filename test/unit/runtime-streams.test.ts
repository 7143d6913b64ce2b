import {Readable} from 'node:stream';
import test from 'ava';
import fc from 'fast-check';
import {encodeFrame, FrameDemuxer} from '../../src/runtime/docker/demux.js';
import {eventFilters, parseEvent} from '../../src/runtime/docker/from-event.js';
import {JsonValueSplitter} from '../../src/runtime/docker/json-stream.js';
import {decodePathStat} from '../../src/runtime/docker/path-stat.js';
import {InactivityDeadline, readProgress, toProgressMessage} from '../../src/runtime/docker/progress.js';

// Real dockerd 20.10 event lines (with the legacy status/id/from fields it still sends).
const dieLine =
  '{"status":"die","id":"cf6281","from":"sha256:5100","Type":"container","Action":"die","Actor":{"ID":"cf6281",' +
  '"Attributes":{"dev.bcs-executor.pod":"web","exitCode":"3","image":"sha256:5100","name":"hungry_x"}},' +
  '"scope":"local","time":1795734608,"timeNano":1795734608123456789}\n';
const startLine =
  '{"Type":"container","Action":"start","Actor":{"ID":"cf6281","Attributes":{"name":"hungry_x"}},' +
  '"scope":"local","time":1795734607,"timeNano":1795734607000000001}\n';

test('splitter: two messages in one chunk', (t) => {
  const splitter = new JsonValueSplitter();
  t.deepEqual(splitter.push(startLine + dieLine), [startLine.trim(), dieLine.trim()]);
  t.is(splitter.bufferedBytes, 0);
});

test('splitter: a message split at every possible byte', (t) => {
  const bytes = Buffer.from(startLine + dieLine);
  for (let cut = 1; cut < bytes.length; cut++) {
    const splitter = new JsonValueSplitter();
    const out = [...splitter.push(bytes.subarray(0, cut)), ...splitter.push(bytes.subarray(cut))];
    t.deepEqual(out, [startLine.trim(), dieLine.trim()], `cut at ${cut}`);
  }
});

test('splitter: braces and escaped quotes inside strings do not confuse it; no separator needed', (t) => {
  const tricky = '{"a":"}{\\"","b":[1,{"c":"]"}]}';
  const splitter = new JsonValueSplitter();
  t.deepEqual(splitter.push(`${tricky}${tricky}\r\n`), [tricky, tricky]);
});

test('splitter: a multi-byte character split across chunks survives', (t) => {
  const text = '{"stream":"héllo ✓"}';
  const bytes = Buffer.from(text);
  const splitter = new JsonValueSplitter();
  const cut = bytes.indexOf(0xe2) + 1; // inside the ✓
  t.deepEqual([...splitter.push(bytes.subarray(0, cut)), ...splitter.push(bytes.subarray(cut))], [text]);
});

test('splitter: any chunking of any sequence of JSON objects gives the objects back (property)', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), {
        minLength: 1,
        maxLength: 5,
      }),
      fc.array(fc.nat(), {maxLength: 6}),
      (values, cuts) => {
        const bytes = Buffer.from(values.map((v) => JSON.stringify(v)).join('\n'));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const splitter = new JsonValueSplitter();
        const out: unknown[] = [];
        let last = 0;
        for (const point of [...points, bytes.length]) {
          out.push(...splitter.push(bytes.subarray(last, point)).map((text) => JSON.parse(text) as unknown));
          last = point;
        }
        return JSON.stringify(out) === JSON.stringify(values);
      },
    ),
  );
  t.pass();
});

test('event: die with exitCode and labels in attributes, timeNano exact as bigint', (t) => {
  const event = parseEvent(dieLine.trim());
  t.deepEqual(event, {
    type: 'container',
    action: 'die',
    id: 'cf6281',
    attributes: {'dev.bcs-executor.pod': 'web', exitCode: '3', image: 'sha256:5100', name: 'hungry_x'},
    timeNano: 1795734608123456789n,
  });
});

test('event: prefixed actions are kept whole; time falls back to seconds', (t) => {
  const event = parseEvent(
    '{"Type":"container","Action":"health_status: healthy","Actor":{"ID":"a"},"time":10}',
  );
  t.is(event?.action, 'health_status: healthy');
  t.is(event?.timeNano, 10_000_000_000n);
});

test('event: a label value that looks like timeNano does not fool the reader', (t) => {
  const text =
    '{"Type":"container","Action":"start","Actor":{"ID":"a","Attributes":{"x":"\\"timeNano\\":1"}},"timeNano":42}';
  t.is(parseEvent(text)?.timeNano, 42n);
});

test('event: non-events and junk are skipped', (t) => {
  t.is(parseEvent('{"status":"pulling"}'), undefined);
  t.is(parseEvent('not json'), undefined);
  t.is(parseEvent('{"Type":"container","Actor":{"ID":"a"}}'), undefined);
});

test('event filters: only what was asked, Docker names', (t) => {
  t.deepEqual(eventFilters({}), {});
  t.deepEqual(eventFilters({types: ['container'], labels: ['a=b'], actions: ['die', 'health_status']}), {
    type: ['container'],
    label: ['a=b'],
    event: ['die', 'health_status'],
  });
  t.deepEqual(eventFilters({types: [], labels: []}), {});
});

test('demux: frames of both streams in order, split anywhere', (t) => {
  const bytes = Buffer.concat([
    encodeFrame('stdout', 'out1\n'),
    encodeFrame('stderr', 'err1\n'),
    encodeFrame('stdout', ''),
    encodeFrame('stdout', 'out2'),
  ]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const demuxer = new FrameDemuxer();
    const frames = [...demuxer.push(bytes.subarray(0, cut)), ...demuxer.push(bytes.subarray(cut))];
    t.deepEqual(
      frames.map((f) => [f.stream, f.data.toString()]),
      [
        ['stdout', 'out1\n'],
        ['stderr', 'err1\n'],
        ['stdout', ''],
        ['stdout', 'out2'],
      ],
      `cut at ${cut}`,
    );
    t.is(demuxer.bufferedBytes, 0);
  }
});

test('demux: stdin echo (type 0) counts as stdout; a partial frame is held', (t) => {
  const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 2]), Buffer.from('hi')]);
  const demuxer = new FrameDemuxer();
  t.deepEqual(demuxer.push(frame.subarray(0, 9)), []);
  t.is(demuxer.bufferedBytes, 9);
  t.deepEqual(
    demuxer.push(frame.subarray(9)).map((f) => [f.stream, f.data.toString()]),
    [['stdout', 'hi']],
  );
});

test('progress: pull messages map to events; errorDetail counts as an error; aux.ID is kept', (t) => {
  t.deepEqual(
    toProgressMessage({
      status: 'Downloading',
      id: 'a1',
      progress: '[=>  ]',
      progressDetail: {current: 5, total: 10},
    }),
    {
      event: {id: 'a1', status: 'Downloading', progress: '[=>  ]', current: 5, total: 10},
      error: undefined,
      auxId: undefined,
    },
  );
  t.is(toProgressMessage({errorDetail: {message: 'manifest unknown'}}).error, 'manifest unknown');
  t.is(toProgressMessage({error: 'boom', errorDetail: {message: 'x'}}).error, 'boom');
  t.is(toProgressMessage({aux: {ID: 'sha256:abc'}}).auxId, 'sha256:abc');
});

test('progress: a stream is read to its end, reporting each message and the first error', async (t) => {
  const stream = Readable.from([
    Buffer.from('{"status":"Pulling from x"}\n{"status":"Down'),
    Buffer.from('loading"}\n{"error":"first"}\n{"error":"second"}\n'),
  ]);
  const events: string[] = [];
  let touches = 0;
  const outcome = await readProgress(stream, {
    onProgress: (event) => events.push(event.status ?? ''),
    onData: () => touches++,
  });
  t.deepEqual(events, ['Pulling from x', 'Downloading', '', '']);
  t.is(outcome.error, 'first');
  t.is(touches, 2);
});

test('inactivity deadline: fires after silence, touch pushes it back, parent abort is not expiry', async (t) => {
  const deadline = new InactivityDeadline(60);
  await new Promise((resolve) => setTimeout(resolve, 40));
  deadline.touch();
  await new Promise((resolve) => setTimeout(resolve, 40));
  t.false(deadline.signal.aborted, 'touched 40 ms ago');
  await new Promise((resolve) => setTimeout(resolve, 60));
  t.true(deadline.signal.aborted);
  t.true(deadline.expired);
  deadline.dispose();

  const parent = new AbortController();
  const child = new InactivityDeadline(10_000, parent.signal);
  parent.abort();
  t.true(child.signal.aborted);
  t.false(child.expired);
  child.dispose();
});

test('path stat header decodes (real dockerd value for /tmp)', (t) => {
  const header =
    'eyJuYW1lIjoidG1wIiwic2l6ZSI6NDA5NiwibW9kZSI6MjE0ODUzMjczNSwibXRpbWUiOiIyMDI2LTExLTI2VDIzOjA5OjQ0WiIsImxpbmtUYXJnZXQiOiIifQ==';
  const stat = decodePathStat(header);
  t.deepEqual(stat, {
    name: 'tmp',
    size: 4096,
    mode: 2148532735,
    mtime: '2026-11-26T23:09:44Z',
    linkTarget: '',
  });
  // Go's os.FileMode: permissions low, sticky at 1<<20, directory at 1<<31.
  t.is(stat.mode & 0o777, 0o777);
  t.true((stat.mode & (2 ** 20)) !== 0, 'sticky bit');
  t.true((stat.mode & (2 ** 31)) !== 0, 'directory bit');
});

test('path stat: a missing or unreadable header is ENGINE_ERROR', (t) => {
  t.throws(() => decodePathStat(undefined), {message: /no path stat header/});
  t.throws(() => decodePathStat('!!!notbase64json'), {message: /unreadable path stat/});
});
