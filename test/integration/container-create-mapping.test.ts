/**
A fully loaded task, created through DockerContainer and read back with the real `docker inspect`: every
HostConfig value the mapping sets is there, exactly (seed-spec §1.1, §1.6, fixes of §8).
*/
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {MANAGED_LABEL_VALUE} from '../../src/container/create-container.js';
import {LABELS} from '../../src/constants.js';
import type {BcsContainerTask} from '../../src/task/types.js';
import {dockerInspect, realContainer, RUN_LABEL, sleeperTask} from '../support/container-helpers.js';
import {realRuntime} from '../support/docker.js';
import {removeByRunId, runId} from '../support/run-id.js';

const MIB = 1024 * 1024;

test.after.always(async () => {
  await removeByRunId(await realRuntime());
});

test('docker inspect shows exactly the mapped HostConfig and Config of a fully loaded task', async (t) => {
  const roDir = await mkdtemp(join(tmpdir(), 'bcs-ro-'));
  const rwDir = await mkdtemp(join(tmpdir(), 'bcs-rw-'));
  t.teardown(() =>
    Promise.all([rm(roDir, {recursive: true}), rm(rwDir, {recursive: true})]).then(() => undefined),
  );
  const hostPort = String(20_000 + Math.floor(Math.random() * 20_000));
  const task: BcsContainerTask = sleeperTask({
    hostName: 'mapped-host',
    hosts: ['db:10.0.0.3', 'cache:10.0.0.4'],
    env: [
      {key: 'A', value: '1'},
      {key: 'B', value: '2'},
      {key: 'A', value: '3'},
    ],
    volumes: [
      {readOnly: true, hostPath: roDir, containerPath: '/data/ro'},
      {readOnly: false, hostPath: rwDir, containerPath: '/data/rw'},
    ],
    networkName: 'bridge',
    oomKillDisabled: true,
    ulimits: [
      {key: 'nofile', value: '1024:2048'},
      {name: 'core', soft: -1, hard: -1},
    ],
    shmSize: 64 * MIB,
    privileged: false,
    portBindings: {'80/http': {containerPort: '80', hostPort, protocol: 'http', hostIP: '127.0.0.1'}},
    labels: [{key: 'team', value: 'demo'}],
    resource: {cpus: 0.5, mem: 64},
    limitResource: {cpus: 1.5, mem: 128},
    ipc: 'shareable',
    workingDir: '/www',
    user: 'nobody',
  });
  const {container} = await realContainer();
  const info = await container.createContainer(task.name, task);
  const inspected = await dockerInspect(info.id);
  const host = inspected['HostConfig'] as Record<string, unknown>;
  const config = inspected['Config'] as Record<string, unknown>;

  t.like(host, {
    CpuShares: 512,
    CpuPeriod: 100_000,
    CpuQuota: 150_000,
    Memory: 128 * MIB,
    MemorySwap: 128 * MIB,
    ShmSize: 64 * MIB,
    OomKillDisable: true,
    Privileged: false,
    IpcMode: 'shareable',
    NetworkMode: 'default',
  });
  t.deepEqual(host['Ulimits'], [
    {Name: 'nofile', Soft: 1024, Hard: 2048},
    {Name: 'core', Soft: -1, Hard: -1},
  ]);
  t.deepEqual(host['PortBindings'], {'80/tcp': [{HostIp: '127.0.0.1', HostPort: hostPort}]});
  t.deepEqual(host['Binds'], [`${roDir}:/data/ro:ro`, `${rwDir}:/data/rw`]);
  t.deepEqual(host['ExtraHosts'], ['db:10.0.0.3', 'cache:10.0.0.4']);
  t.deepEqual(host['CapAdd'], ['SYS_PTRACE']);
  t.false(host['AutoRemove']);
  t.false(host['PublishAllPorts']);

  // Docker adds the image's own labels to the container's.
  const imageConfig = (await dockerInspect(task.image))['Config'] as Record<string, unknown>;
  t.deepEqual(config['Labels'], {
    ...(imageConfig['Labels'] as Record<string, string>),
    [LABELS.managed]: MANAGED_LABEL_VALUE,
    [RUN_LABEL.key]: runId,
    team: 'demo',
  });
  t.like(config, {Hostname: 'mapped-host', WorkingDir: '/www', User: 'nobody', Tty: false, OpenStdin: false});
  t.deepEqual(config['Cmd'], ['sh', ...(task.args ?? [])]);
  t.deepEqual(config['ExposedPorts'], {'80/tcp': {}});
  const env = config['Env'] as string[];
  // De-duplicated: the last entry of a key wins, in its own place (see dedupeEnv).
  t.deepEqual(
    env.filter((entry) => /^[AB]=/.test(entry)),
    ['B=2', 'A=3'],
  );
  t.is(config['Image'], task.image);

  // And the state DockerContainer returned is the one Docker reports.
  t.like(info, {id: inspected['Id'], hostname: 'mapped-host', networkMode: 'bridge', status: 'created'});
  t.deepEqual(info.resource, {cpus: 0.5, mem: 128});
});

test('a task with no resource gets 1024 shares and no memory limit (seed case 11: the seed crashed)', async (t) => {
  const {container} = await realContainer();
  const task = sleeperTask();
  const info = await container.createContainer(task.name, task);
  const host = (await dockerInspect(info.id))['HostConfig'] as Record<string, unknown>;
  t.like(host, {CpuShares: 1024, Memory: 0, CpuQuota: 0, OomKillDisable: false});
});
