/**
Every method of the table, round trip through the real binary over real pipes against the real dockerd, in
both framings. The test walks the table: a method it did not call fails it.
*/
import test, {type ExecutionContext} from 'ava';
import {
  isRpcError,
  RPC_ERROR,
  type MethodName,
  type ParamsOf,
  type ResultOf,
  type RpcClient,
} from '../../rpc/client/index.js';
import {allMethods} from '../../rpc/dispatch.js';
import {realRuntime} from '../support/docker.js';
import {eventually, spawnClient, testPodSpec} from '../support/rpc-client.js';
import {removeByRunId, runId, uniqueName} from '../support/run-id.js';

test.after.always(async () => {
  await removeByRunId(await realRuntime());
});

/** Calls a method and records it; `expected` lists error codes that count as a correct answer here. */
function recorder(client: RpcClient, called: Set<string>) {
  return async <M extends MethodName>(
    method: M,
    params?: ParamsOf<M>,
    expected: readonly number[] = [],
  ): Promise<ResultOf<M> | undefined> => {
    called.add(method);
    try {
      return await client.request(method, params);
    } catch (error) {
      if (isRpcError(error) && expected.includes(error.code)) return undefined;
      throw error;
    }
  };
}

async function everyMethod(t: ExecutionContext, framing: 'headers' | 'ndjson'): Promise<void> {
  const client = await spawnClient({framing});
  t.teardown(() => client.child?.kill());
  const called = new Set<string>(['initialize']);
  const call = recorder(client, called);
  t.is(client.initialized?.capabilities.framing, framing);
  t.true(client.initialized?.engine.reachable);

  t.deepEqual(await call('system.ping'), {ok: true});
  t.truthy((await call('system.ping', {engine: true}))?.engine?.apiVersion);
  t.true(((await call('system.info'))?.info.ncpu ?? 0) > 0);
  t.is((await call('rpc.discover'))?.methods.length, allMethods().length);

  const images = await call('image.list');
  t.true(images!.images.some((image) => image.repoTags.includes('bcs-executor/demo:local')));
  t.deepEqual((await call('image.inspect', {ref: 'bcs-executor/demo:local'}))?.repoTags, [
    'bcs-executor/demo:local',
  ]);
  // No registry here: a pull of a local-only image answers ImagePullFailed, which is a correct round trip.
  await call('image.pull', {ref: 'bcs-executor/demo:local'}, [
    RPC_ERROR.ImagePullFailed,
    RPC_ERROR.EngineError,
  ]);

  const name = uniqueName(`m${framing[0]}`)
    .toLowerCase()
    .slice(0, 40)
    .replace(/[^a-z0-9-]/g, '-');
  const spec = testPodSpec(name, [
    {name: 'app', image: 'bcs-executor/demo:local'},
    {name: 'logger', image: 'bcs-executor/demo:local', command: 'demo-logger'},
  ]);
  const events = await call('events.subscribe', {pods: [name]});
  const statuses: string[] = [];
  client.on('pod/statusChanged', (p) => {
    if (p.subscriptionId === events?.subscriptionId) statuses.push(p.pod.status);
  });
  const created = await call('pod.create', {spec, wait: 'running'});
  t.true(created?.changed);
  t.is(created?.pod.status, 'running');
  t.is((await call('pod.apply', {spec}))?.action, 'unchanged');
  t.true((await call('pod.list'))!.pods.some((pod) => pod.name === name));
  const inspected = await call('pod.inspect', {ref: name});
  t.is(inspected?.spec?.name, name);
  t.is((await call('pod.wait', {ref: name, condition: 'running'}))?.pod.status, 'running');
  await eventually(() => true);
  const podLogs = await call('pod.logs', {ref: name, tail: 5});
  t.true(Array.isArray(podLogs?.lines));
  t.is((await call('pod.stats', {ref: name}))?.containers.length, 2);
  t.is(typeof (await call('pod.updateResources', {ref: name, mem: 128}))?.changed, 'boolean');

  const app = `${name}/app`;
  t.is((await call('container.list', {pod: name}))?.containers.length, 3);
  t.is((await call('container.inspect', {ref: app}))?.container.name, 'app');
  t.truthy((await call('container.inspect', {ref: app, format: 'bcs'}))?.bcs);
  t.true((await call('container.top', {ref: app}))!.processes.length > 0);
  t.true(((await call('container.stats', {ref: app}))?.memoryBytes ?? 0) > 0);
  t.true(Array.isArray((await call('container.logs', {ref: `${name}/logger`, tail: 3}))?.lines));
  const exec = await call('container.exec', {ref: app, cmd: ['cat', '/etc/hostname']});
  t.is(exec?.exitCode, 0);
  t.true((await call('container.upload', {ref: app, dest: '/tmp/hello.txt', content: 'hello\n'}))?.changed);
  t.is((await call('container.exec', {ref: app, cmd: ['cat', '/tmp/hello.txt']}))?.stdout, 'hello\n');
  t.is(typeof (await call('container.update', {ref: app, mem: 96}))?.changed, 'boolean');
  const image = `bcs-executor-test/commit-${runId}:${framing}`;
  t.truthy((await call('container.commit', {ref: app, image}))?.imageId);
  t.true((await call('image.remove', {ref: image, force: true}))?.changed);

  const logs = await call('logs.subscribe', {ref: `${name}/logger`, tail: 1});
  let logLines = 0;
  client.on('logs/data', (p) => {
    if (p.subscriptionId === logs?.subscriptionId) logLines += p.lines.length;
  });
  await eventually(() => logLines > 0, 15_000, 'a logs/data notification');
  t.true((await call('logs.unsubscribe', {subscriptionId: logs!.subscriptionId}))?.changed);
  const stats = await call('stats.subscribe', {refs: [name], intervalMs: 1000});
  let samples = 0;
  client.on('stats/sample', (p) => {
    if (p.subscriptionId === stats?.subscriptionId) samples += p.samples.length;
  });
  await eventually(() => samples > 0, 15_000, 'a stats/sample notification');
  t.true((await call('stats.unsubscribe', {subscriptionId: stats!.subscriptionId}))?.changed);

  t.true((await call('container.stop', {ref: `${name}/logger`, graceSeconds: 1}))?.changed);
  t.true((await call('container.start', {ref: `${name}/logger`}))?.changed);
  t.true((await call('container.restart', {ref: `${name}/logger`, graceSeconds: 1}))?.changed);
  t.is((await call('pod.stop', {ref: name, graceSeconds: 1}))?.pod.status, 'killed');
  t.is((await call('pod.start', {ref: name, wait: 'running'}))?.pod.status, 'running');
  t.is((await call('pod.restart', {ref: name, graceSeconds: 1}))?.pod.status, 'running');
  t.true((await call('container.kill', {ref: `${name}/logger`}))?.changed);
  t.true((await call('container.remove', {ref: `${name}/logger`, force: true}))?.changed);
  await call('pod.kill', {ref: name}, [RPC_ERROR.InvalidState]);
  t.true((await call('pod.remove', {ref: name, force: true}))?.changed);
  t.true(statuses.includes('running'));
  t.true((await call('events.unsubscribe', {subscriptionId: events!.subscriptionId}))?.changed);

  await call('shutdown');
  called.add('shutdown');
  await client.connection.sendNotification('exit');
  t.is(await client.close(), 0);
  t.deepEqual(
    allMethods()
      .map((m) => m.name)
      .filter((m) => !called.has(m)),
    [],
    'every method of the table was called',
  );
}

test('every method round trip, Content-Length framing', (t) => everyMethod(t, 'headers'));
test('every method round trip, NDJSON framing', (t) => everyMethod(t, 'ndjson'));
