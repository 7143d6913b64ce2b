import test from 'ava';
import {isRpcError, RPC_ERROR, type NotificationParams} from '../../rpc/client/index.js';
import {inProcessClient, inProcessServer, RawPeer, type RawMessage} from '../support/rpc-client.js';
import {StubEngine} from '../support/stub-engine.js';

const spec = {name: 'web', containers: [{name: 'app', image: 'bcs-executor/demo:local'}]};
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await wait(5);
  }
}

test('cancelling a long pod.wait answers -32800 and aborts the engine wait', async (t) => {
  const engine = new StubEngine();
  const {client} = await inProcessClient(engine);
  await client.api.pod.create({spec, start: false});
  const controller = new AbortController();
  const pending = client.api.pod.wait({ref: 'web', condition: 'running'}, {signal: controller.signal});
  await until(() => engine.calls.includes('waitPod'));
  controller.abort();
  const error = await t.throwsAsync(pending);
  t.true(isRpcError(error, RPC_ERROR.RequestCancelled));
  t.deepEqual(
    (await client.api.pod.list()).pods.map((pod) => pod.status),
    ['init'],
  );
});

test('cancelling a long container.exec answers -32800 and leaves no exec running', async (t) => {
  const engine = new StubEngine();
  const {client} = await inProcessClient(engine);
  await client.api.pod.create({spec});
  const controller = new AbortController();
  const pending = client.api.container.exec(
    {ref: 'web/app', cmd: ['sleep', '300']},
    {signal: controller.signal},
  );
  await until(() => engine.runningExecs === 1);
  controller.abort();
  t.true(isRpcError(await t.throwsAsync(pending), RPC_ERROR.RequestCancelled));
  t.is(engine.runningExecs, 0);
});

test('a timeout in the engine is Timeout (1006), not a cancellation', async (t) => {
  const {client} = await inProcessClient(new StubEngine());
  await client.api.pod.create({spec, start: false});
  const error = await t.throwsAsync(client.api.pod.wait({ref: 'web', condition: 'running', timeoutMs: 30}));
  t.true(isRpcError(error, RPC_ERROR.Timeout));
});

test('image.pull reports $/progress begin, reports and end', async (t) => {
  const {client} = await inProcessClient(new StubEngine());
  const kinds: string[] = [];
  const result = await client.api.image.pull(
    {ref: 'bcs-executor/demo:local'},
    {onProgress: (value) => kinds.push(value.kind)},
  );
  t.true(result.changed);
  t.is(kinds[0], 'begin');
  t.is(kinds.at(-1), 'end');
  t.true(kinds.filter((kind) => kind === 'report').length >= 1);
});

test('events.subscribe answers a snapshot before any notification, then status changes in order', async (t) => {
  const engine = new StubEngine();
  const {client} = await inProcessClient(engine);
  await client.api.pod.create({spec});
  const seen: string[] = [];
  client.on('container/statusChanged', (p) =>
    seen.push(`container:${p.container.name}:${p.container.status}`),
  );
  client.on('pod/statusChanged', (p) => seen.push(`pod:${p.pod.status}:${String(p.previous)}`));
  client.on('pod/removed', (p) => seen.push(`removed:${p.name}`));
  const subscribed = client.api.events.subscribe();
  // A change right behind the subscribe call still comes after the snapshot.
  void client.api.pod.stop({ref: 'web'});
  const snapshot = await subscribed;
  t.deepEqual(
    snapshot.pods.map((pod) => pod.name),
    ['web'],
  );
  t.true(snapshot.connection.connected);
  await until(() => seen.includes('pod:killed:running'));
  t.deepEqual(seen.slice(0, 2), ['container:app:exited', 'pod:killed:running']);
  engine.setConnection({connected: false, endpoint: 'unix:///stub.sock', apiVersion: '1.47', error: 'gone'});
  const lost = await new Promise<NotificationParams['engine/connectionChanged']>((resolve) =>
    client.on('engine/connectionChanged', resolve),
  );
  t.false(lost.connected);
  t.is(lost.subscriptionId, snapshot.subscriptionId);
  t.true((await client.api.events.unsubscribe({subscriptionId: snapshot.subscriptionId})).changed);
  await client.api.pod.remove({ref: 'web'});
  await wait(30);
  t.false(seen.includes('removed:web'));
});

test('logs.subscribe streams logs/data, then logs/end when the stream ends or is unsubscribed', async (t) => {
  const engine = new StubEngine();
  const {client} = await inProcessClient(engine);
  await client.api.pod.create({spec});
  const lines: string[] = [];
  const ends: NotificationParams['logs/end'][] = [];
  client.on('logs/data', (p) => lines.push(...p.lines.map((line) => line.text)));
  client.on('logs/end', (p) => ends.push(p));
  const missing = await t.throwsAsync(client.api.logs.subscribe({ref: 'nope'}));
  t.true(isRpcError(missing, RPC_ERROR.NotFound));
  const first = await client.api.logs.subscribe({ref: 'web'});
  engine.pushLog('web', 'one');
  engine.pushLog('web', 'two');
  await until(() => lines.length === 2);
  engine.endLogs('web');
  await until(() => ends.length === 1);
  t.like(ends[0], {subscriptionId: first.subscriptionId, reason: 'ended'});
  const second = await client.api.logs.subscribe({ref: 'web-app'});
  t.true((await client.api.logs.unsubscribe({subscriptionId: second.subscriptionId})).changed);
  await until(() => ends.length === 2);
  t.like(ends[1], {subscriptionId: second.subscriptionId, reason: 'unsubscribed'});
  t.false((await client.api.logs.unsubscribe({subscriptionId: second.subscriptionId})).changed);
  t.deepEqual(lines, ['one', 'two']);
});

test('stats.subscribe streams coalesced stats/sample with percentages, then stats/end', async (t) => {
  const {client} = await inProcessClient(new StubEngine());
  await client.api.pod.create({spec});
  const samples: NotificationParams['stats/sample'][] = [];
  client.on('stats/sample', (p) => samples.push(p));
  const ended = new Promise<NotificationParams['stats/end']>((resolve) => client.on('stats/end', resolve));
  const {subscriptionId} = await client.api.stats.subscribe({refs: ['web'], intervalMs: 1000});
  await until(() => samples.length >= 2);
  t.is(samples[0]?.samples[0]?.cpuPercent, 12.5);
  t.is(samples[0]?.samples[0]?.container, 'app');
  await client.api.stats.unsubscribe({subscriptionId});
  t.like(await ended, {subscriptionId, reason: 'unsubscribed'});
});

test('a slow client: log lines are dropped with counts, and requests are still served', async (t) => {
  const engine = new StubEngine();
  const {toServer, fromServer} = inProcessServer(engine);
  const send = (message: unknown) => toServer.write(`${JSON.stringify(message)}\n`);
  send({jsonrpc: '2.0', id: 1, method: 'initialize', params: {}});
  send({jsonrpc: '2.0', id: 2, method: 'pod.create', params: {spec}});
  send({jsonrpc: '2.0', id: 3, method: 'logs.subscribe', params: {ref: 'web', maxQueuedLines: 100}});
  await until(() => engine.calls.includes('followLogs'));
  const total = 40_000;
  // Nobody reads fromServer meanwhile: the output fills and the pump must hold back.
  for (let i = 0; i < total; i += 1000) {
    for (let j = 0; j < 1000; j++) engine.pushLog('web', `${i + j} ${'x'.repeat(100)}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  send({jsonrpc: '2.0', id: 4, method: 'pod.create', params: {spec: {...spec, name: 'second'}}});
  await until(() => engine.calls.filter((call) => call === 'createPod').length === 2);
  t.pass('the request was served while the client read nothing');
  engine.endLogs('web');
  const messages: RawMessage[] = [];
  const peer = new RawPeer(fromServer, () => undefined);
  send({jsonrpc: '2.0', id: 5, method: 'system.ping'});
  await peer.reply(5);
  let delivered = 0;
  let dropped = 0;
  for (;;) {
    const message = await peer.next((m) => m['method'] === 'logs/data' || m['method'] === 'logs/end');
    messages.push(message);
    if (message['method'] === 'logs/end') break;
    const params = message['params'] as {lines: unknown[]; dropped?: number};
    delivered += params.lines.length;
    dropped += params.dropped ?? 0;
  }
  const end = messages.at(-1)!['params'] as {dropped?: number};
  dropped += end.dropped ?? 0;
  t.true(dropped > 0, 'some lines were dropped');
  t.true(delivered < total / 2, `delivered ${delivered}`);
  t.is(delivered + dropped, total);
});

test('a subscribe answer goes out before the first notification, even with the pump busy', async (t) => {
  const engine = new StubEngine();
  const {toServer, fromServer} = inProcessServer(engine);
  const peer = new RawPeer(fromServer, (data) => toServer.write(data));
  peer.sendLine({jsonrpc: '2.0', id: 1, method: 'initialize', params: {}});
  await peer.reply(1);
  peer.sendLine({jsonrpc: '2.0', id: 2, method: 'pod.create', params: {spec}});
  await peer.reply(2);
  peer.sendLine({jsonrpc: '2.0', id: 3, method: 'logs.subscribe', params: {ref: 'web'}});
  await peer.reply(3);
  // Keep the pump busy with log lines while the events subscription is answered.
  const flood = setInterval(() => {
    for (let i = 0; i < 50; i++) engine.pushLog('web', 'line');
  }, 1);
  t.teardown(() => clearInterval(flood));
  const pod = await engine.getPod('web');
  engine.onListPods = async () => {
    engine.emit('pod:status', {pod: {...pod, status: 'failed'}, previous: 'running'});
    // A real list is a Docker round trip: the pump gets several turns meanwhile.
    await wait(20);
  };
  peer.sendLine({jsonrpc: '2.0', id: 4, method: 'events.subscribe', params: {}});
  const order: string[] = [];
  for (;;) {
    const message = await peer.next((m) => m.id === 4 || m['method'] === 'pod/statusChanged');
    order.push(message.id === 4 ? 'answer' : 'notification');
    if (order.includes('notification')) break;
  }
  t.deepEqual(order, ['answer', 'notification']);
});
