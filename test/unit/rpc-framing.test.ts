import test from 'ava';
import {PassThrough} from 'node:stream';
import type {Message} from 'vscode-jsonrpc/node';
import {RPC_ERROR} from '../../rpc/error-codes.js';
import type {ProtocolFault} from '../../rpc/framing/fault.js';
import {FramingState, type FrameLimits} from '../../rpc/framing/framing.js';
import {FramedMessageReader} from '../../rpc/framing/reader.js';
import {frame} from '../../rpc/framing/writer.js';

type Event = {message: Message} | {fault: ProtocolFault};

function reader(limits: Partial<FrameLimits> = {}) {
  const input = new PassThrough();
  const events: Event[] = [];
  const framing = new FramingState();
  const r = new FramedMessageReader(input, {framing, limits, onFault: (fault) => events.push({fault})});
  r.listen((message) => events.push({message}));
  return {input, events, framing, reader: r};
}

const request = (id: number, method = 'system.ping') => ({jsonrpc: '2.0', id, method, params: {}});
const headers = (json: string) => `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
const tick = () => new Promise((resolve) => setImmediate(resolve));
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ids(events: readonly Event[]): unknown[] {
  return events.map((e) =>
    'message' in e ? (e.message as {id?: unknown}).id : `fault:${e.fault.code}:${String(e.fault.id)}`,
  );
}

test('NDJSON is detected from a leading { after whitespace, and lines split across chunks', async (t) => {
  const {input, events, framing} = reader();
  const text = `\n  ${JSON.stringify(request(1))}\n${JSON.stringify(request(2))}\n`;
  for (const ch of text) input.write(ch);
  await tick();
  t.is(framing.framing, 'ndjson');
  t.deepEqual(ids(events), [1, 2]);
});

test('headers are detected from anything else; header names are case-insensitive', async (t) => {
  const {input, events, framing} = reader();
  const json = JSON.stringify(request(1));
  input.write(
    `content-length: ${Buffer.byteLength(json)}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${json}`,
  );
  input.write(headers(JSON.stringify(request(2))));
  await tick();
  t.is(framing.framing, 'headers');
  t.deepEqual(ids(events), [1, 2]);
});

test('invalid JSON is -32700 with id null, and the next line is read', async (t) => {
  const {input, events} = reader();
  input.write(`{"jsonrpc":"2.0","id":1,"method":\n${JSON.stringify(request(2))}\n`);
  await tick();
  t.deepEqual(ids(events), [`fault:${RPC_ERROR.ParseError}:null`, 2]);
});

test('a batch, a wrong jsonrpc, a non-object, a bad id or method or params are -32600', async (t) => {
  const {input, events} = reader();
  const lines = [
    [request(1), request(2)],
    {jsonrpc: '1.0', id: 3, method: 'x'},
    42,
    {jsonrpc: '2.0', id: null, method: 'x'},
    {jsonrpc: '2.0', id: 5, method: 7},
    {jsonrpc: '2.0', id: 6, method: 'x', params: 'a'},
    {jsonrpc: '2.0', id: 7},
  ];
  input.write(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  await tick();
  const bad = `fault:${RPC_ERROR.InvalidRequest}`;
  t.deepEqual(ids(events), [
    `${bad}:null`,
    `${bad}:3`,
    `${bad}:null`,
    `${bad}:null`,
    `${bad}:5`,
    `${bad}:6`,
    `${bad}:7`,
  ]);
  const batch = events[0] as {fault: ProtocolFault};
  t.is(batch.fault.data.code, 'BATCH_UNSUPPORTED');
});

test('an NDJSON line over the limit is refused once and skipped to its newline', async (t) => {
  const {input, events} = reader({maxMessageBytes: 1000});
  input.write('{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":"');
  for (let i = 0; i < 10; i++) input.write('x'.repeat(500));
  input.write(`"}}\n${JSON.stringify(request(2))}\n`);
  await tick();
  t.deepEqual(ids(events), [`fault:${RPC_ERROR.InvalidRequest}:null`, 2]);
  t.is((events[0] as {fault: ProtocolFault}).fault.data.code, 'MESSAGE_TOO_LARGE');
});

test('a Content-Length over the limit is refused at once and its body skipped', async (t) => {
  const {input, events} = reader({maxMessageBytes: 1000});
  const big = JSON.stringify({...request(1), params: {a: 'x'.repeat(5000)}});
  input.write(headers(big) + headers(JSON.stringify(request(2))));
  await tick();
  t.deepEqual(ids(events), [`fault:${RPC_ERROR.InvalidRequest}:null`, 2]);
});

test('a Content-Length too short: -32700 for the cut body, junk skipped, the next message read', async (t) => {
  const {input, events} = reader();
  const json = JSON.stringify(request(1));
  input.write(`Content-Length: ${json.length - 5}\r\n\r\n${json}` + headers(JSON.stringify(request(2))));
  await tick();
  t.deepEqual(ids(events), [`fault:${RPC_ERROR.ParseError}:null`, 2]);
});

test('a Content-Length too long: the overrun goes back, the frame is refused with its id', async (t) => {
  const {input, events} = reader();
  const json = JSON.stringify(request(1));
  input.write(`Content-Length: ${json.length + 30}\r\n\r\n${json}` + headers(JSON.stringify(request(2))));
  await tick();
  t.deepEqual(ids(events), [`fault:${RPC_ERROR.InvalidRequest}:1`, 2]);
});

test('a Content-Length too long with nothing after it is answered after the quiet period', async (t) => {
  const {input, events} = reader({partialMessageTimeoutMs: 50});
  const json = JSON.stringify(request(1));
  input.write(`Content-Length: ${json.length + 30}\r\n\r\n${json}`);
  await wait(120);
  t.deepEqual(ids(events), [`fault:${RPC_ERROR.InvalidRequest}:1`]);
  input.write(headers(JSON.stringify(request(2))));
  await tick();
  t.deepEqual(ids(events).slice(1), [2]);
});

test('a truncated NDJSON line is -32700 after the quiet period; a whole one without newline is served', async (t) => {
  const {input, events} = reader({partialMessageTimeoutMs: 50});
  input.write('{"jsonrpc":"2.0","id":1,"meth');
  await wait(120);
  input.write(JSON.stringify(request(2)));
  await wait(120);
  t.deepEqual(ids(events), [`fault:${RPC_ERROR.ParseError}:null`, 2]);
});

test('a malformed header or one without Content-Length is refused and the reader resyncs', async (t) => {
  const {input, events} = reader();
  input.write('Content-Length: abc\r\n\r\n');
  input.write('X-Other: 1\r\n\r\n{}');
  input.write(headers(JSON.stringify(request(3))));
  await tick();
  t.deepEqual(ids(events), [
    `fault:${RPC_ERROR.InvalidRequest}:null`,
    `fault:${RPC_ERROR.InvalidRequest}:null`,
    3,
  ]);
});

test('a header block that never ends is dropped past the header limit; the next header is found', async (t) => {
  const {input, events} = reader({maxHeaderBytes: 64});
  input.write('Garbage-' + 'y'.repeat(200));
  input.write(headers(JSON.stringify(request(4))));
  await tick();
  t.deepEqual(ids(events), [4]);
});

test('the writer frames in the detected framing, with byte lengths', (t) => {
  const json = JSON.stringify({jsonrpc: '2.0', id: 1, result: 'é'});
  t.is(frame(json, new FramingState('ndjson')), `${json}\n`);
  t.is(frame(json, new FramingState('headers')), `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  t.not(Buffer.byteLength(json), json.length);
});
