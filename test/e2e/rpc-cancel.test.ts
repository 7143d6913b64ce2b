/**
Cancellation through the real binary: `$/cancelRequest` on a long pod.wait and a long container.exec is
answered -32800, and no exec process is left running in the container.
*/
import test from 'ava';
import {isRpcError, RPC_ERROR, type RpcClient} from '../../rpc/client/index.js';
import {realRuntime} from '../support/docker.js';
import {LABELS} from '../../src/constants.js';
import {spawnBinary, spawnClient, testPodSpec} from '../support/rpc-client.js';
import {removeByRunId, uniqueName} from '../support/run-id.js';

test.after.always(async () => {
  await removeByRunId(await realRuntime());
});

const podName = (prefix: string) =>
  uniqueName(prefix)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40);

/** The command lines running in the container (ps through Docker's top, not an exec). */
async function commands(client: RpcClient, ref: string): Promise<string[]> {
  const top = await client.api.container.top({ref});
  const column = top.titles.findIndex((title) => title === 'CMD' || title === 'COMMAND');
  return top.processes.map((row) => row[column] ?? row.join(' '));
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('cancelling a long container.exec answers -32800 and kills the process in the container', async (t) => {
  const client = await spawnClient();
  t.teardown(() => client.child?.kill());
  const name = podName('cx');
  await client.api.pod.create({spec: testPodSpec(name), wait: 'running'});
  const ref = `${name}/app`;
  const controller = new AbortController();
  const pending = client.api.container.exec({ref, cmd: ['sleep', '300']}, {signal: controller.signal});
  await until(
    async () => (await commands(client, ref)).some((cmd) => cmd.includes('sleep 300')),
    15_000,
    'sleep running',
  );
  const started = Date.now();
  controller.abort();
  const error = await t.throwsAsync(pending);
  t.true(isRpcError(error, RPC_ERROR.RequestCancelled), String(error));
  t.true(Date.now() - started < 10_000);
  await until(
    async () => !(await commands(client, ref)).some((cmd) => cmd.includes('sleep 300')),
    10_000,
    'no sleep left',
  );
  t.deepEqual((await client.api.container.exec({ref, cmd: ['echo', 'ok']})).stdout, 'ok\n');
  await client.api.pod.remove({ref: name, force: true});
  t.is(await client.shutdown(), 0);
});

test('cancelling a long pod.wait answers -32800 and leaves nothing running in the pod', async (t) => {
  const client = await spawnClient({framing: 'ndjson'});
  t.teardown(() => client.child?.kill());
  const name = podName('cw');
  await client.api.pod.create({spec: testPodSpec(name), wait: 'running'});
  const before = await commands(client, `${name}/app`);
  const controller = new AbortController();
  const pending = client.api.pod.wait(
    {ref: name, condition: 'exited', timeoutMs: 600_000},
    {signal: controller.signal},
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  controller.abort();
  t.true(isRpcError(await t.throwsAsync(pending), RPC_ERROR.RequestCancelled));
  t.deepEqual(await commands(client, `${name}/app`), before);
  // The server is not wedged by the cancelled wait.
  t.is((await client.api.pod.inspect({ref: name})).pod.status, 'running');
  await client.api.pod.remove({ref: name, force: true});
  t.is(await client.shutdown(), 0);
});

test('exit in the middle of pod.create cancels it and the engine leaves nothing half-done', async (t) => {
  const server = spawnBinary(['rpc']);
  t.teardown(() => server.child.kill());
  const {peer} = server;
  peer.sendLine({jsonrpc: '2.0', id: 1, method: 'initialize', params: {}});
  await peer.reply(1);
  const name = podName('cc');
  const spec = testPodSpec(name, [
    {name: 'a', image: 'bcs-executor/demo:local'},
    {name: 'b', image: 'bcs-executor/demo:local'},
  ]);
  peer.sendLine({jsonrpc: '2.0', id: 2, method: 'pod.create', params: {spec, wait: 'running'}});
  await new Promise((resolve) => setTimeout(resolve, 100));
  peer.sendLine({jsonrpc: '2.0', method: 'exit'});
  const reply = await peer.reply(2, 30_000);
  t.is(reply.error?.code, RPC_ERROR.RequestCancelled);
  t.is(await server.exited, 1, 'exit without shutdown');
  const runtime = await realRuntime();
  const left = await runtime.listContainers({all: true, labels: [`${LABELS.pod}=${name}`]});
  t.deepEqual(
    left.map((c) => c.name),
    [],
  );
});
