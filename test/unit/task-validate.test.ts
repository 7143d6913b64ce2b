import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import type {BcsContainerTask} from '../../src/task/types.js';
import {
  assertValidTask,
  BCS_CONTAINER_TASK_FIELDS,
  unknownFieldIssues,
  validateTask,
} from '../../src/task/validate.js';

/** A task using every field, all valid. */
function validTask(): BcsContainerTask {
  return {
    name: 'bcs-container-task-1',
    image: 'bcs-executor/demo:local',
    hostName: 'web-1',
    hosts: ['db:10.0.0.3', 'v6:::1', 'gw:host-gateway'],
    command: 'httpd',
    args: ['-f', '-p', '80'],
    env: [{key: 'PORT', value: '80'}],
    volumes: [{readOnly: true, hostPath: '/srv/data', containerPath: '/data'}],
    networkName: 'bcsnet',
    networkIPAddr: '10.88.7.20',
    forcePullImage: false,
    oomKillDisabled: false,
    autoRemove: true,
    ulimits: [
      {key: 'nofile', value: '1024:2048'},
      {key: 'core', value: '-1'},
      {key: 'nproc', value: '1024:-1'},
      {name: 'stack', soft: 8192, hard: 16384},
    ],
    shmSize: 67_108_864,
    privileged: false,
    publishAllPorts: false,
    portBindings: {
      '80/tcp': {containerPort: '80', hostPort: '8080', protocol: 'http', hostIP: '127.0.0.1'},
      '53/udp': {containerPort: '53', hostPort: '0', protocol: 'UDP'},
      '9000/sctp': {containerPort: '', hostPort: ''},
    },
    labels: [{key: 'team', value: 'demo'}],
    resource: {cpus: 0.5, mem: 64},
    limitResource: {cpus: 0.01, mem: 6},
    extendedResources: [{name: 'fuse', value: 1, devices: ['/dev/fuse']}],
    bcsMessages: [
      {to: '/etc/app.conf', base64: 'eD0xCg==', mode: '0644'},
      {to: '/etc/empty', base64: ''},
    ],
    healthCheck: {
      type: 'http',
      port: 80,
      path: '/',
      intervalSeconds: 5,
      timeoutSeconds: 2,
      gracePeriodSeconds: 1,
      consecutiveFailures: 3,
    },
    killPolicy: 10,
    netLimit: {egressLimit: 10},
    taskId: 'task-1',
    ipc: 'shareable',
    workingDir: '/app',
    user: 'nobody',
  };
}

test('a task using every field correctly has no issues', (t) => {
  t.deepEqual(validateTask(validTask()), []);
  t.notThrows(() => assertValidTask(validTask()));
  t.deepEqual(validateTask({name: 'ab', image: 'nginx'}), []);
});

type Row = readonly [
  title: string,
  patch: Partial<BcsContainerTask>,
  expected: readonly (readonly [string, RegExp])[],
];

const rows: readonly Row[] = [
  // name and image
  ['name is required', {name: ''}, [['name', /name is required/]]],
  ['a one-letter name', {name: 'a'}, [['name', /not a valid container name/]]],
  ['a name with a space', {name: 'my app'}, [['name', /"my app" is not a valid container name/]]],
  ['image is required', {image: ''}, [['image', /image reference "" is empty/]]],
  ['an upper-case image', {image: 'Nginx'}, [['image', /must be lower case/]]],
  ['a bad image digest', {image: 'nginx@sha256:abc'}, [['image', /64 lower-case hex/]]],
  // resources
  [
    'negative request cpus',
    {resource: {cpus: -1, mem: 0}},
    [['resource.cpus', /-1 is not a finite number >= 0/]],
  ],
  ['infinite cpus', {resource: {cpus: Infinity, mem: 0}}, [['resource.cpus', /not a finite number/]]],
  ['NaN mem', {resource: {cpus: 1, mem: NaN}}, [['resource.mem', /NaN is not a finite number/]]],
  [
    'mem 4 (seed let it through)',
    {resource: {cpus: 1, mem: 4}},
    [['resource.mem', /4 MB is under Docker's minimum of 6 MB/]],
  ],
  ['mem 5', {resource: {cpus: 1, mem: 5}}, [['resource.mem', /5 MB is under Docker's minimum of 6 MB/]]],
  ['mem 3.9 (case 8)', {resource: {cpus: 1, mem: 3.9}}, [['resource.mem', /3.9 MB is under/]]],
  ['negative mem', {resource: {cpus: 1, mem: -64}}, [['resource.mem', /-64 is not a finite number >= 0/]]],
  [
    'negative disk',
    {resource: {cpus: 1, mem: 0, disk: -1}},
    [['resource.disk', /-1 is not a finite number/]],
  ],
  ['mem 0 means unset', {resource: {cpus: 0, mem: 0}, limitResource: {cpus: 0, mem: 0}}, []],
  ['mem 6 is Docker minimum', {resource: {cpus: 1, mem: 6}}, []],
  ['a tiny request cpus is no quota', {resource: {cpus: 0.005, mem: 0}}, []],
  [
    'limit cpus 0.005 (case 10)',
    {limitResource: {cpus: 0.005, mem: 0}},
    [['limitResource.cpus', /CPU quota of 500 µs, under Docker's minimum of 1000/]],
  ],
  ['limit mem 4', {limitResource: {cpus: 1, mem: 4}}, [['limitResource.mem', /4 MB is under/]]],
  // ulimits
  [
    'an unknown ulimit',
    {ulimits: [{key: 'nofiles', value: '1'}]},
    [['ulimits[0].key', /unknown ulimit "nofiles"/]],
  ],
  [
    'an empty ulimit name',
    {ulimits: [{name: '', soft: 1, hard: 1}]},
    [['ulimits[0].name', /ulimit name is empty/]],
  ],
  [
    'a non-numeric ulimit',
    {ulimits: [{key: 'nofile', value: 'abc'}]},
    [['ulimits[0].value', /"abc" is not N or soft:hard/]],
  ],
  ['three parts', {ulimits: [{key: 'nofile', value: '1:2:3'}]}, [['ulimits[0].value', /not N or soft:hard/]]],
  ['below -1', {ulimits: [{key: 'nofile', value: '-2'}]}, [['ulimits[0].value', /not N or soft:hard/]]],
  [
    'soft above hard',
    {ulimits: [{key: 'nofile', value: '2048:1024'}]},
    [['ulimits[0].value', /soft limit 2048 is above hard limit 1024/]],
  ],
  [
    'unlimited soft under a finite hard',
    {ulimits: [{key: 'nofile', value: '-1:1024'}]},
    [['ulimits[0].value', /soft limit -1 is above hard limit 1024/]],
  ],
  [
    'structured fractional soft',
    {ulimits: [{name: 'nofile', soft: 1.5, hard: 2}]},
    [['ulimits[0].soft', /1.5 is not an integer >= -1/]],
  ],
  [
    'structured soft above hard',
    {ulimits: [{name: 'nofile', soft: 3, hard: 2}]},
    [['ulimits[0].soft', /soft limit 3 is above hard limit 2/]],
  ],
  [
    'a ulimit given twice',
    {
      ulimits: [
        {key: 'nofile', value: '1'},
        {name: 'nofile', soft: 2, hard: 2},
      ],
    },
    [['ulimits[1]', /"nofile" is given twice/]],
  ],
  // sizes and counts
  ['negative shmSize', {shmSize: -1}, [['shmSize', /-1 is not a whole number of bytes/]]],
  ['fractional shmSize', {shmSize: 1.5}, [['shmSize', /1.5 is not a whole number of bytes/]]],
  ['negative killPolicy', {killPolicy: -1}, [['killPolicy', /not a whole number of seconds/]]],
  [
    'negative egress limit',
    {netLimit: {egressLimit: -5}},
    [['netLimit.egressLimit', /not a whole number of Mbps/]],
  ],
  // ports
  [
    'a key without protocol',
    {portBindings: {'80': {containerPort: '80', hostPort: '8080'}}},
    [['portBindings["80"]', /key "80" is not <port>\/<protocol>/]],
  ],
  [
    'port 0 in a key',
    {portBindings: {'0/tcp': {containerPort: '', hostPort: ''}}},
    [['portBindings["0/tcp"]', /not <port>\/<protocol>/]],
  ],
  [
    'port 65536 in a key',
    {portBindings: {'65536/tcp': {containerPort: '', hostPort: ''}}},
    [['portBindings["65536/tcp"]', /not <port>/]],
  ],
  [
    'an unknown key protocol',
    {portBindings: {'80/icmp': {containerPort: '', hostPort: ''}}},
    [['portBindings["80/icmp"]', /not <port>/]],
  ],
  [
    'a bad host port',
    {portBindings: {'80/tcp': {containerPort: '80', hostPort: 'abc'}}},
    [['portBindings["80/tcp"].hostPort', /hostPort "abc" is not a port number/]],
  ],
  [
    'a host port above 65535',
    {portBindings: {'80/tcp': {containerPort: '80', hostPort: '70000'}}},
    [['portBindings["80/tcp"].hostPort', /"70000" is not a port/]],
  ],
  [
    'a bad host IP',
    {portBindings: {'80/tcp': {containerPort: '80', hostPort: '80', hostIP: 'localhost'}}},
    [['portBindings["80/tcp"].hostIP', /"localhost" is not an IP address/]],
  ],
  [
    'a container port unlike its key',
    {portBindings: {'80/tcp': {containerPort: '81', hostPort: '80'}}},
    [['portBindings["80/tcp"].containerPort', /"81" does not match the key "80\/tcp"/]],
  ],
  [
    'a protocol unlike its key',
    {portBindings: {'80/tcp': {containerPort: '80', hostPort: '80', protocol: 'udp'}}},
    [['portBindings["80/tcp"].protocol', /"udp" does not match/]],
  ],
  [
    'an unknown binding protocol',
    {portBindings: {'80/tcp': {containerPort: '80', hostPort: '80', protocol: 'icmp'}}},
    [['portBindings["80/tcp"].protocol', /unknown protocol "icmp"/]],
  ],
  [
    'two keys for one port',
    {
      portBindings: {
        '80/tcp': {containerPort: '', hostPort: ''},
        '80/http': {containerPort: '', hostPort: ''},
      },
    },
    [['portBindings["80/http"]', /"80\/http" is the same port as "80\/tcp"/]],
  ],
  // network
  [
    'container: mode with everything Docker refuses (case 20)',
    {networkName: 'container:abc', publishAllPorts: true},
    [
      ['hostName', /a hostname cannot be set with network mode "container:abc"/],
      ['hosts', /extra hosts cannot be set/],
      ['portBindings', /port bindings cannot be set/],
      ['publishAllPorts', /publishAllPorts cannot be set/],
      ['networkIPAddr', /a requested IP needs a user-defined network, not network mode "container:abc"/],
    ],
  ],
  [
    'container: without a target',
    {networkName: 'container:', hostName: '', hosts: [], portBindings: {}, networkIPAddr: ''},
    [['networkName', /names no container/]],
  ],
  [
    'an IPv6 requested IP',
    {networkIPAddr: 'fd00::7'},
    [['networkIPAddr', /"fd00::7" is not an IPv4 address/]],
  ],
  ['a bad requested IP', {networkIPAddr: '10.0.0.300'}, [['networkIPAddr', /not an IPv4 address/]]],
  [
    'an IP on bridge (case 17)',
    {networkName: 'bridge'},
    [['networkIPAddr', /user-defined network, not network mode "bridge"/]],
  ],
  ['an IP on host', {networkName: 'host'}, [['networkIPAddr', /not network mode "host"/]]],
  ['an IP on none', {networkName: 'none'}, [['networkIPAddr', /not network mode "none"/]]],
  ['an IP without a network', {networkName: ''}, [['networkIPAddr', /not network mode ""/]]],
  ['an extra host without ip', {hosts: ['db']}, [['hosts[0]', /extra host "db" is not host:ip/]]],
  [
    'an extra host with a bad ip',
    {hosts: ['db:10.0.0.3', 'db:nope']},
    [['hosts[1]', /"db:nope" is not host:ip/]],
  ],
  ['an extra host without name', {hosts: [':10.0.0.3']}, [['hosts[0]', /is not host:ip/]]],
  ['a hostname with an underscore', {hostName: 'web_1'}, [['hostName', /"web_1" is not a valid host name/]]],
  ['a hostname over 64 characters', {hostName: 'a'.repeat(65)}, [['hostName', /not a valid host name/]]],
  // volumes
  [
    'volumes with every path problem',
    {
      volumes: [
        {readOnly: true, hostPath: 'srv', containerPath: 'data'},
        {readOnly: false, hostPath: '', containerPath: '/'},
        {readOnly: false, hostPath: '/a:b', containerPath: '/x:y'},
        {readOnly: false, hostPath: '/a', containerPath: '/data/'},
        {readOnly: false, hostPath: '/b', containerPath: '/data'},
      ],
    },
    [
      ['volumes[0].hostPath', /host path "srv" is not absolute/],
      ['volumes[0].containerPath', /container path "data" is not absolute/],
      ['volumes[1].hostPath', /host path is empty/],
      ['volumes[1].containerPath', /cannot be mounted on "\/"/],
      ['volumes[2].hostPath', /contains ":"/],
      ['volumes[2].containerPath', /contains ":"/],
      ['volumes[4].containerPath', /"\/data" is already mounted by volumes\[3\]/],
    ],
  ],
  // env and labels
  ['an empty env key', {env: [{key: '', value: 'x'}]}, [['env[0].key', /env key is empty/]]],
  [
    'an env key with =',
    {
      env: [
        {key: 'A', value: '1'},
        {key: 'B=C', value: 'x'},
      ],
    },
    [['env[1].key', /"B=C" contains "="/]],
  ],
  ['an empty label key', {labels: [{key: '', value: 'x'}]}, [['labels[0].key', /label key is empty/]]],
  // extended resources
  [
    'the device-plugin socket form is unsupported',
    {extendedResources: [{name: 'bkbcs/cpuset', value: 2, socket: '/var/lib/kubelet/device-plugins/x.sock'}]},
    [
      [
        'extendedResources[0].socket',
        /device-plugin sockets are unsupported.*host device paths in `devices`/,
      ],
    ],
  ],
  [
    'extended resources with bad fields',
    {
      extendedResources: [
        {name: '', value: -1, devices: ['dev/fuse']},
        {name: 'gpu', value: 1},
      ],
    },
    [
      ['extendedResources[0].name', /name is empty/],
      ['extendedResources[0].value', /-1 is not a finite number/],
      ['extendedResources[0].devices[0]', /device path "dev\/fuse" is not absolute/],
      ['extendedResources[1].devices', /no host devices given/],
    ],
  ],
  // files
  [
    'files with every problem',
    {
      bcsMessages: [
        {to: 'etc/app.conf', base64: 'abc', mode: '0999'},
        {to: '/etc/', base64: 'eD0x', mode: 'rw'},
      ],
    },
    [
      ['bcsMessages[0].to', /"etc\/app.conf" is not an absolute file path/],
      ['bcsMessages[0].base64', /not valid base64/],
      ['bcsMessages[0].mode', /mode "0999" is not octal/],
      ['bcsMessages[1].to', /"\/etc\/" is not an absolute file path/],
      ['bcsMessages[1].mode', /mode "rw" is not octal/],
    ],
  ],
  // the rest
  ['an unknown IPC mode', {ipc: 'bogus'}, [['ipc', /unknown IPC mode "bogus"/]]],
  ['IPC of another container', {ipc: 'container:infra'}, []],
  ['a relative working dir', {workingDir: 'app'}, [['workingDir', /"app" is not absolute/]]],
  [
    'a bad health check is reported under healthCheck',
    {
      healthCheck: {
        type: 'tcp',
        port: 80,
        intervalSeconds: 2,
        timeoutSeconds: 5,
        gracePeriodSeconds: 0,
        consecutiveFailures: 3,
      },
    },
    [['healthCheck.timeoutSeconds', /less than intervalSeconds/]],
  ],
];

for (const [title, patch, expected] of rows) {
  test(`validateTask: ${title}`, (t) => {
    const issues = validateTask({...validTask(), ...patch});
    t.deepEqual(
      issues.map((issue) => issue.path),
      expected.map(([path]) => path),
    );
    expected.forEach(([, message], index) => t.regex(issues[index]?.message ?? '', message));
  });
}

test('validateTask lists every problem at once, under the given path', (t) => {
  const task: BcsContainerTask = {
    ...validTask(),
    name: '',
    image: 'Nginx',
    resource: {cpus: -1, mem: 4},
    env: [{key: '', value: ''}],
    killPolicy: -1,
  };
  const issues = validateTask(task, 'containers[1]');
  t.deepEqual(
    issues.map((issue) => issue.path),
    [
      'containers[1].name',
      'containers[1].image',
      'containers[1].resource.cpus',
      'containers[1].resource.mem',
      'containers[1].killPolicy',
      'containers[1].env[0].key',
    ],
  );
  t.true(issues.every((issue) => issue.message !== ''));
  const error = t.throws(() => assertValidTask(task, 'containers[1]'));
  t.true(isEngineError(error));
  if (!isEngineError(error)) return;
  t.is(error.code, 'VALIDATION');
  t.regex(error.message, /invalid container task: 6 problems/);
  t.deepEqual(error.details.issues, issues);
});

test('issues say what is allowed where there is a rule to state', (t) => {
  const [memIssue] = validateTask({...validTask(), resource: {cpus: 1, mem: 4}});
  t.is(memIssue?.allowed, '0 (no limit), or >= 6');
  const [quotaIssue] = validateTask({...validTask(), limitResource: {cpus: 0.005, mem: 0}});
  t.is(quotaIssue?.allowed, '0 (no limit), or >= 0.01');
  const [ulimitIssue] = validateTask({...validTask(), ulimits: [{key: 'bogus', value: '1'}]});
  t.regex(ulimitIssue?.allowed ?? '', /^core, cpu, data, .*stack$/);
});

test('unknownFieldIssues names each unknown key with its path and what is allowed', (t) => {
  const parsed: unknown = JSON.parse('{"name":"a","imgae":"nginx","resource":{},"extra":1}');
  t.deepEqual(unknownFieldIssues(parsed, BCS_CONTAINER_TASK_FIELDS, 'containers[0]'), [
    {
      path: 'containers[0].imgae',
      message: 'unknown field "imgae"',
      allowed: BCS_CONTAINER_TASK_FIELDS.join(', '),
    },
    {
      path: 'containers[0].extra',
      message: 'unknown field "extra"',
      allowed: BCS_CONTAINER_TASK_FIELDS.join(', '),
    },
  ]);
  t.deepEqual(unknownFieldIssues({cpus: 1}, ['cpus', 'mem'], 'resource'), []);
  t.deepEqual(unknownFieldIssues([], ['a'], 'x'), [{path: 'x', message: 'is not an object'}]);
  t.deepEqual(unknownFieldIssues(null, ['a'], 'x'), [{path: 'x', message: 'is not an object'}]);
});

test('BCS_CONTAINER_TASK_FIELDS lists every field of a task', (t) => {
  t.deepEqual([...BCS_CONTAINER_TASK_FIELDS].sort(), Object.keys(validTask()).concat('runtimeConf').sort());
});
