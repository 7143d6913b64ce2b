/**
Rollback at every failure point of a create: whatever failed, nothing is left in Docker, the network is
detached, and createPod answers a failed pod with the reason instead of throwing.
*/
import test from 'ava';
import {EngineError} from '../../src/errors.js';
import type {CniAddResult, CniDelOptions, CniNetworkOptions} from '../../src/network/cni/cni-network.js';
import type {ContainerCreateSpec} from '../../src/runtime/port.js';
import type {PodSpec} from '../../src/pod/spec-types.js';
import {app, fakeEngine, podName, podSpec} from '../support/pod-helpers.js';

function boom(message: string): EngineError {
  return new EngineError('ENGINE_ERROR', message);
}

function createdNamed(suffix: string) {
  return (args: readonly unknown[]) =>
    (args[0] as ContainerCreateSpec).name?.endsWith(suffix) === true
      ? boom(`cannot create ${suffix}`)
      : undefined;
}

interface Case {
  readonly title: string;
  readonly spec?: (name: string) => PodSpec;
  readonly arrange: (runtime: ReturnType<typeof fakeEngine>['runtime']) => void;
  readonly message: RegExp;
}

const twoApps = (name: string) =>
  podSpec(name, [
    app('a', 'sleep 100'),
    app('b', 'sleep 100', {files: [{path: '/etc/b.conf', content: 'x=1\n'}]}),
  ]);

const cases: Case[] = [
  {
    title: 'image pull',
    spec: (name) => podSpec(name, [app('a', 'sleep 100'), {name: 'b', image: 'example.invalid/missing:1'}]),
    arrange: () => undefined,
    message: /missing:1/,
  },
  {
    title: 'infra create',
    arrange: (runtime) => runtime.injectFailure('createContainer', createdNamed('-infra')),
    message: /cannot create -infra/,
  },
  {
    title: 'infra start',
    arrange: (runtime) => runtime.injectFailure('startContainer', boom('infra would not start')),
    message: /infra would not start/,
  },
  {
    title: 'app create',
    arrange: (runtime) => runtime.injectFailure('createContainer', createdNamed('-b')),
    message: /cannot create -b/,
  },
  {
    title: 'preStart (file upload)',
    arrange: (runtime) => runtime.injectFailure('putArchive', boom('disk full')),
    message: /container b: preStart failed: disk full/,
  },
  {
    title: 'app start',
    arrange: (runtime) => {
      let starts = 0;
      // The infra, a, then b: the third start fails, after a is already running.
      runtime.injectFailure(
        'startContainer',
        () => (++starts === 3 ? boom('b would not start') : undefined),
        {times: 10},
      );
    },
    message: /container b: start failed: b would not start/,
  },
];

for (const entry of cases) {
  test(`a failure at ${entry.title} rolls everything back and answers failed`, async (t) => {
    const {runtime, engine} = fakeEngine();
    t.teardown(() => engine.close());
    entry.arrange(runtime);
    const name = podName('rb');
    const result = await engine.createPod((entry.spec ?? twoApps)(name));
    t.false(result.changed);
    t.is(result.pod.status, 'failed');
    t.regex(result.pod.message, entry.message);
    t.deepEqual(runtime.containerIds(), [], 'nothing left in Docker');
    t.deepEqual(await engine.listPods(), []);
    t.true(engine.activity().some((activity) => activity.level === 'error' && activity.pod === name));
  });
}

function cniSpec(name: string): PodSpec {
  return podSpec(name, [app('a', 'sleep 100'), app('b', 'sleep 100')], {
    network: {driver: 'cni', name: 'testnet'},
  });
}

test('a failed CNI ADD removes the infra (ADD cleans up after itself, per the CNI spec)', async (t) => {
  const dels: CniDelOptions[] = [];
  const adds: CniNetworkOptions[] = [];
  const {runtime, engine} = fakeEngine({
    cni: {
      confDir: '/nowhere',
      add: (options) => {
        adds.push(options);
        return Promise.reject(boom('no IP left'));
      },
      del: (options) => {
        dels.push(options);
        return Promise.resolve();
      },
    },
  });
  t.teardown(() => engine.close());
  const result = await engine.createPod(cniSpec(podName('cni')));
  t.is(result.pod.status, 'failed');
  t.regex(result.pod.message, /no IP left/);
  t.is(adds.length, 1);
  t.regex(adds[0]?.netnsPath ?? '', /^\/proc\/\d+\/ns\/net$/);
  t.is(adds[0]?.network, 'testnet');
  t.deepEqual(dels, [], 'the failed ADD undid itself; a second DEL is not owed');
  t.deepEqual(runtime.containerIds(), []);
});

test('a failure after CNI ADD runs DEL with what ADD got, then removes everything', async (t) => {
  const dels: CniDelOptions[] = [];
  const added: CniAddResult = {
    network: 'testnet',
    ips: [{address: '10.9.0.5/24'}],
    interfaces: [],
    podIP: '10.9.0.5',
    result: {},
  };
  const {runtime, engine} = fakeEngine({
    cni: {
      confDir: '/etc/test-cni',
      pluginDirs: ['/opt/p'],
      add: () => Promise.resolve(added),
      del: (options) => {
        dels.push(options);
        return Promise.resolve();
      },
    },
  });
  t.teardown(() => engine.close());
  runtime.injectFailure('createContainer', createdNamed('-b'));
  const name = podName('cni');
  const result = await engine.createPod({...cniSpec(name), netLimit: {egressMbps: 10}});
  t.is(result.pod.status, 'failed');
  t.is(dels.length, 1);
  t.like(dels[0], {
    network: 'testnet',
    confDir: '/etc/test-cni',
    ifName: 'eth1',
    egressMbps: 10,
    pluginDirs: ['/opt/p'],
  });
  t.deepEqual(runtime.containerIds(), []);
});

test('cancelling a create rolls it back and throws CANCELLED', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const controller = new AbortController();
  runtime.injectFailure('startContainer', () => {
    controller.abort();
    return undefined;
  });
  const error = await t.throwsAsync<EngineError>(
    engine.createPod(twoApps(podName('cancel')), {signal: controller.signal}),
  );
  t.is(error?.code, 'CANCELLED');
  t.deepEqual(runtime.containerIds(), []);
});

test('an invalid spec is refused before any Docker call, listing every problem', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  await engine.listPods();
  const before = runtime.callLog.length;
  const error = await t.throwsAsync<EngineError>(
    engine.createPod({
      name: 'Bad_Name',
      containers: [
        {name: 'a', image: 'x', resources: {memMB: 2}},
        {name: 'a', image: ''},
      ],
    }),
  );
  t.is(error?.code, 'VALIDATION');
  const issues = error?.details.issues as {path: string}[];
  t.true(issues.length >= 3, JSON.stringify(issues));
  t.deepEqual(runtime.callLog.slice(before), []);
});

test('a name in use is ALREADY_EXISTS, and the existing pod is left alone', async (t) => {
  const {runtime, engine} = fakeEngine();
  t.teardown(() => engine.close());
  const spec = twoApps(podName('dup'));
  await engine.createPod(spec);
  const ids = runtime.containerIds();
  const error = await t.throwsAsync<EngineError>(engine.createPod(spec));
  t.is(error?.code, 'ALREADY_EXISTS');
  t.deepEqual(runtime.containerIds(), ids);
});
