import test from 'ava';
import {isRpcError, RPC_ERROR} from '../../rpc/client/index.js';
import {lazyEngine} from '../../rpc/engine-handle.js';
import {PROTOCOL_VERSION} from '../../rpc/protocol.js';
import {inProcessClient, inProcessServer, RawPeer} from '../support/rpc-client.js';
import {StubEngine} from '../support/stub-engine.js';

test('initialize answers server info, protocol version, capabilities and engine reachability', async (t) => {
  const {client} = await inProcessClient(new StubEngine());
  const init = client.initialized!;
  t.is(init.serverInfo.name, 'bcs-executor');
  t.is(init.protocolVersion, PROTOCOL_VERSION);
  t.is(init.capabilities.framing, 'headers');
  t.false(init.capabilities.batches);
  t.true(init.engine.reachable);
  t.is(init.engine.apiVersion, '1.47');
  t.is(await client.shutdown(), null);
});

test('an engine that does not come up is reported unreachable, not waited for', async (t) => {
  const never = lazyEngine('unix:///nowhere.sock', () => new Promise<never>(() => undefined));
  const {toServer, fromServer} = inProcessServer(new StubEngine(), {
    engineHandle: never,
    initializeProbeMs: 50,
  });
  const peer = new RawPeer(fromServer, (data) => toServer.write(data));
  const started = performance.now();
  peer.sendLine({jsonrpc: '2.0', id: 1, method: 'initialize', params: {}});
  const reply = await peer.reply(1);
  t.true(performance.now() - started < 1000);
  t.like(reply['result'], {engine: {reachable: false, endpoint: 'unix:///nowhere.sock', apiVersion: null}});
  peer.sendLine({jsonrpc: '2.0', id: 2, method: 'system.ping'});
  t.deepEqual((await peer.reply(2))['result'], {ok: true});
});

test('requests before initialize get -32002, initialize twice -32600', async (t) => {
  const {toServer, fromServer} = inProcessServer(new StubEngine());
  const peer = new RawPeer(fromServer, (data) => toServer.write(data));
  peer.sendLine({jsonrpc: '2.0', id: 1, method: 'pod.list'});
  t.is((await peer.reply(1)).error?.code, RPC_ERROR.ServerNotInitialized);
  peer.sendLine({jsonrpc: '2.0', id: 2, method: 'initialize', params: {}});
  t.truthy((await peer.reply(2))['result']);
  peer.sendLine({jsonrpc: '2.0', id: 3, method: 'initialize', params: {}});
  t.is((await peer.reply(3)).error?.code, RPC_ERROR.InvalidRequest);
  peer.sendLine({jsonrpc: '2.0', id: 4, method: 'pod.list'});
  t.deepEqual((await peer.reply(4))['result'], {pods: []});
});

test('after shutdown requests are refused; exit ends the session with 0', async (t) => {
  const engine = new StubEngine();
  const {client, server} = await inProcessClient(engine);
  await client.request('shutdown');
  const error = await t.throwsAsync(client.request('pod.list'));
  t.true(isRpcError(error, RPC_ERROR.InvalidRequest));
  await client.connection.sendNotification('exit');
  t.is(await server.done, 0);
  t.true(engine.closed);
});

test('exit without shutdown ends with 1; end of input with 0', async (t) => {
  const first = await inProcessClient(new StubEngine());
  await first.client.connection.sendNotification('exit');
  t.is(await first.server.done, 1);
  const second = await inProcessClient(new StubEngine());
  second.toServer.end();
  t.is(await second.server.done, 0);
});
