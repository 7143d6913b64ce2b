import test from 'ava';
import {isRpcError, RPC_ERROR} from '../../rpc/client/index.js';
import {allMethods} from '../../rpc/dispatch.js';
import {inProcessClient} from '../support/rpc-client.js';
import {StubEngine} from '../support/stub-engine.js';

const spec = {name: 'web', containers: [{name: 'app', image: 'bcs-executor/demo:local'}]};

async function rejection(promise: Promise<unknown>): Promise<{code: number; data: Record<string, unknown>}> {
  try {
    await promise;
  } catch (error) {
    if (isRpcError(error)) return {code: error.code, data: error.data as Record<string, unknown>};
    throw error;
  }
  throw new Error('expected a rejection');
}

test('pod.create validates the whole spec before the engine is touched, listing every problem', async (t) => {
  const engine = new StubEngine();
  const {client} = await inProcessClient(engine);
  const before = engine.calls.length;
  const error = await rejection(
    client.request('pod.create', {
      spec: {name: 'Bad Name', extra: 1, containers: [{name: 'app', image: 'demo', resources: {memMB: 1}}]},
      bogus: true,
    } as never),
  );
  t.is(error.code, RPC_ERROR.InvalidParams);
  const paths = (error.data['issues'] as {path: string}[]).map((issue) => issue.path);
  t.true(paths.includes('bogus'));
  t.true(paths.includes('spec.name'));
  t.true(paths.includes('spec.extra'));
  t.true(paths.some((path) => path.startsWith('spec.containers[0].resources')));
  t.is(engine.calls.length, before);
});

test('missing, extra and wrong-typed params are all listed with -32602', async (t) => {
  const {client} = await inProcessClient(new StubEngine());
  const error = await rejection(client.request('pod.stop', {graceSeconds: 'x', other: 1} as never));
  t.is(error.code, RPC_ERROR.InvalidParams);
  t.deepEqual(
    (error.data['issues'] as {path: string; message: string}[])
      .map((issue) => [issue.path, issue.message])
      .sort(),
    [
      ['graceSeconds', 'Invalid input: expected number, received string'],
      ['other', 'unknown field'],
      ['ref', 'is required'],
    ],
  );
  const positional = await rejection(client.connection.sendRequest('pod.list', ['a']));
  t.is(positional.code, RPC_ERROR.InvalidParams);
});

test('unknown methods get -32601; a notification sent with an id gets -32600', async (t) => {
  const {client} = await inProcessClient(new StubEngine());
  t.is((await rejection(client.connection.sendRequest('pod.explode', {}))).code, RPC_ERROR.MethodNotFound);
  t.is((await rejection(client.connection.sendRequest('exit', {}))).code, RPC_ERROR.InvalidRequest);
});

test('engine errors map to application codes with data.code, never InternalError', async (t) => {
  const {client} = await inProcessClient(new StubEngine());
  const missing = await rejection(client.request('pod.inspect', {ref: 'nope'}));
  t.is(missing.code, RPC_ERROR.NotFound);
  t.is(missing.data['code'], 'NOT_FOUND');
  t.is(missing.data['resource'], 'pod');
  await client.request('pod.create', {spec});
  const exists = await rejection(client.request('pod.create', {spec}));
  t.is(exists.code, RPC_ERROR.AlreadyExists);
});

test('a create round trip; mutating results carry changed; pod and container refs resolve', async (t) => {
  const {client} = await inProcessClient(new StubEngine());
  const created = await client.api.pod.create({spec});
  t.true(created.changed);
  t.is(created.pod.containers[0]?.name, 'app');
  t.deepEqual(
    (await client.api.pod.list()).pods.map((pod) => pod.name),
    ['web'],
  );
  t.deepEqual((await client.api.pod.list({status: ['failed']})).pods, []);
  t.is((await client.api.container.inspect({ref: 'web/app'})).container.dockerName, 'web-app');
  t.is((await client.api.container.exec({ref: 'web-app', cmd: ['echo', 'hi']})).stdout, 'hi');
  t.false((await client.api.pod.remove({ref: 'other'})).changed);
  t.true((await client.api.pod.remove({ref: 'web'})).changed);
});

test('secret env values are masked in inspect and in the spec', async (t) => {
  const {client} = await inProcessClient(new StubEngine());
  const secretSpec = {
    name: 'sec',
    containers: [
      {
        name: 'app',
        image: 'bcs-executor/demo:local',
        env: [
          {key: 'TOKEN', value: 's3cr3t', secret: true},
          {key: 'PLAIN', value: 'p'},
        ],
      },
    ],
  };
  await client.api.pod.create({spec: secretSpec});
  const inspected = await client.api.container.inspect({ref: 'sec/app'});
  t.deepEqual(inspected.details?.config.env, ['TOKEN=***', 'PLAIN=p']);
  const pod = await client.api.pod.inspect({ref: 'sec'});
  t.false(JSON.stringify(pod).includes('s3cr3t'));
});

test('--read-only refuses every mutating method of the table before looking at params', async (t) => {
  const engine = new StubEngine();
  const {client} = await inProcessClient(engine, {policy: {readOnly: true}});
  const mutating = allMethods().filter((method) => !method.hints.readOnly);
  t.true(mutating.length > 10);
  const before = engine.calls.length;
  for (const method of mutating) {
    const error = await rejection(client.connection.sendRequest(method.name, {}));
    t.is(error.code, RPC_ERROR.ReadOnlyMode, method.name);
    t.is(error.data['method'], method.name);
  }
  t.is(engine.calls.length, before);
  t.deepEqual(await client.api.pod.list(), {pods: []});
});

test('privileged containers, host devices and binds outside the roots are Forbidden', async (t) => {
  const {client} = await inProcessClient(new StubEngine(), {policy: {allowBindRoots: ['/srv/data']}});
  const error = await rejection(
    client.api.pod.create({
      spec: {
        name: 'priv',
        containers: [
          {
            name: 'app',
            image: 'bcs-executor/demo:local',
            privileged: true,
            volumes: [
              {hostPath: '/etc', containerPath: '/x'},
              {hostPath: '/srv/data/sub', containerPath: '/y'},
              {hostPath: '/srv/data/../../etc', containerPath: '/z'},
            ],
          },
        ],
      },
    }),
  );
  t.is(error.code, RPC_ERROR.Forbidden);
  t.deepEqual(
    (error.data['issues'] as {path: string}[]).map((issue) => issue.path),
    [
      'spec.containers[0].privileged',
      'spec.containers[0].volumes[0].hostPath',
      'spec.containers[0].volumes[2].hostPath',
    ],
  );
  await client.api.pod.create({spec});
  t.is(
    (await rejection(client.api.container.exec({ref: 'web/app', cmd: ['id'], privileged: true}))).code,
    RPC_ERROR.Forbidden,
  );
  t.is(
    (await rejection(client.api.container.upload({ref: 'web/app', dest: '/x', source: '/etc/passwd'}))).code,
    RPC_ERROR.Forbidden,
  );
});

test('rpc.discover lists every method with params and result schemas and hints', async (t) => {
  const {client} = await inProcessClient(new StubEngine());
  const doc = await client.api.rpc.discover();
  const names = doc.methods.map((method) => method['name']);
  t.deepEqual(
    names,
    allMethods().map((method) => method.name),
  );
  for (const name of [
    'pod.create',
    'pod.list',
    'container.exec',
    'events.subscribe',
    'initialize',
    'shutdown',
  ]) {
    t.true(names.includes(name), name);
  }
  const create = doc.methods.find((method) => method['name'] === 'pod.create')!;
  t.like(create, {hints: {readOnly: false, destructive: false, idempotent: false}, progress: true});
  const params = create['params'] as {
    properties: {spec: {anyOf: {properties?: Record<string, unknown>}[]}};
    additionalProperties: boolean;
  };
  t.false(params.additionalProperties);
  t.truthy(params.properties.spec.anyOf[0]?.properties?.['containers']);
  t.like(
    doc.methods.find((method) => method['name'] === 'pod.remove'),
    {hints: {readOnly: false, destructive: true}},
  );
  t.true(doc.notifications.some((n) => n['name'] === 'logs/data'));
});

test('pod.list is served from memory while no engine event arrives', async (t) => {
  const engine = new StubEngine();
  const {client} = await inProcessClient(engine);
  await client.api.pod.create({spec});
  const reads = () => engine.calls.filter((call) => call === 'listPods').length;
  await client.api.pod.list();
  const first = reads();
  for (let i = 0; i < 20; i++) await client.api.pod.list();
  t.is(reads(), first);
  await client.api.pod.stop({ref: 'web'});
  t.deepEqual(
    (await client.api.pod.list()).pods.map((pod) => pod.status),
    ['killed'],
  );
  t.is(reads(), first + 1);
});
