import test from 'ava';
import {fromContainerInspect, fromPortMap, fromState} from '../../src/runtime/docker/from-inspect.js';
import {fromContainerSummary} from '../../src/runtime/docker/from-list.js';
import {fromImageInspect, fromImageSummary} from '../../src/runtime/docker/from-image.js';
import {fromNetwork} from '../../src/runtime/docker/from-network.js';
import {fromExecInspect} from '../../src/runtime/docker/from-exec.js';
import {fromInfo, fromVersion} from '../../src/runtime/docker/from-system.js';

// Trimmed from a real `GET /v1.41/containers/{id}/json` of dockerd 20.10.24.
const inspectJson = {
  Id: 'c7ec865a1a36',
  Created: '2026-11-26T23:10:44.563816063Z',
  State: {
    Status: 'running',
    Running: true,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 12338,
    ExitCode: 0,
    Error: '',
    StartedAt: '2026-11-26T23:10:44.799993413Z',
    FinishedAt: '0001-01-01T00:00:00Z',
    Health: {
      Status: 'healthy',
      FailingStreak: 0,
      Log: [{Start: '2026-11-26T23:10:45.8Z', End: '2026-11-26T23:10:45.84Z', ExitCode: 0, Output: 'ok\n'}],
    },
  },
  Image: 'sha256:a9be44ca',
  Name: '/probe-insp',
  RestartCount: 2,
  HostConfig: {
    Binds: null,
    NetworkMode: 'default',
    PortBindings: {'80/tcp': [{HostIp: '127.0.0.1', HostPort: ''}]},
    RestartPolicy: {Name: 'no', MaximumRetryCount: 0},
    AutoRemove: false,
    CapAdd: null,
    Dns: [],
    ExtraHosts: null,
    IpcMode: 'private',
    PidMode: '',
    Privileged: false,
    PublishAllPorts: false,
    UTSMode: '',
    ShmSize: 67108864,
    CpuShares: 0,
    Memory: 0,
    CpuPeriod: 0,
    CpuQuota: 0,
    Devices: [],
    MemorySwap: 0,
    OomKillDisable: false,
    PidsLimit: null,
    Ulimits: [{Name: 'nofile', Soft: 1024, Hard: 2048}],
    Init: null,
  },
  Config: {
    Hostname: 'c7ec865a1a36',
    User: '',
    ExposedPorts: {'80/tcp': {}},
    Tty: false,
    Env: ['PATH=/bin'],
    Cmd: ['sleep', '30'],
    Image: 'bcs-executor-test/probe:local',
    WorkingDir: '',
    Entrypoint: null,
    Labels: {'dev.bcs-executor.test-run': 'probe'},
  },
  NetworkSettings: {
    Ports: {'80/tcp': [{HostIp: '127.0.0.1', HostPort: '32768'}], '53/udp': null},
    SandboxKey: '/var/run/docker/netns/35a62681b49e',
    Networks: {
      bridge: {
        NetworkID: 'f9d8750e',
        Gateway: '172.17.0.1',
        IPAddress: '172.17.0.2',
        IPPrefixLen: 16,
        MacAddress: '02:42:ac:11:00:02',
      },
    },
  },
};

test('inspect: identity, name without its slash, the reference used and the image id', (t) => {
  const details = fromContainerInspect(inspectJson);
  t.is(details.id, 'c7ec865a1a36');
  t.is(details.name, 'probe-insp');
  t.is(details.image, 'bcs-executor-test/probe:local');
  t.is(details.imageId, 'sha256:a9be44ca');
  t.is(details.created, '2026-11-26T23:10:44.563816063Z');
  t.is(details.restartCount, 2);
  t.deepEqual(details.labels, {'dev.bcs-executor.test-run': 'probe'});
});

test('inspect: state with health and its log', (t) => {
  const {state} = fromContainerInspect(inspectJson);
  t.is(state.status, 'running');
  t.true(state.running);
  t.is(state.pid, 12338);
  t.is(state.finishedAt, '0001-01-01T00:00:00Z');
  t.deepEqual(state.health, {
    status: 'healthy',
    failingStreak: 0,
    log: [{start: '2026-11-26T23:10:45.8Z', end: '2026-11-26T23:10:45.84Z', exitCode: 0, output: 'ok\n'}],
  });
});

test('inspect: no Health key means no health field', (t) => {
  const state = fromState({Status: 'exited', ExitCode: 137, OOMKilled: true});
  t.false('health' in state);
  t.is(state.exitCode, 137);
  t.true(state.oomKilled);
  t.is(state.startedAt, '0001-01-01T00:00:00Z');
});

test('inspect: an unknown status reads as dead rather than passing through', (t) => {
  t.is(fromState({Status: 'no-such-state'}).status, 'dead');
});

test('inspect: config with null entrypoint as []', (t) => {
  const {config} = fromContainerInspect(inspectJson);
  t.deepEqual(config, {
    hostname: 'c7ec865a1a36',
    env: ['PATH=/bin'],
    cmd: ['sleep', '30'],
    entrypoint: [],
    workingDir: '',
    user: '',
    tty: false,
    exposedPorts: ['80/tcp'],
  });
});

test('inspect: HostConfig reads back, default → bridge, null pointers stay absent', (t) => {
  const {host} = fromContainerInspect(inspectJson);
  t.is(host.networkMode, 'bridge');
  t.is(host.ipcMode, 'private');
  t.is(host.shmSize, 67108864);
  t.is(host.memory, 0);
  t.deepEqual(host.dns, []);
  t.deepEqual(host.ulimits, [{name: 'nofile', soft: 1024, hard: 2048}]);
  t.deepEqual(host.portBindings, {'80/tcp': [{hostIp: '127.0.0.1', hostPort: ''}]});
  t.deepEqual(host.restartPolicy, {name: 'no', maximumRetryCount: 0});
  t.false('binds' in host, 'Binds: null');
  t.false('extraHosts' in host, 'ExtraHosts: null');
  t.false('init' in host, 'Init: null');
  t.false('capAdd' in host, 'CapAdd: null');
});

test('inspect: other network modes pass through', (t) => {
  for (const mode of ['host', 'none', 'container:abc', 'podnet']) {
    t.is(fromContainerInspect({HostConfig: {NetworkMode: mode}}).host.networkMode, mode);
  }
});

test('inspect: networks, published ports (unpublished dropped) and the sandbox key', (t) => {
  const {network} = fromContainerInspect(inspectJson);
  t.deepEqual(network.networks, {
    bridge: {
      networkId: 'f9d8750e',
      ipAddress: '172.17.0.2',
      ipPrefixLen: 16,
      gateway: '172.17.0.1',
      macAddress: '02:42:ac:11:00:02',
    },
  });
  t.deepEqual(network.ports, [{containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 32768}]);
  t.is(network.sandboxKey, '/var/run/docker/netns/35a62681b49e');
});

test('inspect: an empty object maps to defaults without throwing', (t) => {
  const details = fromContainerInspect({});
  t.is(details.id, '');
  t.is(details.state.status, 'dead');
  t.deepEqual(details.network.ports, []);
  t.is(details.host.networkMode, '');
});

test('port map: several bindings per port, IPv6 too', (t) => {
  t.deepEqual(
    fromPortMap({
      '80/tcp': [
        {HostIp: '0.0.0.0', HostPort: '8080'},
        {HostIp: '::', HostPort: '8080'},
      ],
    }),
    [
      {containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080},
      {containerPort: 80, protocol: 'tcp', hostIp: '::', hostPort: 8080},
    ],
  );
});

test('list: one summary entry', (t) => {
  const summary = fromContainerSummary({
    Id: 'c7ec865a1a36',
    Names: ['/probe-insp'],
    Image: 'bcs-executor-test/probe:local',
    ImageID: 'sha256:a9be44ca',
    Created: 1795734644,
    Ports: [
      {IP: '127.0.0.1', PrivatePort: 80, PublicPort: 32768, Type: 'tcp'},
      {PrivatePort: 53, Type: 'udp'},
    ],
    Labels: {a: 'b'},
    State: 'running',
    Status: 'Up 5 seconds (healthy)',
  });
  t.deepEqual(summary, {
    id: 'c7ec865a1a36',
    name: 'probe-insp',
    image: 'bcs-executor-test/probe:local',
    imageId: 'sha256:a9be44ca',
    created: 1795734644,
    labels: {a: 'b'},
    status: 'running',
    statusText: 'Up 5 seconds (healthy)',
    ports: [{containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 32768}],
  });
});

test('image inspect: RFC 3339 created to seconds, labels from Config, <none> tags dropped', (t) => {
  const image = fromImageInspect({
    Id: 'sha256:abc',
    RepoTags: ['bcs-executor/demo:local', '<none>:<none>'],
    RepoDigests: null,
    Created: '2026-11-26T23:09:44.5Z',
    Size: 1920,
    Architecture: 'amd64',
    Os: 'linux',
    Config: {
      Env: ['PATH=/bin'],
      Cmd: ['sh'],
      Entrypoint: null,
      Labels: {v: '1'},
      ExposedPorts: {'80/tcp': {}},
    },
  });
  t.deepEqual(image, {
    id: 'sha256:abc',
    repoTags: ['bcs-executor/demo:local'],
    repoDigests: [],
    created: Math.floor(Date.parse('2026-11-26T23:09:44.5Z') / 1000),
    size: 1920,
    labels: {v: '1'},
    architecture: 'amd64',
    os: 'linux',
    config: {
      env: ['PATH=/bin'],
      cmd: ['sh'],
      entrypoint: [],
      workingDir: '',
      user: '',
      exposedPorts: ['80/tcp'],
    },
  });
});

test('image summary: numeric created, null labels as {}', (t) => {
  t.deepEqual(
    fromImageSummary({
      Id: 'sha256:abc',
      RepoTags: ['<none>:<none>'],
      RepoDigests: ['<none>@<none>'],
      Created: 1700000000,
      Size: 10,
      Labels: null,
    }),
    {id: 'sha256:abc', repoTags: [], repoDigests: [], created: 1700000000, size: 10, labels: {}},
  );
});

test('network: subnets and container addresses without prefix length', (t) => {
  t.deepEqual(
    fromNetwork({
      Name: 'podnet',
      Id: '8109e5eb',
      Driver: 'bridge',
      IPAM: {Driver: 'default', Config: [{Subnet: '172.18.0.0/16', Gateway: '172.18.0.1'}, {Gateway: 'x'}]},
      Containers: {abc: {Name: 'web', IPv4Address: '172.18.0.2/16'}},
      Labels: {},
    }),
    {
      id: '8109e5eb',
      name: 'podnet',
      driver: 'bridge',
      labels: {},
      subnets: ['172.18.0.0/16'],
      containers: {abc: {ipv4Address: '172.18.0.2', name: 'web'}},
    },
  );
});

test('exec inspect: exit code only once not running', (t) => {
  t.deepEqual(fromExecInspect({ID: 'e1', Running: true, ExitCode: null, Pid: 42, ContainerID: 'c1'}), {
    id: 'e1',
    running: true,
    exitCode: null,
    pid: 42,
    containerId: 'c1',
  });
  // The race the seed hit: Running true with ExitCode 0 is not an exit yet.
  t.is(fromExecInspect({ID: 'e1', Running: true, ExitCode: 0}).exitCode, null);
  t.is(fromExecInspect({ID: 'e1', Running: false, ExitCode: 7}).exitCode, 7);
  t.is(fromExecInspect({ID: 'e1', Running: false, ExitCode: null}).exitCode, null);
});

test('version: docker flavor, with the negotiated version', (t) => {
  const version = fromVersion(
    {
      Components: [{Name: 'Engine', Version: '20.10.24'}],
      Version: '20.10.24+dfsg1',
      ApiVersion: '1.41',
      MinAPIVersion: '1.12',
      Os: 'linux',
      Arch: 'amd64',
    },
    '1.41',
  );
  t.deepEqual(version, {
    apiVersion: '1.41',
    serverApiVersion: '1.41',
    minApiVersion: '1.12',
    serverVersion: '20.10.24+dfsg1',
    os: 'linux',
    arch: 'amd64',
    flavor: 'docker',
  });
});

test('version: podman is detected from its Podman Engine component', (t) => {
  const version = fromVersion(
    {Components: [{Name: 'Podman Engine', Version: '4.3.1'}], Version: '4.3.1', ApiVersion: '1.41'},
    '1.41',
  );
  t.is(version.flavor, 'podman');
});

test('info: the fields the engine shows', (t) => {
  t.deepEqual(
    fromInfo({
      Name: 'vm',
      ServerVersion: '20.10.24+dfsg1',
      Containers: 3,
      ContainersRunning: 1,
      Images: 7,
      Driver: 'overlay2',
      CgroupVersion: '1',
      CgroupDriver: 'cgroupfs',
      NCPU: 2,
      MemTotal: 25276502016,
      KernelVersion: '6.18.44',
      OperatingSystem: 'Debian GNU/Linux 12 (bookworm)',
      Swarm: {},
    }),
    {
      name: 'vm',
      serverVersion: '20.10.24+dfsg1',
      containers: 3,
      containersRunning: 1,
      images: 7,
      driver: 'overlay2',
      cgroupVersion: '1',
      cgroupDriver: 'cgroupfs',
      ncpu: 2,
      memTotal: 25276502016,
      kernelVersion: '6.18.44',
      operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
    },
  );
});
