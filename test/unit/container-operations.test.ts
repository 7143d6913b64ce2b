/** DockerContainer's operations over the in-memory FakeRuntime (the real engine: test/integration/container-*). */
import test from 'ava';
import {DockerContainer} from '../../src/container/docker-container.js';
import {LABELS} from '../../src/constants.js';
import {EngineError} from '../../src/errors.js';
import type {BcsContainerTask} from '../../src/task/types.js';
import {stubRuntime} from '../support/container-helpers.js';
import {FakeRuntime} from '../support/fake-runtime.js';

const IMAGE = 'bcs-executor/demo:local';

function subject() {
  const runtime = new FakeRuntime({images: [IMAGE]});
  return {runtime, container: new DockerContainer({runtime})};
}

const task = (name: string, overrides: Partial<BcsContainerTask> = {}): BcsContainerTask => ({
  name,
  image: IMAGE,
  command: 'sleep',
  args: ['300'],
  ...overrides,
});

test('create, start, stop and remove report whether anything changed (seed cases 25, 26)', async (t) => {
  const {container} = subject();
  const info = await container.createContainer('web-1', task('web-1'));
  t.is(info.status, 'created');
  t.deepEqual(await container.startContainer(info.id), {changed: true});
  t.deepEqual(await container.startContainer(info.id), {changed: false});
  t.is((await container.inspectContainer('web-1')).status, 'running');
  t.deepEqual(await container.stopContainer('web-1', 1), {changed: true, killed: false});
  t.deepEqual(await container.stopContainer('web-1', 1), {changed: false, killed: false});
  t.is((await container.inspectContainer('web-1')).status, 'exited');
  t.deepEqual(await container.removeContainer('web-1', true), {changed: true});
  t.deepEqual(await container.removeContainer('web-1', true), {changed: false});
  const error = await t.throwsAsync(container.inspectContainer('web-1'), {instanceOf: EngineError});
  t.is(error?.code, 'NOT_FOUND');
});

test('listContainer: by default only managed containers; scope all adds the others; runningOnly', async (t) => {
  const {runtime, container} = subject();
  const managed = await container.createContainer('managed-1', task('managed-1'));
  await container.startContainer(managed.id);
  await container.createContainer('managed-2', task('managed-2'));
  await runtime.createContainer({name: 'foreign', image: IMAGE, cmd: ['sleep', '300'], host: {}});
  const names = (infos: {name: string}[]) => infos.map((info) => info.name).sort();
  t.deepEqual(names(await container.listContainer()), ['managed-1', 'managed-2']);
  t.deepEqual(names(await container.listContainer({scope: 'all'})), ['foreign', 'managed-1', 'managed-2']);
  t.deepEqual(names(await container.listContainer({runningOnly: true})), ['managed-1']);
  t.deepEqual(names(await container.listContainer({names: ['managed-2']})), ['managed-2']);
  const [first] = await container.listContainer({names: ['managed-1']});
  t.like(first, {status: 'running', id: managed.id});
  t.true((first?.pid ?? 0) > 0);
});

test('killContainer passes the signal it was given (seed case 28) and refuses non-signals', async (t) => {
  const sent: unknown[] = [];
  const {runtime, calls} = stubRuntime({
    killContainer: (_id: string, signal?: string | number) => {
      sent.push(signal);
      return Promise.resolve();
    },
  });
  const container = new DockerContainer({runtime});
  await container.killContainer('web', 'SIGTERM');
  await container.killContainer('web', 'hup');
  await container.killContainer('web', 15);
  await container.killContainer('web', 'SIGRTMIN+3');
  t.deepEqual(sent, ['SIGTERM', 'HUP', '15', 'SIGRTMIN+3']);
  for (const bad of [0, 65, 1.5, 'NOT A SIGNAL', '']) {
    const error = await t.throwsAsync(container.killContainer('web', bad), {instanceOf: EngineError});
    t.is(error?.code, 'VALIDATION');
  }
  t.is(calls.length, 4);
});

test('killContainer on a stopped container is INVALID_STATE', async (t) => {
  const {container} = subject();
  await container.createContainer('web-1', task('web-1'));
  const error = await t.throwsAsync(container.killContainer('web-1', 'SIGKILL'), {instanceOf: EngineError});
  t.is(error?.code, 'INVALID_STATE');
});

test('updateResources takes TaskResources and Resource, and validates before sending', async (t) => {
  const {runtime, container} = subject();
  const info = await container.createContainer('web-1', task('web-1', {resource: {cpus: 1, mem: 64}}));
  await container.updateResources(info.id, {reqCpu: 0.5, cpu: 1.5, mem: 128});
  let host = (await runtime.inspectContainer(info.id)).host;
  t.like(host, {cpuShares: 512, cpuPeriod: 100_000, cpuQuota: 150_000, memory: 128 * 1024 * 1024});
  await container.updateResources(info.id, {cpus: 2, mem: 96});
  host = (await runtime.inspectContainer(info.id)).host;
  t.like(host, {cpuShares: 2048, cpuQuota: 150_000, memory: 96 * 1024 * 1024, memorySwap: 96 * 1024 * 1024});
  const before = runtime.callLog.length;
  for (const bad of [{cpus: 1, mem: 4}, {cpu: -1}, {mem: 5}]) {
    const error = await t.throwsAsync(container.updateResources(info.id, bad), {instanceOf: EngineError});
    t.is(error?.code, 'VALIDATION');
  }
  t.is(runtime.callLog.length, before);
});

test('commitImage splits repo and tag, and pushes only when asked', async (t) => {
  const {runtime, container} = subject();
  const info = await container.createContainer('web-1', task('web-1'));
  const {imageId} = await container.commitImage(info.id, 'reg.example.com:5000/team/snap:v2');
  t.true(imageId.startsWith('sha256:'));
  t.is((await runtime.inspectImage('reg.example.com:5000/team/snap:v2'))?.id, imageId);
  t.false(runtime.callLog.some((line) => line.startsWith('pushImage')));
  await container.commitImage(info.id, 'reg.example.com:5000/team/snap', {push: true});
  t.true(runtime.callLog.includes('pushImage reg.example.com:5000/team/snap:latest'));
  const error = await t.throwsAsync(container.commitImage(info.id, `team/snap@sha256:${'b'.repeat(64)}`), {
    instanceOf: EngineError,
  });
  t.is(error?.code, 'VALIDATION');
});

test('listImage filters by reference, normalizing fully qualified names (seed case 21)', async (t) => {
  const runtime = new FakeRuntime({images: [IMAGE, 'nginx:1.19', 'nginx:1.21', 'redis:7']});
  const container = new DockerContainer({runtime});
  const tags = async (filter?: string) =>
    (await container.listImage(filter)).flatMap((image) => image.repository).sort();
  t.deepEqual(await tags('nginx'), ['nginx:1.19', 'nginx:1.21']);
  t.deepEqual(await tags('docker.io/library/nginx:1.19'), ['nginx:1.19']);
  t.deepEqual(await tags('nginx:latest'), []);
  t.is((await tags()).length, 4);
  const [image] = await container.listImage('redis:7');
  t.true((image?.id ?? '').startsWith('sha256:'));
  t.is(typeof image?.created, 'number');
  t.is(typeof image?.size, 'number');
});

test('pullImage fetches from the registry and reports progress; a missing image is IMAGE_PULL_FAILED', async (t) => {
  const {runtime, container} = subject();
  runtime.addRegistryImage('team/app:1');
  const events: unknown[] = [];
  await container.pullImage('team/app:1', {onProgress: (event) => events.push(event)});
  t.not(await runtime.inspectImage('team/app:1'), null);
  t.true(events.length > 0);
  const error = await t.throwsAsync(container.pullImage('team/missing:1'), {instanceOf: EngineError});
  t.is(error?.code, 'IMAGE_PULL_FAILED');
  t.regex(error?.message ?? '', /team\/missing:1/);
});

test('runCommandV2 finishes with output and exit code, never throws, and leaves the request as it was', async (t) => {
  const {container} = subject();
  const info = await container.createContainer('web-1', task('web-1'));
  await container.startContainer(info.id);
  const request = {
    id: 'r1',
    taskId: 't1',
    containerId: info.id,
    cmd: ['sh', '-c', 'echo hi; exit 4'],
    user: '',
  };
  const copy = structuredClone(request);
  const response = await container.runCommandV2(request);
  t.deepEqual(request, copy);
  t.like(response, {id: 'r1', taskId: 't1', containerId: info.id, status: 'finish', message: ''});
  t.like(response.commInspect, {exitCode: 4, stdout: 'hi\n', stderr: '', truncated: false, timedOut: false});
  const failed = await container.runCommandV2({containerId: 'no-such', cmd: ['true']});
  t.is(failed.status, 'failed');
  t.regex(failed.message, /no-such/);
  t.is(failed.commInspect, undefined);
});

test('runCommand starts the command and reports create errors', async (t) => {
  const {runtime, container} = subject();
  const info = await container.createContainer('web-1', task('web-1'));
  const error = await t.throwsAsync(container.runCommand(info.id, ['true']), {instanceOf: EngineError});
  t.is(error?.code, 'INVALID_STATE');
  await container.startContainer(info.id);
  await container.runCommand(info.id, ['sh', '-c', 'echo started']);
  t.true(runtime.callLog.some((line) => line.startsWith('startExec')));
});

test('uploadContent lands the file at dest with its mode', async (t) => {
  const {runtime, container} = subject();
  const info = await container.createContainer('web-1', task('web-1'));
  await container.uploadContent(info.id, '/tmp/app.conf', 'x=1\n', {mode: 0o600});
  const stat = await runtime.statPath(info.id, '/tmp/app.conf');
  t.is(stat.size, 4);
  t.is(stat.mode & 0o777, 0o600);
});

test('a container created by the engine carries the managed label', async (t) => {
  const {runtime, container} = subject();
  const info = await container.createContainer('web-1', task('web-1'));
  t.truthy((await runtime.inspectContainer(info.id)).labels[LABELS.managed]);
});
