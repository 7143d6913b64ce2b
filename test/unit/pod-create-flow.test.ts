/**
The seed pod model (BcsPod) over the fake: the order of Docker calls and callbacks, what each container is
created with, stop order, and the seed interface's answers.
*/
import test from 'ava';
import {LABELS, LOCAL_IMAGES} from '../../src/constants.js';
import {BcsPod} from '../../src/pod/bcs-pod.js';
import {newPod, podConfigFromSpec} from '../../src/pod/new-pod.js';
import type {PodEventHandler} from '../../src/pod/pod-config.js';
import type {ContainerCreateSpec} from '../../src/runtime/port.js';
import type {BcsContainerTask} from '../../src/task/types.js';
import type {FakeRuntime} from '../support/fake-runtime.js';
import {app, fakeRuntime, podSpec} from '../support/pod-helpers.js';

function fake(): FakeRuntime {
  return fakeRuntime();
}

/** A handler that writes each callback into the runtime's call log, so calls and callbacks share one order. */
function loggingHandler(runtime: FakeRuntime): PodEventHandler {
  const log = (hook: string) => (task: BcsContainerTask) => {
    runtime.callLog.push(`${hook} ${task.name}`);
  };
  return {
    preStart: log('preStart'),
    postStart: log('postStart'),
    preStop: log('preStop'),
    postStop: log('postStop'),
  };
}

test('create → preStart → start → postStart per app, in spec order, after the infra', async (t) => {
  const runtime = fake();
  const specs: ContainerCreateSpec[] = [];
  runtime.injectFailure(
    'createContainer',
    (args) => {
      specs.push(args[0] as ContainerCreateSpec);
      return undefined;
    },
    {times: 100},
  );
  const spec = podSpec('flow', [app('c'), app('a'), app('b')], {
    ports: [{containerPort: 80, hostPort: 0}],
    hostname: 'h1',
  });
  const pod = new BcsPod(podConfigFromSpec(spec, loggingHandler(runtime), {runtime, nodeIp: '192.0.2.9'}));
  await pod.init();
  await pod.start();
  const interesting = runtime.callLog.filter((entry) => /^(create|start|pre|post)/.test(entry));
  const ids = await pod.getContainerTasks();
  t.deepEqual([...ids.keys()], ['flow-c', 'flow-a', 'flow-b'], 'tasks in spec order');
  const infraId = await pod.getContainerID();
  const appId = (name: string) => pod.appIds.get(name) ?? '?';
  t.deepEqual(interesting, [
    'createContainer',
    `startContainer ${infraId}`,
    'createContainer',
    'createContainer',
    'createContainer',
    'preStart flow-c',
    `startContainer ${appId('flow-c')}`,
    'postStart flow-c',
    'preStart flow-a',
    `startContainer ${appId('flow-a')}`,
    'postStart flow-a',
    'preStart flow-b',
    `startContainer ${appId('flow-b')}`,
    'postStart flow-b',
  ]);
  t.is(await pod.getPodStatus(), 'running');

  const [infra, ...apps] = specs;
  t.is(infra?.name, 'flow-infra');
  t.is(infra?.image, LOCAL_IMAGES.pause);
  t.true(infra?.host.init);
  t.is(infra?.host.ipcMode, 'shareable');
  t.is(infra?.hostname, 'h1');
  t.deepEqual(infra?.exposedPorts, ['80/tcp'], 'ports belong to the infra (hostPort 0: exposed only)');
  t.is(infra?.labels?.[LABELS.role], 'infra');
  t.is(infra?.labels?.[LABELS.testRun], spec.labels?.[LABELS.testRun]);
  t.deepEqual(JSON.parse(infra?.labels?.[LABELS.spec] ?? '{}').name, 'flow');
  for (const [index, member] of apps.entries()) {
    t.is(member.host.networkMode, `container:${infraId}`);
    t.is(member.host.ipcMode, `container:${infraId}`);
    t.is(member.hostname, undefined, 'Docker refuses a hostname on a joined container');
    t.is(member.host.portBindings, undefined);
    t.is(member.labels?.[LABELS.order], String(index));
    t.is(
      member.labels?.[LABELS.testRun],
      spec.labels?.[LABELS.testRun],
      'the pod labels are on every container',
    );
    t.is(member.stopTimeout, 1, "the kill policy is Docker's stop timeout too");
    t.true(member.env?.includes('BCS_POD_ID=flow'));
    t.true(member.env?.includes('BCS_NODE_IP=192.0.2.9'));
    t.true(
      member.env?.some((entry) => /^BCS_CONTAINER_IP=172\./.test(entry)),
      "the infra's bridge address",
    );
  }
});

test('stop: preStop → stop → postStop per app in reverse order, then SIGKILL of the infra (137)', async (t) => {
  const runtime = fake();
  const pod = newPod(
    [
      {name: 'seed-a', image: LOCAL_IMAGES.demo, autoRemove: false, killPolicy: 1},
      {name: 'seed-b', image: LOCAL_IMAGES.demo, autoRemove: false, killPolicy: 1},
    ],
    loggingHandler(runtime),
    {runtime, name: 'seed', nodeIp: '192.0.2.9'},
  );
  await pod.init();
  await pod.start();
  runtime.callLog.length = 0;
  await pod.stop();
  const a = pod.appIds.get('seed-a') ?? '?';
  const b = pod.appIds.get('seed-b') ?? '?';
  const infra = await pod.getContainerID();
  t.deepEqual(
    runtime.callLog.filter((entry) => /^(pre|post|stopContainer|killContainer)/.test(entry)),
    [
      'preStop seed-b',
      `stopContainer ${b}`,
      'postStop seed-b',
      'preStop seed-a',
      `stopContainer ${a}`,
      'postStop seed-a',
      `killContainer ${infra}`,
    ],
  );
  t.is((await runtime.inspectContainer(infra)).state.exitCode, 137);
  t.is(await pod.getPodStatus(), 'killed');
  t.deepEqual((await runtime.inspectContainer(a)).host.restartPolicy, {name: 'no'});
  await pod.finit();
  t.deepEqual(runtime.containerIds(), []);
});

test('the seed interface: ids, pid, netns, net args, containers by name, updates and the NOT_FOUND cases', async (t) => {
  const runtime = fake();
  const pod = newPod(
    [{name: 'x-web', image: LOCAL_IMAGES.demo, networkName: 'bridge', hostName: 'w'}],
    {},
    {runtime, name: 'x', nodeIp: '192.0.2.9'},
  );
  t.is(await pod.getPodStatus(), 'unknown');
  await pod.init();
  await pod.start();
  await pod.setPodID('executor-1');
  t.is(await pod.getPodID(), 'executor-1');
  t.false(await pod.injection());
  t.is(await pod.getNamespace(), '');
  t.is(await pod.getNetworkName(), 'bridge');
  t.deepEqual(await pod.getNetArgs(), [], 'docker pods have no CNI args');
  const pid = await pod.getPid();
  t.true(pid > 0);
  t.is(await pod.getNetns(), `/proc/${pid}/ns/net`);
  t.regex(await pod.getIPAddr(), /^172\./);
  const status = JSON.parse(await pod.getNetStatus()) as {
    driver: string;
    ip: string;
    networks: Record<string, unknown>;
  };
  t.is(status.driver, 'docker');
  t.truthy(status.networks.bridge);
  const containers = await pod.getContainers();
  t.deepEqual(
    containers.map((info) => info.name),
    ['x-web'],
    'the infra is never among the containers',
  );
  t.is(containers[0]?.ipAddress, await pod.getIPAddr());
  t.is(containers[0]?.nodeAddress, '192.0.2.9');
  t.is((await pod.getContainerByName('x-web'))?.status, 'running');
  t.is(await pod.getContainerByName('nope'), undefined);
  const id = containers[0]?.id ?? '';
  await pod.updateResources(id, {reqCpu: 0.5, mem: 64});
  t.is((await runtime.inspectContainer(id)).host.memory, 64 * 1024 * 1024);
  await t.throwsAsync(pod.updateResources(await pod.getContainerID(), {mem: 64}), {message: /is invalid/});
  await t.throwsAsync(pod.execute('nope', ['true']), {message: /no container named nope/});
  t.true(await pod.isHealthy());
  await pod.finit();
  await pod.finit();
  t.deepEqual(runtime.containerIds(), []);
});

test('newPod refuses no tasks (the seed returned nil)', (t) => {
  const runtime = fake();
  t.throws(() => newPod([], {}, {runtime}), {message: /at least one task/});
});
