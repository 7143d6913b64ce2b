/**
The container cases of seed-spec section 7, with the fixed behaviour, against the real dockerd. Cases covered
elsewhere: 1-6 (envOperCopy) in test/unit/task-env-oper-copy.test.ts; 9 (a memory limit overrides the request,
MemorySwap = Memory) and 11 in container-create-mapping.test.ts; 13 and 19 belong to the executor and the pod;
21-23 in container-images.test.ts; 24 (pull inactivity and stream errors) in the runtime's unit tests and
contract; 25-28 and 40 in container-lifecycle.test.ts; 29-32 in container-exec.test.ts; 33-34 in
container-files.test.ts.
*/
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {execCommand} from '../../src/container/exec-command.js';
import {EngineError} from '../../src/errors.js';
import type {BcsContainerTask} from '../../src/task/types.js';
import {
  dockerCli,
  dockerInspect,
  realContainer,
  sleeperTask,
  startedSleeper,
} from '../support/container-helpers.js';
import {realRuntime} from '../support/docker.js';
import {freeTestSubnet} from '../support/netns.js';
import {removeByRunId, runLabelFilter, uniqueName} from '../support/run-id.js';

const MIB = 1024 * 1024;

test.after.always(async () => {
  await removeByRunId(await realRuntime());
});

async function hostConfig(id: string): Promise<Record<string, unknown>> {
  return (await dockerInspect(id))['HostConfig'] as Record<string, unknown>;
}

/** Creating `task` fails VALIDATION at `path`, and no container of that name exists. */
async function refused(
  t: {is: (a: unknown, b: unknown, m?: string) => void; true: (v: boolean, m?: string) => void},
  task: BcsContainerTask,
  path: string,
): Promise<void> {
  const {container} = await realContainer();
  let error: unknown;
  try {
    await container.createContainer(task.name, task);
  } catch (caught) {
    error = caught;
  }
  t.true(error instanceof EngineError && error.code === 'VALIDATION', String(error));
  const issues = error instanceof EngineError ? (error.details['issues'] as {path: string}[]) : [];
  t.true(
    issues.some((issue) => issue.path === path),
    JSON.stringify(issues),
  );
  t.is((await dockerCli(['ps', '-aq', '--filter', `name=^${task.name}$`])).trim(), '');
}

test('case 7: CPU request 2.25 gives 2304 shares, 0 gives 1024', async (t) => {
  const {container} = await realContainer();
  const a = sleeperTask({resource: {cpus: 2.25, mem: 0}});
  const b = sleeperTask({resource: {cpus: 0, mem: 0}});
  const [infoA, infoB] = await Promise.all([
    container.createContainer(a.name, a),
    container.createContainer(b.name, b),
  ]);
  t.is((await hostConfig(infoA.id))['CpuShares'], 2304);
  t.is((await hostConfig(infoB.id))['CpuShares'], 1024);
  t.deepEqual(infoA.resource, {cpus: 2.25, mem: 0});
});

test("case 8: 4 MB of memory is refused before Docker (Docker's minimum is 6 MB), nothing created", async (t) => {
  await refused(t, sleeperTask({resource: {cpus: 1, mem: 4}}), 'resource.mem');
});

test('case 10: a CPU limit of 0.005 (quota 500 µs) is refused before Docker, nothing created', async (t) => {
  await refused(t, sleeperTask({limitResource: {cpus: 0.005, mem: 0}}), 'limitResource.cpus');
});

test('case 12: a read-only volume is really read-only; a read-write one is writable', async (t) => {
  const roDir = await mkdtemp(join(tmpdir(), 'bcs-ro-'));
  const rwDir = await mkdtemp(join(tmpdir(), 'bcs-rw-'));
  t.teardown(() =>
    Promise.all([rm(roDir, {recursive: true}), rm(rwDir, {recursive: true})]).then(() => undefined),
  );
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container, {
    volumes: [
      {readOnly: true, hostPath: roDir, containerPath: '/data/ro'},
      {readOnly: false, hostPath: rwDir, containerPath: '/data/rw'},
    ],
  });
  const ro = await execCommand(runtime, info.id, {cmd: ['touch', '/data/ro/x'], timeoutMs: 10_000});
  t.not(ro.exitCode, 0);
  t.regex(ro.stderr, /read-only/i);
  const rw = await execCommand(runtime, info.id, {cmd: ['touch', '/data/rw/x'], timeoutMs: 10_000});
  t.is(rw.exitCode, 0);
  t.deepEqual(await readdir(roDir), []);
  t.deepEqual(await readdir(rwDir), ['x']);
});

test('case 14: ulimit nofile=1024:2048 (skipped by the seed) gives soft 1024 and hard 2048', async (t) => {
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container, {ulimits: [{key: 'nofile', value: '1024:2048'}]});
  // The container's own process (PID 1, started from the container's spec): an exec's limits are the exec's.
  const {stdout} = await execCommand(runtime, info.id, {
    cmd: ['grep', 'Max open files', '/proc/1/limits'],
    timeoutMs: 10_000,
  });
  t.regex(stdout, /^Max open files\s+1024\s+2048\s+files/);
});

test('case 15: shmSize of 64 MiB sizes /dev/shm', async (t) => {
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container, {shmSize: 64 * MIB});
  const {stdout} = await execCommand(runtime, info.id, {cmd: ['df', '-k', '/dev/shm'], timeoutMs: 10_000});
  t.regex(stdout, /\s65536\s/);
});

test('case 16: network bridge is sent as default, read back as bridge, with the IP of that network', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container, {networkName: 'bridge'});
  const inspected = await dockerInspect(info.id);
  t.is((inspected['HostConfig'] as Record<string, unknown>)['NetworkMode'], 'default');
  const networks = (inspected['NetworkSettings'] as {Networks: Record<string, {IPAddress: string}>}).Networks;
  t.is(info.networkMode, 'bridge');
  t.regex(info.ipAddress, /^\d+\.\d+\.\d+\.\d+$/);
  t.is<unknown, unknown>(info.ipAddress, networks['bridge']?.IPAddress);
});

test('case 17: a user network with a requested IP gets that IP; host with an IP is refused', async (t) => {
  const {container} = await realContainer();
  const {subnet, prefix} = await freeTestSubnet();
  const network = uniqueName('net');
  await dockerCli(['network', 'create', '--label', runLabelFilter, '--subnet', subnet, network]);
  const info = await startedSleeper(container, {networkName: network, networkIPAddr: `${prefix}42`});
  t.is(info.networkMode, network);
  t.is(info.ipAddress, `${prefix}42`);
  await refused(t, sleeperTask({networkName: 'host', networkIPAddr: `${prefix}43`}), 'networkIPAddr');
});

test('case 18: protocol http publishes on <port>/tcp; a host port of 0 publishes nothing; P publishes all', async (t) => {
  const {container} = await realContainer();
  const explicit = await startedSleeper(container, {
    portBindings: {
      '80/http': {containerPort: '80', hostPort: '0', protocol: 'http'},
      '81/tcp': {containerPort: '81', hostPort: '', protocol: 'tcp'},
    },
  });
  const host = await hostConfig(explicit.id);
  t.deepEqual(host['PortBindings'] ?? {}, {});
  t.deepEqual(explicit.ports, []);
  const all = await startedSleeper(container, {
    publishAllPorts: true,
    portBindings: {'80/http': {containerPort: '80', hostPort: '0', protocol: 'http'}},
  });
  t.is((await hostConfig(all.id))['PublishAllPorts'], true);
  t.true(all.ports.some((port) => port.containerPort === '80' && Number(port.hostPort) > 0));
});

test('case 20: a container network mode with a hostname is refused before Docker, nothing created', async (t) => {
  await refused(t, sleeperTask({networkName: 'container:some-infra', hostName: 'member'}), 'hostName');
});
