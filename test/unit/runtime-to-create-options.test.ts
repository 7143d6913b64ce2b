import test from 'ava';
import type {ContainerCreateSpec} from '../../src/runtime/port.js';
import {toCreateRequest} from '../../src/runtime/docker/to-create-options.js';
import {toUpdateBody} from '../../src/runtime/docker/to-update-body.js';
import {toNetworkCreateBody} from '../../src/runtime/docker/network-ops.js';

const minimal: ContainerCreateSpec = {image: 'busybox:1.36', host: {}};

test('a minimal spec sends only the image and an empty HostConfig', (t) => {
  t.deepEqual(toCreateRequest(minimal), {body: {Image: 'busybox:1.36', HostConfig: {}}});
});

test('the name goes to the query, not the body', (t) => {
  const request = toCreateRequest({...minimal, name: 'web-app'});
  t.is(request.name, 'web-app');
  t.false('name' in request.body && 'Name' in request.body);
});

// Config fields, row by row: spec field → Docker field and value.
const configRows: readonly [string, Partial<ContainerCreateSpec>, string, unknown][] = [
  ['cmd', {cmd: ['httpd', '-f']}, 'Cmd', ['httpd', '-f']],
  ['entrypoint', {entrypoint: ['/init']}, 'Entrypoint', ['/init']],
  ['empty entrypoint', {entrypoint: []}, 'Entrypoint', []],
  ['env keeps order', {env: ['B=2', 'A=1']}, 'Env', ['B=2', 'A=1']],
  ['labels', {labels: {'dev.bcs-executor.pod': 'web'}}, 'Labels', {'dev.bcs-executor.pod': 'web'}],
  ['hostname', {hostname: 'web-1'}, 'Hostname', 'web-1'],
  ['workingDir', {workingDir: '/srv'}, 'WorkingDir', '/srv'],
  ['user', {user: '1000:1000'}, 'User', '1000:1000'],
  ['exposedPorts', {exposedPorts: ['80/tcp', '53/udp']}, 'ExposedPorts', {'80/tcp': {}, '53/udp': {}}],
  ['tty', {tty: true}, 'Tty', true],
  ['openStdin', {openStdin: false}, 'OpenStdin', false],
  ['attachStdout', {attachStdout: true}, 'AttachStdout', true],
  ['attachStderr', {attachStderr: true}, 'AttachStderr', true],
  ['stopSignal', {stopSignal: 'SIGQUIT'}, 'StopSignal', 'SIGQUIT'],
  ['stopTimeout', {stopTimeout: 30}, 'StopTimeout', 30],
];

for (const [title, partial, key, expected] of configRows) {
  test(`Config: ${title} → ${key}`, (t) => {
    const {body} = toCreateRequest({...minimal, ...partial});
    t.deepEqual(body[key], expected);
    t.deepEqual(Object.keys(body).sort(), ['HostConfig', 'Image', key].sort());
  });
}

// HostConfig fields, row by row.
const hostRows: readonly [string, ContainerCreateSpec['host'], string, unknown][] = [
  ['binds keep :ro', {binds: ['/srv:/data:ro', '/x:/y']}, 'Binds', ['/srv:/data:ro', '/x:/y']],
  ['bridge goes out as default', {networkMode: 'bridge'}, 'NetworkMode', 'default'],
  ['container: mode', {networkMode: 'container:abc'}, 'NetworkMode', 'container:abc'],
  ['host mode', {networkMode: 'host'}, 'NetworkMode', 'host'],
  ['user network', {networkMode: 'podnet'}, 'NetworkMode', 'podnet'],
  ['ipcMode', {ipcMode: 'container:abc'}, 'IpcMode', 'container:abc'],
  ['pidMode', {pidMode: 'container:abc'}, 'PidMode', 'container:abc'],
  ['utsMode', {utsMode: 'host'}, 'UTSMode', 'host'],
  [
    'portBindings',
    {portBindings: {'80/tcp': [{hostIp: '127.0.0.1', hostPort: '8080'}], '53/udp': [{}]}},
    'PortBindings',
    {'80/tcp': [{HostIp: '127.0.0.1', HostPort: '8080'}], '53/udp': [{}]},
  ],
  ['publishAllPorts', {publishAllPorts: true}, 'PublishAllPorts', true],
  ['extraHosts', {extraHosts: ['db:10.0.0.3']}, 'ExtraHosts', ['db:10.0.0.3']],
  ['dns', {dns: ['1.1.1.1']}, 'Dns', ['1.1.1.1']],
  ['dnsSearch', {dnsSearch: ['corp']}, 'DnsSearch', ['corp']],
  ['dnsOptions', {dnsOptions: ['ndots:2']}, 'DnsOptions', ['ndots:2']],
  ['privileged', {privileged: true}, 'Privileged', true],
  ['capAdd', {capAdd: ['NET_ADMIN']}, 'CapAdd', ['NET_ADMIN']],
  ['cpuShares', {cpuShares: 512}, 'CpuShares', 512],
  ['cpuPeriod', {cpuPeriod: 100_000}, 'CpuPeriod', 100_000],
  ['cpuQuota', {cpuQuota: 50_000}, 'CpuQuota', 50_000],
  ['memory', {memory: 67_108_864}, 'Memory', 67_108_864],
  ['memorySwap', {memorySwap: 67_108_864}, 'MemorySwap', 67_108_864],
  ['oomKillDisable', {oomKillDisable: true}, 'OomKillDisable', true],
  [
    'ulimits',
    {ulimits: [{name: 'nofile', soft: 1024, hard: 2048}]},
    'Ulimits',
    [{Name: 'nofile', Soft: 1024, Hard: 2048}],
  ],
  ['shmSize', {shmSize: 67_108_864}, 'ShmSize', 67_108_864],
  ['init', {init: true}, 'Init', true],
  ['autoRemove', {autoRemove: true}, 'AutoRemove', true],
  [
    'restartPolicy',
    {restartPolicy: {name: 'on-failure', maximumRetryCount: 3}},
    'RestartPolicy',
    {Name: 'on-failure', MaximumRetryCount: 3},
  ],
  ['restartPolicy without count', {restartPolicy: {name: 'always'}}, 'RestartPolicy', {Name: 'always'}],
  [
    'devices',
    {devices: [{pathOnHost: '/dev/fuse', pathInContainer: '/dev/fuse', cgroupPermissions: 'rwm'}]},
    'Devices',
    [{PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm'}],
  ],
];

for (const [title, host, key, expected] of hostRows) {
  test(`HostConfig: ${title} → ${key}`, (t) => {
    const hostConfig = toCreateRequest({...minimal, host}).body['HostConfig'] as Record<string, unknown>;
    t.deepEqual(hostConfig[key], expected);
    t.deepEqual(Object.keys(hostConfig), [key]);
  });
}

test('zero and false are sent (they are set), undefined is not', (t) => {
  const hostConfig = toCreateRequest({...minimal, host: {cpuShares: 0, privileged: false}}).body[
    'HostConfig'
  ];
  t.deepEqual(hostConfig, {CpuShares: 0, Privileged: false});
});

test('endpoints become NetworkingConfig.EndpointsConfig with the requested IP and aliases', (t) => {
  const {body} = toCreateRequest({
    ...minimal,
    host: {networkMode: 'podnet'},
    endpoints: {podnet: {ipv4Address: '10.88.7.20', aliases: ['web']}, other: {}},
  });
  t.deepEqual(body['NetworkingConfig'], {
    EndpointsConfig: {podnet: {IPAMConfig: {IPv4Address: '10.88.7.20'}, Aliases: ['web']}, other: {}},
  });
});

test('the spec is not aliased into the body (mutating the body leaves the spec alone)', (t) => {
  const spec: ContainerCreateSpec = {...minimal, cmd: ['a'], labels: {k: 'v'}};
  const body = toCreateRequest(spec).body as {Cmd: string[]; Labels: Record<string, string>};
  body.Cmd.push('b');
  body.Labels['x'] = 'y';
  t.deepEqual(spec.cmd, ['a']);
  t.deepEqual(spec.labels, {k: 'v'});
});

test('update sends only the fields given', (t) => {
  t.deepEqual(toUpdateBody({}), {});
  t.deepEqual(toUpdateBody({memory: 64 << 20, memorySwap: 64 << 20}), {
    Memory: 64 << 20,
    MemorySwap: 64 << 20,
  });
  t.deepEqual(toUpdateBody({cpuShares: 512, cpuPeriod: 100_000, cpuQuota: 50_000, pidsLimit: 64}), {
    CpuShares: 512,
    CpuPeriod: 100_000,
    CpuQuota: 50_000,
    PidsLimit: 64,
  });
  t.deepEqual(toUpdateBody({restartPolicy: {name: 'no'}}), {RestartPolicy: {Name: 'no'}});
});

test('network create asks Docker to refuse duplicates and sends IPAM only with a subnet or gateway', (t) => {
  t.deepEqual(toNetworkCreateBody({name: 'n'}), {Name: 'n', CheckDuplicate: true});
  t.deepEqual(
    toNetworkCreateBody({
      name: 'n',
      driver: 'bridge',
      subnet: '10.9.0.0/24',
      labels: {a: 'b'},
      internal: true,
    }),
    {
      Name: 'n',
      CheckDuplicate: true,
      Driver: 'bridge',
      Internal: true,
      Labels: {a: 'b'},
      IPAM: {Driver: 'default', Config: [{Subnet: '10.9.0.0/24'}]},
    },
  );
});
