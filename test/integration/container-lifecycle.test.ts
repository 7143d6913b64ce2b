/**
DockerContainer against the real dockerd: create, start, stop, kill, inspect, remove and listContainer,
success and failure, with the seed cases of section 7 that belong to this layer.
*/
import test from 'ava';
import {DockerContainer} from '../../src/container/docker-container.js';
import {LABELS} from '../../src/constants.js';
import {EngineError} from '../../src/errors.js';
import {
  DEMO_IMAGE,
  dockerCli,
  dockerInspect,
  eventually,
  processesIn,
  realContainer,
  sleeperTask,
  startedSleeper,
} from '../support/container-helpers.js';
import {realRuntime} from '../support/docker.js';
import {removeByRunId, runLabelFilter, uniqueName} from '../support/run-id.js';

const MIB = 1024 * 1024;

test.after.always(async () => {
  await removeByRunId(await realRuntime());
});

test('createContainer returns the full inspected state and labels the container as managed', async (t) => {
  const {container} = await realContainer();
  const task = sleeperTask({hostName: 'web-1'});
  const info = await container.createContainer(task.name, task);
  t.regex(info.id, /^[0-9a-f]{64}$/);
  t.like(info, {name: task.name, status: 'created', hostname: 'web-1', networkMode: 'bridge', exitCode: 0});
  t.deepEqual(info.resource, {cpus: 1, mem: 0});
  const labels = JSON.parse(await dockerCli(['inspect', '-f', '{{json .Config.Labels}}', info.id])) as Record<
    string,
    string
  >;
  t.is(labels[LABELS.managed], '1');
});

test('new DockerContainer() connects lazily to the default endpoint, like NewDockerContainer', async (t) => {
  const container = new DockerContainer();
  const task = sleeperTask();
  const info = await container.createContainer(task.name, task);
  t.is((await container.inspectContainer(task.name)).id, info.id);
});

test('a name already in use is ALREADY_EXISTS (a rerun of the same task)', async (t) => {
  const {container} = await realContainer();
  const task = sleeperTask();
  await container.createContainer(task.name, task);
  const error = await t.throwsAsync(container.createContainer(task.name, task), {instanceOf: EngineError});
  t.is(error?.code, 'ALREADY_EXISTS');
});

test('start of a running container is {changed: false}, not an error (seed case 25)', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  t.is(info.status, 'running');
  t.true(info.pid > 0);
  t.deepEqual(await container.startContainer(info.id), {changed: false});
});

test('start of an unknown container is NOT_FOUND', async (t) => {
  const {container} = await realContainer();
  const error = await t.throwsAsync(container.startContainer(uniqueName('nope')), {instanceOf: EngineError});
  t.is(error?.code, 'NOT_FOUND');
});

test('stop of a running container stops it; stop of an exited one is {changed: false} (seed case 26)', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  t.deepEqual(await container.stopContainer(info.name, 5), {changed: true, killed: false});
  const stopped = await container.inspectContainer(info.name);
  t.is(stopped.status, 'exited');
  t.deepEqual(await container.stopContainer(info.name, 5), {changed: false, killed: false});
});

test("stop of a process that ignores SIGTERM ends by Docker's kill after t seconds, not the seed's 10 s grace", async (t) => {
  const {container} = await realContainer();
  // busybox httpd as PID 1 has no SIGTERM action: only the SIGKILL after t ends it.
  const info = await startedSleeper(container, {command: 'httpd', args: ['-f', '-p', '80', '-h', '/www']});
  const started = performance.now();
  t.deepEqual(await container.stopContainer(info.name, 1), {changed: true, killed: false});
  const elapsed = performance.now() - started;
  t.true(elapsed >= 900 && elapsed < 8_000, `took ${elapsed} ms`);
  t.is((await container.inspectContainer(info.name)).exitCode, 137);
});

test('stop of an unknown container is NOT_FOUND', async (t) => {
  const {container} = await realContainer();
  const error = await t.throwsAsync(container.stopContainer(uniqueName('nope'), 1), {
    instanceOf: EngineError,
  });
  t.is(error?.code, 'NOT_FOUND');
});

test('kill with SIGTERM delivers SIGTERM: a process that traps it keeps running (seed case 28)', async (t) => {
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container, {
    args: ['-c', 'trap "echo got-TERM" TERM; while true; do sleep 0.1; done'],
  });
  await container.killContainer(info.name, 'SIGTERM');
  const delivered = await eventually(async () => (await dockerCli(['logs', info.id])).includes('got-TERM'));
  t.true(delivered, 'the trap ran');
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.is((await container.inspectContainer(info.name)).status, 'running');
  t.true((await processesIn(runtime, info.id)).some((line) => line.includes('while true')));
});

test('kill with a number and with SIGKILL stop the container; kill of a stopped one is INVALID_STATE', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container, {args: ['-c', 'trap "" TERM; sleep 3600']});
  await container.killContainer(info.name, 9);
  t.true(await eventually(async () => (await container.inspectContainer(info.name)).status === 'exited'));
  t.is((await container.inspectContainer(info.name)).exitCode, 137);
  const error = await t.throwsAsync(container.killContainer(info.name, 'SIGKILL'), {instanceOf: EngineError});
  t.is(error?.code, 'INVALID_STATE');
});

test('inspect of a container removed out of band is NOT_FOUND (seed case 40)', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  await dockerCli(['rm', '-f', info.id]);
  const error = await t.throwsAsync(container.inspectContainer(info.name), {instanceOf: EngineError});
  t.is(error?.code, 'NOT_FOUND');
  t.is(error?.details['resource'], 'container');
});

test('remove: force removes a running container; a second remove is {changed: false}', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  t.deepEqual(await container.removeContainer(info.name, true), {changed: true});
  t.deepEqual(await container.removeContainer(info.name, true), {changed: false});
  t.is((await dockerCli(['ps', '-aq', '--filter', `name=^${info.name}$`])).trim(), '');
});

test('remove without force of a running container is INVALID_STATE and leaves it running', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  const error = await t.throwsAsync(container.removeContainer(info.name, false), {instanceOf: EngineError});
  t.is(error?.code, 'INVALID_STATE');
  t.is((await container.inspectContainer(info.name)).status, 'running');
});

test('listContainer lists managed containers with their state; scope all adds the others', async (t) => {
  const {container} = await realContainer();
  const running = await startedSleeper(container, {
    labels: [{key: 'dev.bcs-executor.test-case', value: 'list'}],
  });
  const created = sleeperTask({labels: [{key: 'dev.bcs-executor.test-case', value: 'list'}]});
  await container.createContainer(created.name, created);
  const foreign = uniqueName('foreign');
  await dockerCli([
    'create',
    '--name',
    foreign,
    '--label',
    runLabelFilter,
    '--label',
    'dev.bcs-executor.test-case=list',
    DEMO_IMAGE,
  ]);
  const byCase = ['dev.bcs-executor.test-case=list'];
  const names = (infos: {name: string}[]) => infos.map((info) => info.name).sort();
  t.deepEqual(names(await container.listContainer({labels: byCase})), [created.name, running.name].sort());
  t.deepEqual(
    names(await container.listContainer({labels: byCase, scope: 'all'})),
    [created.name, foreign, running.name].sort(),
  );
  const live = await container.listContainer({labels: byCase, runningOnly: true});
  t.deepEqual(names(live), [running.name]);
  t.like(live[0], {id: running.id, status: 'running', pid: running.pid});
});

test('updateResources applies TaskResources and Resource to a running container; invalid input sends nothing', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container, {
    resource: {cpus: 1, mem: 64},
    limitResource: {cpus: 1, mem: 64},
  });
  const host = async () => (await dockerInspect(info.id))['HostConfig'] as Record<string, unknown>;
  await container.updateResources(info.id, {reqCpu: 0.5, cpu: 1.5, mem: 96});
  t.like(await host(), {
    CpuShares: 512,
    CpuPeriod: 100_000,
    CpuQuota: 150_000,
    Memory: 96 * MIB,
    MemorySwap: 96 * MIB,
  });
  await container.updateResources(info.id, {cpus: 2, mem: 80});
  t.like(await host(), {CpuShares: 2048, CpuQuota: 150_000, Memory: 80 * MIB, MemorySwap: 80 * MIB});
  const error = await t.throwsAsync(container.updateResources(info.id, {cpus: 1, mem: 5}), {
    instanceOf: EngineError,
  });
  t.is(error?.code, 'VALIDATION');
  t.like(await host(), {CpuShares: 2048, Memory: 80 * MIB});
  t.is((await container.inspectContainer(info.id)).status, 'running');
  const missing = await t.throwsAsync(container.updateResources(uniqueName('nope'), {cpus: 1, mem: 64}), {
    instanceOf: EngineError,
  });
  t.is(missing?.code, 'NOT_FOUND');
});
