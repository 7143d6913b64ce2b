import test from 'ava';
import type {ContainerDetails} from '../../src/runtime/port.js';
import {inspectToBcsInfo, toBcsInfoJson, updateBcsInfo} from '../../src/task/from-inspect.js';
import type {BcsContainerInfo} from '../../src/task/types.js';

const MIB = 1024 * 1024;

function details(
  overrides: {
    networkMode?: string;
    networks?: ContainerDetails['network']['networks'];
    host?: Partial<ContainerDetails['host']>;
    state?: Partial<ContainerDetails['state']>;
    ports?: ContainerDetails['network']['ports'];
  } = {},
): ContainerDetails {
  const network = (ipAddress: string) => ({
    networkId: 'n1',
    ipAddress,
    ipPrefixLen: 16,
    gateway: '',
    macAddress: '',
  });
  return {
    id: 'c0ffee',
    name: '/bcs-container-t1',
    image: 'bcs-executor/demo:local',
    imageId: 'sha256:1',
    created: '2024-01-01T00:00:00Z',
    restartCount: 0,
    labels: {},
    state: {
      status: 'running',
      running: true,
      paused: false,
      restarting: false,
      oomKilled: false,
      dead: false,
      pid: 4242,
      exitCode: 0,
      error: '',
      startedAt: '2024-01-01T00:00:01.5Z',
      finishedAt: '0001-01-01T00:00:00Z',
      ...overrides.state,
    },
    config: {
      hostname: 'web-1',
      env: [],
      cmd: [],
      entrypoint: [],
      workingDir: '',
      user: '',
      tty: false,
      exposedPorts: [],
    },
    host: {
      networkMode: overrides.networkMode ?? 'default',
      cpuShares: 512,
      memory: 64 * MIB,
      ...overrides.host,
    },
    network: {
      networks: overrides.networks ?? {bridge: network('172.17.0.2')},
      ports: overrides.ports ?? [],
      sandboxKey: '',
    },
  };
}

test('inspectToBcsInfo maps the seed fields, with CPUs as a float', (t) => {
  t.deepEqual(inspectToBcsInfo(details()), {
    id: 'c0ffee',
    name: 'bcs-container-t1',
    pid: 4242,
    startAt: '2024-01-01T00:00:01.5Z',
    finishAt: '0001-01-01T00:00:00Z',
    status: 'running',
    healthy: false,
    isChecked: false,
    consecutiveFailureTimes: 0,
    exitCode: 0,
    hostname: 'web-1',
    networkMode: 'bridge',
    ipAddress: '172.17.0.2',
    nodeAddress: '',
    ports: [],
    message: '',
    resource: {cpus: 0.5, mem: 64},
    oomKilled: false,
  });
});

const ipRows: readonly (readonly [
  string,
  string,
  ContainerDetails['network']['networks'],
  string,
  string,
])[] = [
  [
    'case 16: default reads back as bridge, IP from the bridge network',
    'default',
    {bridge: net('172.17.0.2')},
    'bridge',
    '172.17.0.2',
  ],
  [
    'bridge found under its Docker name default',
    'bridge',
    {default: net('172.17.0.3')},
    'bridge',
    '172.17.0.3',
  ],
  ['a user network', 'bcsnet', {bcsnet: net('10.88.7.20')}, 'bcsnet', '10.88.7.20'],
  ['host has no IP of its own', 'host', {host: net('')}, 'host', ''],
  ['none has no IP', 'none', {none: net('10.0.0.1')}, 'none', ''],
  ['container: mode has no IP', 'container:infra', {}, 'container:infra', ''],
  ['a mode without its network gives no IP', 'bcsnet', {other: net('10.0.0.9')}, 'bcsnet', ''],
];

function net(ipAddress: string) {
  return {networkId: 'n', ipAddress, ipPrefixLen: 24, gateway: '', macAddress: ''};
}

for (const [title, mode, networks, expectedMode, expectedIp] of ipRows) {
  test(`inspectToBcsInfo: ${title}`, (t) => {
    const info = inspectToBcsInfo(details({networkMode: mode, networks}));
    t.is(info.networkMode, expectedMode);
    t.is(info.ipAddress, expectedIp);
  });
}

test('inspectToBcsInfo: exit, OOM, Docker state error, unset resources', (t) => {
  const info = inspectToBcsInfo(
    details({
      state: {status: 'exited', running: false, oomKilled: true, exitCode: 137, pid: 0, error: 'oom'},
      host: {cpuShares: 0, memory: 0},
    }),
  );
  t.is(info.status, 'exited');
  t.is(info.exitCode, 137);
  t.true(info.oomKilled);
  t.is(info.pid, 0);
  t.is(info.message, 'oom');
  t.deepEqual(info.resource, {cpus: 0, mem: 0});
});

test('inspectToBcsInfo: shares 2304 are 2.25 CPUs (the seed integer division gave 2)', (t) => {
  t.is(inspectToBcsInfo(details({host: {cpuShares: 2304}})).resource?.cpus, 2.25);
});

test('inspectToBcsInfo: published ports become BcsPorts; unpublished ones are skipped', (t) => {
  const info = inspectToBcsInfo(
    details({
      ports: [
        {containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080},
        {containerPort: 53, protocol: 'udp', hostIp: '', hostPort: 5353},
        {containerPort: 9000, protocol: 'tcp', hostIp: '', hostPort: 0},
      ],
    }),
  );
  t.deepEqual(info.ports, [
    {containerPort: '80', hostPort: '8080', protocol: 'tcp', hostIP: '0.0.0.0'},
    {containerPort: '53', hostPort: '5353', protocol: 'udp'},
  ]);
});

test('inspectToBcsInfo: Docker health fills Healthy, IsChecked and the failure streak', (t) => {
  const unhealthy = inspectToBcsInfo(
    details({state: {health: {status: 'unhealthy', failingStreak: 3, log: []}}}),
  );
  t.deepEqual([unhealthy.healthy, unhealthy.isChecked, unhealthy.consecutiveFailureTimes], [false, true, 3]);
  const healthy = inspectToBcsInfo(
    details({state: {health: {status: 'healthy', failingStreak: 0, log: []}}}),
  );
  t.deepEqual([healthy.healthy, healthy.isChecked, healthy.consecutiveFailureTimes], [true, true, 0]);
  const starting = inspectToBcsInfo(
    details({state: {health: {status: 'starting', failingStreak: 1, log: []}}}),
  );
  t.deepEqual([starting.healthy, starting.isChecked, starting.consecutiveFailureTimes], [false, false, 1]);
});

function info(overrides: Partial<BcsContainerInfo> = {}): BcsContainerInfo {
  return {
    id: '',
    name: 'bcs-container-t1',
    pid: 0,
    startAt: '',
    finishAt: '',
    status: '',
    healthy: false,
    isChecked: false,
    consecutiveFailureTimes: 0,
    exitCode: 0,
    hostname: '',
    networkMode: '',
    ipAddress: '',
    nodeAddress: '',
    ports: [],
    message: '',
    oomKilled: false,
    ...overrides,
  };
}

test('toBcsInfoJson: an empty info keeps only the name and Go zero times', (t) => {
  t.is(
    JSON.stringify(toBcsInfoJson(info())),
    '{"Name":"bcs-container-t1","StartAt":"0001-01-01T00:00:00Z","FinishAt":"0001-01-01T00:00:00Z"}',
  );
});

test('toBcsInfoJson: every field, in the seed struct order, with its PascalCase key', (t) => {
  const full = info({
    id: 'c0ffee',
    pid: 42,
    startAt: '2024-01-01T00:00:01.5Z',
    finishAt: '2024-01-01T00:01:00Z',
    status: 'exited',
    healthy: true,
    isChecked: true,
    consecutiveFailureTimes: 2,
    exitCode: 137,
    hostname: 'web-1',
    networkMode: 'bridge',
    ipAddress: '172.17.0.2',
    nodeAddress: '10.0.0.5',
    ports: [{name: '', containerPort: '80', hostPort: '8080', protocol: 'tcp'}],
    message: 'container exited',
    resource: {cpus: 0.5, mem: 64},
    oomKilled: true,
  });
  t.is(
    JSON.stringify(toBcsInfoJson(full)),
    JSON.stringify({
      ID: 'c0ffee',
      Name: 'bcs-container-t1',
      Pid: 42,
      StartAt: '2024-01-01T00:00:01.5Z',
      FinishAt: '2024-01-01T00:01:00Z',
      Status: 'exited',
      Healthy: true,
      IsChecked: true,
      ConsecutiveFailureTimes: 2,
      ExitCode: 137,
      Hostname: 'web-1',
      NetworkMode: 'bridge',
      IPAddress: '172.17.0.2',
      NodeAddress: '10.0.0.5',
      Ports: [{containerPort: '80', hostPort: '8080', protocol: 'tcp'}],
      Message: 'container exited',
      Resource: {Cpus: 0.5, Mem: 64, Disk: 0},
      OOMKilled: true,
    }),
  );
});

test('toBcsInfoJson: a zero Resource keeps all three keys (no JSON tags in Go)', (t) => {
  t.deepEqual(toBcsInfoJson(info({resource: {cpus: 0, mem: 0}})).Resource, {Cpus: 0, Mem: 0, Disk: 0});
});

test('updateBcsInfo: seed Update semantics', (t) => {
  const target = info({
    id: 'old',
    ipAddress: '10.0.0.1',
    nodeAddress: '10.0.0.5',
    ports: [{containerPort: '80', hostPort: '8080'}],
    resource: {cpus: 1, mem: 64},
    message: 'container is starting',
  });
  const other = info({
    id: 'new',
    pid: 7,
    startAt: 's',
    finishAt: 'f',
    status: 'running',
    healthy: true,
    isChecked: true,
    consecutiveFailureTimes: 1,
    exitCode: 3,
    hostname: 'h',
    networkMode: 'container:infra',
    oomKilled: true,
    ports: [],
    message: 'container is running',
  });
  t.true(updateBcsInfo(target, other));
  t.deepEqual(target, {
    ...other,
    networkMode: 'user',
    ipAddress: '10.0.0.1',
    nodeAddress: '10.0.0.5',
    ports: [{containerPort: '80', hostPort: '8080'}],
    resource: {cpus: 1, mem: 64},
  });
});

test('updateBcsInfo: copies a non-container mode even when empty, and addresses and resource when present', (t) => {
  const target = info({networkMode: 'bridge', ipAddress: '1.1.1.1'});
  updateBcsInfo(
    target,
    info({networkMode: '', ipAddress: '2.2.2.2', nodeAddress: '3.3.3.3', resource: {cpus: 2, mem: 8}}),
  );
  t.is(target.networkMode, '');
  t.is(target.ipAddress, '2.2.2.2');
  t.is(target.nodeAddress, '3.3.3.3');
  t.deepEqual(target.resource, {cpus: 2, mem: 8});
});

test('updateBcsInfo: does nothing when the names differ', (t) => {
  const target = info({id: 'keep'});
  t.false(updateBcsInfo(target, info({name: 'other', id: 'new'})));
  t.is(target.id, 'keep');
});

test('updateBcsInfo: a message present replaces a stale one, even empty; an absent one keeps it', (t) => {
  const target = info({message: 'container is running, but unhealthy'});
  updateBcsInfo(target, info({message: ''}));
  t.is(target.message, '');
  target.message = 'kept';
  const {message: _message, ...withoutMessage} = info({status: 'running'});
  updateBcsInfo(target, withoutMessage);
  t.is(target.message, 'kept');
  t.is(target.status, 'running');
});
