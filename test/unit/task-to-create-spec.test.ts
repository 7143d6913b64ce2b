import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import type {ContainerCreateSpec, HostSpec} from '../../src/runtime/port.js';
import {taskToCreateSpec} from '../../src/task/to-create-spec.js';
import type {BcsContainerTask} from '../../src/task/types.js';

const MIB = 1024 * 1024;
const base: BcsContainerTask = {name: 'bcs-container-t1', image: 'bcs-executor/demo:local'};

test('a bare task maps to the seed defaults and nothing else', (t) => {
  t.deepEqual(taskToCreateSpec('bcs-container-t1', base), {
    name: 'bcs-container-t1',
    image: 'bcs-executor/demo:local',
    tty: false,
    openStdin: false,
    attachStdout: true,
    attachStderr: true,
    host: {capAdd: ['SYS_PTRACE'], cpuShares: 1024, oomKillDisable: false},
  });
});

type Row = readonly [
  title: string,
  patch: Partial<BcsContainerTask>,
  expected: Partial<Omit<ContainerCreateSpec, 'host'>> & {host?: HostSpec},
  absent?: readonly string[],
];

const rows: readonly Row[] = [
  // Cmd = [command?] + args
  ['command and args', {command: 'httpd', args: ['-f', '-p', '80']}, {cmd: ['httpd', '-f', '-p', '80']}],
  ['args only are the image entrypoint arguments', {args: ['-v']}, {cmd: ['-v']}, ['entrypoint']],
  ['an empty command is left out', {command: '', args: []}, {}, ['cmd']],
  // env, labels, hosts, identity
  [
    'env as K=V in order',
    {
      env: [
        {key: 'A', value: '1'},
        {key: 'B', value: '$A'},
      ],
    },
    {env: ['A=1', 'B=$A']},
  ],
  [
    'duplicate env keys: the last wins, at its position',
    {
      env: [
        {key: 'A', value: '1'},
        {key: 'B', value: '2'},
        {key: 'A', value: '3'},
      ],
    },
    {env: ['B=2', 'A=3']},
  ],
  [
    'labels: the last duplicate wins',
    {
      labels: [
        {key: 'a', value: '1'},
        {key: 'a', value: '2'},
        {key: 'b', value: ''},
      ],
    },
    {labels: {a: '2', b: ''}},
  ],
  ['hosts become ExtraHosts', {hosts: ['db:10.0.0.3']}, {host: {extraHosts: ['db:10.0.0.3']}}],
  [
    'hostname, working dir and user',
    {hostName: 'web-1', workingDir: '/app', user: '1000:1000'},
    {hostname: 'web-1', workingDir: '/app', user: '1000:1000'},
  ],
  [
    'empty hostname, working dir and user are left out',
    {hostName: '', workingDir: '', user: ''},
    {},
    ['hostname', 'workingDir', 'user'],
  ],
  ['ipc', {ipc: 'shareable'}, {host: {ipcMode: 'shareable'}}],
  ['privileged', {privileged: true}, {host: {privileged: true}}],
  // case 7: CPU shares
  [
    'case 7: no resource gives 1024 shares (case 11: no crash)',
    {},
    {host: {cpuShares: 1024}},
    ['host.memory', 'host.cpuQuota'],
  ],
  ['case 7: cpus 0 gives 1024', {resource: {cpus: 0, mem: 0}}, {host: {cpuShares: 1024}}],
  ['case 7: cpus -1 gives 1024', {resource: {cpus: -1, mem: 0}}, {host: {cpuShares: 1024}}],
  ['case 7: cpus 0.5 gives 512', {resource: {cpus: 0.5, mem: 0}}, {host: {cpuShares: 512}}],
  ['case 7: cpus 2.25 gives 2304', {resource: {cpus: 2.25, mem: 0}}, {host: {cpuShares: 2304}}],
  ['cpus 0.29 truncates to 296', {resource: {cpus: 0.29, mem: 0}}, {host: {cpuShares: 296}}],
  // cases 8 and 9: memory
  [
    'case 8: mem 0 means no memory limit',
    {resource: {cpus: 1, mem: 0}},
    {},
    ['host.memory', 'host.memorySwap'],
  ],
  [
    'case 8: mem 6 gives 6 MiB, Docker minimum',
    {resource: {cpus: 1, mem: 6}},
    {host: {memory: 6 * MIB, memorySwap: 6 * MIB}},
  ],
  [
    'mem 64 gives Memory = MemorySwap = 64 MiB',
    {resource: {cpus: 1, mem: 64}},
    {host: {memory: 64 * MIB, memorySwap: 64 * MIB}},
  ],
  [
    'fractional mem truncates to bytes',
    {resource: {cpus: 1, mem: 6.5}},
    {host: {memory: 6_815_744, memorySwap: 6_815_744}},
  ],
  [
    'case 9: the limit overrides the request',
    {resource: {cpus: 1, mem: 64}, limitResource: {cpus: 0, mem: 128}},
    {host: {memory: 128 * MIB, memorySwap: 128 * MIB}},
  ],
  [
    'case 9: a limit mem of 0 keeps the request',
    {resource: {cpus: 1, mem: 64}, limitResource: {cpus: 0, mem: 0}},
    {host: {memory: 64 * MIB, memorySwap: 64 * MIB}},
  ],
  [
    'a limit alone sets memory',
    {limitResource: {cpus: 0, mem: 32}},
    {host: {memory: 32 * MIB, memorySwap: 32 * MIB, cpuShares: 1024}},
  ],
  // case 10: CPU limit
  [
    'case 10: limit cpus 1.5 gives quota 150000 over period 100000',
    {limitResource: {cpus: 1.5, mem: 0}},
    {host: {cpuPeriod: 100_000, cpuQuota: 150_000}},
  ],
  [
    'limit cpus 0.01 gives the minimum quota 1000',
    {limitResource: {cpus: 0.01, mem: 0}},
    {host: {cpuPeriod: 100_000, cpuQuota: 1000}},
  ],
  ['limit cpus 0 sets no quota', {limitResource: {cpus: 0, mem: 0}}, {}, ['host.cpuPeriod', 'host.cpuQuota']],
  // case 12: binds
  [
    'case 12: read-only volumes are really read-only',
    {
      volumes: [
        {readOnly: true, hostPath: '/data/corefile/x', containerPath: '/data/corefile'},
        {readOnly: false, hostPath: '/srv', containerPath: '/srv'},
      ],
    },
    {host: {binds: ['/data/corefile/x:/data/corefile:ro', '/srv:/srv']}},
  ],
  // case 14: ulimits
  [
    'case 14: ulimits in the seed form, soft:hard now supported, and structured',
    {
      ulimits: [
        {key: 'nofile', value: '1024:2048'},
        {key: 'core', value: '-1'},
        {key: 'nproc', value: '0'},
        {name: 'stack', soft: 8192, hard: -1},
      ],
    },
    {
      host: {
        ulimits: [
          {name: 'nofile', soft: 1024, hard: 2048},
          {name: 'core', soft: -1, hard: -1},
          {name: 'nproc', soft: 0, hard: 0},
          {name: 'stack', soft: 8192, hard: -1},
        ],
      },
    },
  ],
  // case 15: shm
  ['case 15: shmSize in bytes', {shmSize: 67_108_864}, {host: {shmSize: 67_108_864}}],
  ['shmSize 0 is left out', {shmSize: 0}, {}, ['host.shmSize']],
  // cases 16, 17, 20: network
  ['case 16: bridge is sent as default', {networkName: 'bridge'}, {host: {networkMode: 'default'}}],
  ['host is passed as is', {networkName: 'host'}, {host: {networkMode: 'host'}}],
  [
    'case 20: container: mode is passed as is',
    {networkName: 'container:infra'},
    {host: {networkMode: 'container:infra'}},
  ],
  ['no network name leaves the mode to Docker', {networkName: ''}, {}, ['host.networkMode']],
  [
    'case 17: a user network with an IP gives the endpoint address',
    {networkName: 'bcsnet', networkIPAddr: '10.88.7.20'},
    {host: {networkMode: 'bcsnet'}, endpoints: {bcsnet: {ipv4Address: '10.88.7.20'}}},
  ],
  ['case 17: bridge ignores the IP', {networkName: 'bridge', networkIPAddr: '10.88.7.20'}, {}, ['endpoints']],
  ['case 17: host ignores the IP', {networkName: 'host', networkIPAddr: '10.88.7.20'}, {}, ['endpoints']],
  ['case 17: none ignores the IP', {networkName: 'none', networkIPAddr: '10.88.7.20'}, {}, ['endpoints']],
  [
    'a container: mode ignores the IP',
    {networkName: 'container:x', networkIPAddr: '10.88.7.20'},
    {},
    ['endpoints'],
  ],
  // case 18: ports
  [
    'case 18: http is tcp, hostPort 0 and empty publish nothing, hostIP is honoured',
    {
      portBindings: {
        '80/http': {containerPort: '80', hostPort: '8080', protocol: 'http'},
        '443/tcp': {containerPort: '443', hostPort: '8443', protocol: 'https', hostIP: '127.0.0.1'},
        '53/udp': {containerPort: '53', hostPort: '0', protocol: 'udp'},
        '9000/sctp': {containerPort: '9000', hostPort: ''},
      },
    },
    {
      exposedPorts: ['80/tcp', '443/tcp', '53/udp', '9000/sctp'],
      host: {
        portBindings: {
          '80/tcp': [{hostPort: '8080'}],
          '443/tcp': [{hostIp: '127.0.0.1', hostPort: '8443'}],
        },
      },
    },
  ],
  [
    'case 18: publishAllPorts disables explicit bindings, keeps the ports exposed',
    {publishAllPorts: true, portBindings: {'80/tcp': {containerPort: '80', hostPort: '8080'}}},
    {exposedPorts: ['80/tcp'], host: {publishAllPorts: true}},
    ['host.portBindings'],
  ],
  [
    'only hostPort 0 bindings: no PortBindings at all',
    {portBindings: {'80/tcp': {containerPort: '80', hostPort: '0'}}},
    {exposedPorts: ['80/tcp']},
    ['host.portBindings'],
  ],
  // OOM, auto-remove, devices
  [
    'OomKillDisable is always a boolean: true when asked',
    {oomKillDisabled: true},
    {host: {oomKillDisable: true}},
  ],
  ['AutoRemove is never sent to Docker', {autoRemove: true}, {}, ['host.autoRemove']],
  [
    'extended resources with host devices map them rwm at the same path',
    {
      extendedResources: [
        {name: 'fuse', value: 1, devices: ['/dev/fuse']},
        {name: 'tun', value: 1, devices: ['/dev/net/tun']},
      ],
    },
    {
      host: {
        devices: [
          {pathOnHost: '/dev/fuse', pathInContainer: '/dev/fuse', cgroupPermissions: 'rwm'},
          {pathOnHost: '/dev/net/tun', pathInContainer: '/dev/net/tun', cgroupPermissions: 'rwm'},
        ],
      },
    },
  ],
];

function has(spec: ContainerCreateSpec, dotted: string): boolean {
  const [first, second] = dotted.split('.');
  if (second === undefined) return first! in spec;
  return second in spec.host;
}

for (const [title, patch, expected, absent = []] of rows) {
  test(`taskToCreateSpec: ${title}`, (t) => {
    const spec = taskToCreateSpec('bcs-container-t1', {...base, ...patch});
    const {host, ...top} = expected;
    for (const [key, value] of Object.entries(top)) {
      t.deepEqual(spec[key as keyof typeof top], value, key);
    }
    for (const [key, value] of Object.entries(host ?? {})) {
      t.deepEqual(spec.host[key as keyof HostSpec], value, `host.${key}`);
    }
    for (const path of absent) t.false(has(spec, path), `${path} should be absent`);
    t.deepEqual(spec.host.capAdd, ['SYS_PTRACE']);
    t.is(typeof spec.host.oomKillDisable, 'boolean');
  });
}

test('taskToCreateSpec does not mutate the task', (t) => {
  const task: BcsContainerTask = {
    ...base,
    env: [
      {key: 'A', value: '1'},
      {key: 'A', value: '2'},
    ],
    hosts: ['db:10.0.0.3'],
    args: ['x'],
  };
  const before = structuredClone(task);
  const spec = taskToCreateSpec('n', task);
  t.deepEqual(task, before);
  t.not(spec.host.extraHosts, task.hosts);
});

test('taskToCreateSpec refuses the device-plugin socket form as UNSUPPORTED', (t) => {
  const error = t.throws(() =>
    taskToCreateSpec('n', {...base, extendedResources: [{name: 'gpu', value: 1, socket: '/run/dp.sock'}]}),
  );
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'UNSUPPORTED');
  t.regex(error.message, /unsupported; list host devices/);
  t.deepEqual(error.details, {path: 'extendedResources[0].socket'});
});

test('taskToCreateSpec refuses what it cannot express: a bad ulimit or port key', (t) => {
  const ulimit = t.throws(() => taskToCreateSpec('n', {...base, ulimits: [{key: 'nofile', value: 'x'}]}));
  t.true(isEngineError(ulimit) && ulimit.code === 'VALIDATION');
  t.regex(ulimit?.message ?? '', /ulimits\[0\]\.value/);
  const port = t.throws(() =>
    taskToCreateSpec('n', {...base, portBindings: {'80': {containerPort: '80', hostPort: '80'}}}),
  );
  t.true(isEngineError(port) && port.code === 'VALIDATION');
  t.regex(port?.message ?? '', /portBindings\["80"\]/);
});
