/**
The rpc face over the real engine (createEngine) on the in-memory FakeRuntime: every method of the table is
called, every answer is checked against the method's own result schema (so the schemas in rpc.discover and
docs/protocol.md cannot drift from what the engine returns), and an app exit reaches the client as
notifications in order.
*/
import test from 'ava';
import {
  isRpcError,
  type MethodName,
  type ParamsOf,
  type ResultOf,
  type RpcClient,
} from '../../rpc/client/index.js';
import {allMethods, methodNamed} from '../../rpc/dispatch.js';
import {app, fakeEngine, podName, podSpec} from '../support/pod-helpers.js';
import {eventually, inProcessClient} from '../support/rpc-client.js';

function caller(client: RpcClient, called: Set<string>, problems: string[]) {
  return async <M extends MethodName>(method: M, params?: ParamsOf<M>): Promise<ResultOf<M> | undefined> => {
    called.add(method);
    try {
      const result = await client.request(method, params);
      const check = methodNamed(method)!.result.safeParse(result);
      if (!check.success) problems.push(`${method}: ${JSON.stringify(check.error.issues.slice(0, 3))}`);
      return result;
    } catch (error) {
      // An engine error is a fine answer here (the fake has no registry, say) as long as it is not a bug.
      if (isRpcError(error) && error.code !== -32603 && error.code !== -32602) return undefined;
      problems.push(`${method}: ${String(error)}`);
      return undefined;
    }
  };
}

test('every method over the real engine on the fake runtime; results match their schemas', async (t) => {
  const {engine} = fakeEngine();
  t.teardown(() => engine.close());
  const {client} = await inProcessClient(engine);
  const called = new Set<string>(['initialize']);
  const problems: string[] = [];
  const call = caller(client, called, problems);
  const name = podName('rpc');
  const spec = podSpec(name, [app('web'), app('worker', 'sleep 1000')]);

  await call('system.ping');
  await call('system.info');
  await call('rpc.discover');
  await call('image.list');
  await call('image.inspect', {ref: 'bcs-executor/demo:local'});
  await call('image.pull', {ref: 'bcs-executor/demo:local'});
  const events = await call('events.subscribe');
  t.is((await call('pod.create', {spec, wait: 'running'}))?.pod.status, 'running');
  await call('pod.apply', {spec});
  t.is((await call('pod.list'))?.pods.length, 1);
  await call('pod.inspect', {ref: name});
  await call('pod.wait', {ref: name, condition: 'running'});
  await call('pod.logs', {ref: name});
  await call('pod.stats', {ref: name});
  await call('pod.updateResources', {ref: name, mem: 64});
  const web = `${name}/web`;
  await call('container.list', {pod: name});
  await call('container.inspect', {ref: web});
  await call('container.inspect', {ref: web, format: 'bcs'});
  await call('container.top', {ref: web});
  await call('container.stats', {ref: web});
  await call('container.logs', {ref: web});
  await call('container.exec', {ref: web, cmd: ['echo', 'hi']});
  await call('container.upload', {ref: web, dest: '/tmp/x', content: 'x'});
  await call('container.update', {ref: web, cpu: 0.5});
  await call('container.commit', {ref: web, image: 'rpc-test/commit:latest'});
  await call('image.remove', {ref: 'rpc-test/commit:latest'});
  const logs = await call('logs.subscribe', {ref: web});
  await call('logs.unsubscribe', {subscriptionId: logs?.subscriptionId ?? 'none'});
  const stats = await call('stats.subscribe', {refs: [name], intervalMs: 1000});
  await call('stats.unsubscribe', {subscriptionId: stats?.subscriptionId ?? 'none'});
  await call('container.stop', {ref: `${name}/worker`, graceSeconds: 0});
  await call('container.start', {ref: `${name}/worker`});
  await call('container.restart', {ref: `${name}/worker`, graceSeconds: 0});
  await call('pod.stop', {ref: name, graceSeconds: 0});
  await call('pod.start', {ref: name, wait: 'running'});
  await call('pod.restart', {ref: name, graceSeconds: 0});
  await call('container.kill', {ref: `${name}/worker`});
  await call('container.remove', {ref: `${name}/worker`, force: true});
  await call('pod.kill', {ref: name});
  await call('pod.remove', {ref: name, force: true});
  await call('events.unsubscribe', {subscriptionId: events?.subscriptionId ?? 'none'});
  await call('shutdown');

  t.deepEqual(problems, []);
  t.deepEqual(
    allMethods()
      .map((m) => m.name)
      .filter((m) => !called.has(m)),
    [],
  );
});

test('an app exit reaches an events subscriber in order: the container, then the pod', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const {client} = await inProcessClient(engine);
  const name = podName('ord');
  await client.api.events.subscribe({pods: [name]});
  const seen: string[] = [];
  client.on('container/statusChanged', (p) =>
    seen.push(`container ${p.container.name} ${p.container.status} ${p.action}`),
  );
  client.on('pod/statusChanged', (p) => seen.push(`pod ${p.pod.status}`));
  const {pod} = await client.api.pod.create({
    spec: podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')]),
    wait: 'running',
  });
  await eventually(() => seen.includes('pod running'));
  const before = seen.length;
  runtime.simulateExit(pod.containers[0]?.id ?? '', 3);
  await eventually(() => seen.includes('pod failed'));
  const after = seen.slice(before);
  t.true(after.indexOf('container a exited die') < after.indexOf('pod failed'), after.join('\n'));
  await client.api.pod.remove({ref: name, force: true});
});
