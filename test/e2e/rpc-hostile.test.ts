/**
Hostile input to the real binary over real pipes, in both framings: each bad message gets the right
standard or documented code (or a logged drop when it was a notification), and the server answers the
next request as if nothing had happened.
*/
import test, {type ExecutionContext} from 'ava';
import {RPC_ERROR} from '../../rpc/error-codes.js';
import {spawnBinary, type RawPeer} from '../support/rpc-client.js';

type Framing = 'headers' | 'ndjson';

function encode(framing: Framing, message: unknown): string {
  const json = typeof message === 'string' ? message : JSON.stringify(message);
  return framing === 'ndjson' ? `${json}\n` : `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
}

/** Sends a ping with a fresh id and checks that it is answered. */
async function stillServing(
  t: ExecutionContext,
  peer: RawPeer,
  framing: Framing,
  id: number,
  what: string,
): Promise<void> {
  peer.send(encode(framing, {jsonrpc: '2.0', id, method: 'system.ping'}));
  t.deepEqual((await peer.reply(id, 10_000))['result'], {ok: true}, `still serving after ${what}`);
}

async function errorFor(
  peer: RawPeer,
  id: string | number | null,
  timeoutMs = 10_000,
): Promise<{code: number; data: Record<string, unknown>}> {
  const reply = await peer.reply(id, timeoutMs);
  if (reply.error === undefined)
    throw new Error(`expected an error for ${String(id)}, got ${JSON.stringify(reply)}`);
  return {code: reply.error.code, data: reply.error.data ?? {}};
}

async function hostile(t: ExecutionContext, framing: Framing): Promise<void> {
  const server = spawnBinary(['rpc', '--log-level', 'warn']);
  t.teardown(() => server.child.kill());
  const {peer} = server;
  const send = (message: unknown) => peer.send(encode(framing, message));
  let next = 100;

  // Before initialize.
  send({jsonrpc: '2.0', id: 1, method: 'pod.list'});
  t.is((await errorFor(peer, 1)).code, RPC_ERROR.ServerNotInitialized);
  send({jsonrpc: '2.0', id: 2, method: 'initialize', params: {clientInfo: {name: 'hostile'}}});
  t.is(((await peer.reply(2))['result'] as {capabilities: {framing: string}}).capabilities.framing, framing);

  // Invalid JSON.
  peer.send(encode(framing, '{"jsonrpc": "2.0", "id": 3, "method": oops}'));
  t.is((await errorFor(peer, null)).code, RPC_ERROR.ParseError);
  await stillServing(t, peer, framing, next++, 'invalid JSON');

  // A batch array.
  send([{jsonrpc: '2.0', id: 4, method: 'system.ping'}]);
  const batch = await errorFor(peer, null);
  t.is(batch.code, RPC_ERROR.InvalidRequest);
  t.is(batch.data['code'], 'BATCH_UNSUPPORTED');
  await stillServing(t, peer, framing, next++, 'a batch');

  // Wrong jsonrpc version: refused with its id.
  send({jsonrpc: '1.0', id: 5, method: 'system.ping'});
  t.is((await errorFor(peer, 5)).code, RPC_ERROR.InvalidRequest);

  // Unknown method.
  send({jsonrpc: '2.0', id: 6, method: 'pod.fly', params: {}});
  t.is((await errorFor(peer, 6)).code, RPC_ERROR.MethodNotFound);

  // Missing, extra and wrong-typed params, all listed.
  send({jsonrpc: '2.0', id: 7, method: 'pod.stop', params: {graceSeconds: 'soon', colour: 'blue'}});
  const params = await errorFor(peer, 7);
  t.is(params.code, RPC_ERROR.InvalidParams);
  t.deepEqual((params.data['issues'] as {path: string}[]).map((issue) => issue.path).sort(), [
    'colour',
    'graceSeconds',
    'ref',
  ]);

  // A notification sent with an id; an unknown notification (dropped and logged, no answer).
  send({jsonrpc: '2.0', id: 8, method: 'exit'});
  t.is((await errorFor(peer, 8)).code, RPC_ERROR.InvalidRequest);
  send({jsonrpc: '2.0', method: 'nobody/listens', params: {}});
  await stillServing(t, peer, framing, next++, 'an unknown notification');
  t.regex(await server.stderrMatching(/dropped unknown notification nobody\/listens/), /nobody\/listens/);

  // A truncated frame: the rest never comes; the quiet period expires it.
  peer.send(
    framing === 'ndjson'
      ? '{"jsonrpc":"2.0","id":9,"meth'
      : 'Content-Length: 200\r\n\r\n{"jsonrpc":"2.0","id":9,"meth',
  );
  t.is((await errorFor(peer, null)).code, RPC_ERROR.ParseError);
  await stillServing(t, peer, framing, next++, 'a truncated frame');

  if (framing === 'headers') {
    // Content-Length too short: the cut body is not JSON; the rest is skipped up to the next header.
    const json = JSON.stringify({jsonrpc: '2.0', id: 10, method: 'system.ping'});
    peer.send(`Content-Length: ${json.length - 8}\r\n\r\n${json}`);
    t.is((await errorFor(peer, null)).code, RPC_ERROR.ParseError);
    await stillServing(t, peer, framing, next++, 'a short Content-Length');
    // Content-Length too long: answered with the request's id once the quiet period shows nothing else comes.
    peer.send(`Content-Length: ${json.length + 50}\r\n\r\n${json.replace('10', '11')}`);
    const long = await errorFor(peer, 11);
    t.is(long.code, RPC_ERROR.InvalidRequest);
    t.is(long.data['code'], 'CONTENT_LENGTH_MISMATCH');
    await stillServing(t, peer, framing, next++, 'a long Content-Length');
    // A malformed header.
    peer.send('Content-Length: twelve\r\n\r\n');
    t.is((await errorFor(peer, null)).code, RPC_ERROR.InvalidRequest);
    await stillServing(t, peer, framing, next++, 'a malformed header');
  }

  // A 50 MB message: refused (over the 16 MiB cap), skipped, and the next request served.
  const huge = JSON.stringify({
    jsonrpc: '2.0',
    id: 12,
    method: 'system.ping',
    params: {pad: 'x'.repeat(50 * 1024 * 1024)},
  });
  peer.send(encode(framing, huge));
  const big = await errorFor(peer, null, 60_000);
  t.is(big.code, RPC_ERROR.InvalidRequest);
  t.is(big.data['code'], 'MESSAGE_TOO_LARGE');
  await stillServing(t, peer, framing, next, 'a 50 MB message');

  send({jsonrpc: '2.0', id: 13, method: 'shutdown'});
  t.is((await peer.reply(13))['result'], null);
  send({jsonrpc: '2.0', method: 'exit'});
  t.is(await server.exited, 0);
}

test('hostile input, NDJSON framing', (t) => hostile(t, 'ndjson'));
test('hostile input, Content-Length framing', (t) => hostile(t, 'headers'));
