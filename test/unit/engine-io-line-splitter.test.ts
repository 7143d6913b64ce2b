import test from 'ava';
import {LineSplitter} from '../../src/engine/io/line-splitter.js';
import {chunk, ts} from './engine-io-stubs.js';

test('a line split over chunks comes out once, whole', (t) => {
  const splitter = new LineSplitter({timestamps: false});
  t.deepEqual(splitter.push(chunk('stdout', 'hel')), []);
  t.deepEqual(splitter.push(chunk('stdout', 'lo\nwor')), [{stream: 'stdout', ts: '', text: 'hello'}]);
  t.deepEqual(splitter.push(chunk('stdout', 'ld\n\nlast')), [
    {stream: 'stdout', ts: '', text: 'world'},
    {stream: 'stdout', ts: '', text: ''},
  ]);
  t.deepEqual(splitter.end(), [{stream: 'stdout', ts: '', text: 'last'}]);
  t.deepEqual(splitter.end(), []);
});

test('a UTF-8 character split across chunks is decoded whole', (t) => {
  const splitter = new LineSplitter({timestamps: false});
  const bytes = Buffer.from('grüß 🌍\n', 'utf8');
  const lines = [];
  // Every byte its own chunk: the 4-byte emoji and both 2-byte letters are cut.
  for (const byte of bytes) lines.push(...splitter.push(chunk('stdout', Buffer.from([byte]))));
  t.deepEqual(lines, [{stream: 'stdout', ts: '', text: 'grüß 🌍'}]);
});

test('each stream keeps its own partial line and decoder', (t) => {
  const splitter = new LineSplitter({timestamps: false});
  const euro = Buffer.from('€', 'utf8');
  t.deepEqual(splitter.push(chunk('stdout', Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]))), []);
  t.deepEqual(splitter.push(chunk('stderr', 'err\n')), [{stream: 'stderr', ts: '', text: 'err'}]);
  t.deepEqual(splitter.push(chunk('stdout', Buffer.concat([euro.subarray(1), Buffer.from('\n')]))), [
    {stream: 'stdout', ts: '', text: 'a€'},
  ]);
});

test('CRLF line ends lose their CR; a lone CR inside a line stays', (t) => {
  const splitter = new LineSplitter({timestamps: false});
  t.deepEqual(splitter.push(chunk('stdout', 'one\r\ntw\ro\r')), [{stream: 'stdout', ts: '', text: 'one'}]);
  t.deepEqual(splitter.push(chunk('stdout', '\n')), [{stream: 'stdout', ts: '', text: 'tw\ro'}]);
});

test('the last line without a newline comes out at the end, an incomplete character as U+FFFD', (t) => {
  const splitter = new LineSplitter({timestamps: false});
  splitter.push(
    chunk('stderr', Buffer.concat([Buffer.from('tail '), Buffer.from('é', 'utf8').subarray(0, 1)])),
  );
  splitter.push(chunk('stdout', 'out'));
  t.deepEqual(splitter.end(), [
    {stream: 'stdout', ts: '', text: 'out'},
    {stream: 'stderr', ts: '', text: 'tail \uFFFD'},
  ]);
});

test('timestamps are split off; a line without one takes the last of its stream', (t) => {
  const splitter = new LineSplitter({timestamps: true});
  const lines = splitter.push(
    chunk('stdout', `${ts(1, 5)} first line\r\nsecond, same message\n${ts(2)} third\n`),
  );
  t.deepEqual(lines, [
    {stream: 'stdout', ts: ts(1, 5), text: 'first line'},
    {stream: 'stdout', ts: ts(1, 5), text: 'second, same message'},
    {stream: 'stdout', ts: ts(2), text: 'third'},
  ]);
  t.deepEqual(splitter.push(chunk('stderr', 'no stamp yet\n')), [
    {stream: 'stderr', ts: '', text: 'no stamp yet'},
  ]);
});

test('a timestamp split across chunks is still recognised; text keeps its own spaces', (t) => {
  const splitter = new LineSplitter({timestamps: true});
  const line = `${ts(3, 123456789)}   indented\n`;
  t.deepEqual(splitter.push(chunk('stdout', line.slice(0, 12))), []);
  t.deepEqual(splitter.push(chunk('stdout', line.slice(12))), [
    {stream: 'stdout', ts: ts(3, 123456789), text: '  indented'},
  ]);
});

test('offsets and short fractions are timestamps too', (t) => {
  const splitter = new LineSplitter({timestamps: true});
  t.deepEqual(splitter.push(chunk('stdout', '2024-05-01T12:00:00.5+02:00 x\n2024-05-01T10:00:00Z y\n')), [
    {stream: 'stdout', ts: '2024-05-01T12:00:00.5+02:00', text: 'x'},
    {stream: 'stdout', ts: '2024-05-01T10:00:00Z', text: 'y'},
  ]);
});

test('output without newlines is cut at maxLineChars instead of growing', (t) => {
  const splitter = new LineSplitter({timestamps: false, maxLineChars: 4});
  t.deepEqual(
    splitter.push(chunk('stdout', 'abcdefghij')).map((line) => line.text),
    ['abcd', 'efgh'],
  );
  t.deepEqual(
    splitter.end().map((line) => line.text),
    ['ij'],
  );
});
