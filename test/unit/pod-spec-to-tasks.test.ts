import test from 'ava';
import {CONTAINER_FIELDS, POD_FIELDS} from '../../src/pod/spec/schema.js';
import {infraSettings} from '../../src/pod/spec/infra-settings.js';
import {parsePodSpec, validatePodSpec} from '../../src/pod/spec/parse.js';
import {secretEnvKeys, specToTasks} from '../../src/pod/spec/to-tasks.js';
import type {PodSpec} from '../../src/pod/spec-types.js';

/** Every field of the spec, set. */
const FULL: PodSpec = {
  name: 'web',
  network: {driver: 'docker', name: 'appnet', ip: '172.30.0.9'},
  hostname: 'web-1',
  ports: [
    {containerPort: 80, hostPort: 8080, protocol: 'http', hostIP: '127.0.0.1', name: 'http'},
    {containerPort: 53, protocol: 'udp'},
  ],
  hosts: ['db:10.0.0.3'],
  dns: {servers: ['10.0.0.2'], searches: ['example.com'], options: ['ndots:2']},
  restartPolicy: 'OnFailure',
  killPolicy: {graceSeconds: 20},
  labels: {team: 'demo', tier: 'pod'},
  ipc: 'shareable',
  infraImage: 'registry.example:5000/pause:3.9',
  containers: [
    {
      name: 'app',
      image: 'bcs-executor/demo:local',
      command: 'httpd',
      args: ['-f', '-p', '80'],
      env: [
        {key: 'PORT', value: '80'},
        {key: 'TOKEN', value: 's3cret', secret: true},
        {key: 'COPY', value: '$TOKEN'},
      ],
      workingDir: '/www',
      user: '1000:1000',
      volumes: [
        {hostPath: '/srv/data', containerPath: '/data', readOnly: true},
        {hostPath: '/tmp', containerPath: '/scratch'},
      ],
      resources: {cpus: 0.5, memMB: 64},
      limits: {cpus: 1, memMB: 128},
      ulimits: [{name: 'nofile', soft: 1024, hard: 2048}],
      shmMB: 64,
      privileged: false,
      oomKillDisabled: true,
      forcePullImage: true,
      healthCheck: {
        type: 'http',
        port: 80,
        path: '/healthz',
        scheme: 'http',
        intervalSeconds: 5,
        action: 'restart',
      },
      files: [
        {path: '/etc/app.conf', content: 'x=1\n', owner: '1000:1000'},
        {path: '/etc/blob', base64: 'AAEC', mode: '0600'},
      ],
      extendedResources: [{name: 'bkbcs/fuse', devices: ['/dev/fuse']}],
      killPolicy: {graceSeconds: 3},
      labels: {tier: 'web', version: '2'},
    },
    {name: 'side', image: 'bcs-executor/demo:local'},
  ],
};

test('the fixture sets every field of the spec but netLimit (docker pods have none)', (t) => {
  t.deepEqual(
    Object.keys(FULL).sort(),
    [...Object.keys(POD_FIELDS).filter((key) => key !== 'netLimit'), 'containers'].sort(),
  );
  t.deepEqual(Object.keys(FULL.containers[0] ?? {}).sort(), Object.keys(CONTAINER_FIELDS).sort());
  t.deepEqual(validatePodSpec(FULL), {spec: FULL});
});

test('every field of a container maps onto its task', (t) => {
  const [app] = specToTasks(FULL);
  t.deepEqual(app, {
    name: 'web-app',
    image: 'bcs-executor/demo:local',
    command: 'httpd',
    args: ['-f', '-p', '80'],
    env: [
      {key: 'PORT', value: '80'},
      {key: 'TOKEN', value: 's3cret'},
      {key: 'COPY', value: '$TOKEN'},
    ],
    volumes: [
      {hostPath: '/srv/data', containerPath: '/data', readOnly: true},
      {hostPath: '/tmp', containerPath: '/scratch', readOnly: false},
    ],
    networkName: 'appnet',
    forcePullImage: true,
    oomKillDisabled: true,
    ulimits: [{name: 'nofile', soft: 1024, hard: 2048}],
    shmSize: 64 * 1024 * 1024,
    privileged: false,
    // The pod's labels, then the container's, which win on the same key.
    labels: [
      {key: 'team', value: 'demo'},
      {key: 'tier', value: 'web'},
      {key: 'version', value: '2'},
    ],
    resource: {cpus: 0.5, mem: 64},
    limitResource: {cpus: 1, mem: 128},
    extendedResources: [{name: 'bkbcs/fuse', value: 1, devices: ['/dev/fuse']}],
    bcsMessages: [
      {to: '/etc/app.conf', base64: Buffer.from('x=1\n').toString('base64'), mode: '0644', user: '1000:1000'},
      {to: '/etc/blob', base64: 'AAEC', mode: '0600'},
    ],
    healthCheck: {
      type: 'http',
      port: 80,
      path: '/healthz',
      scheme: 'http',
      intervalSeconds: 5,
      timeoutSeconds: 3,
      gracePeriodSeconds: 0,
      consecutiveFailures: 3,
      action: 'restart',
    },
    killPolicy: 3,
    ipc: 'shareable',
    workingDir: '/www',
    user: '1000:1000',
  });
});

test('a bare container gets a request, the pod kill policy, labels and network; nothing else', (t) => {
  const [, side] = specToTasks(FULL);
  t.deepEqual(side, {
    name: 'web-side',
    image: 'bcs-executor/demo:local',
    networkName: 'appnet',
    labels: [
      {key: 'team', value: 'demo'},
      {key: 'tier', value: 'pod'},
    ],
    resource: {cpus: 0, mem: 0},
    killPolicy: 20,
    ipc: 'shareable',
  });
  const [minimal] = specToTasks({name: 'p', containers: [{name: 'c', image: 'busybox'}]});
  t.deepEqual(minimal, {
    name: 'p-c',
    image: 'busybox',
    networkName: 'bridge',
    resource: {cpus: 0, mem: 0},
    killPolicy: 10,
  });
});

test('tasks come in spec order; cni pods carry the CNI network and the egress limit on every task', (t) => {
  const spec: PodSpec = {
    name: 'p',
    network: {driver: 'cni', name: 'bcsnet', ip: '10.88.7.20'},
    netLimit: {egressMbps: 10},
    containers: ['c', 'b', 'a'].map((name) => ({name, image: 'busybox'})),
  };
  const tasks = specToTasks(spec);
  t.deepEqual(
    tasks.map((task) => task.name),
    ['p-c', 'p-b', 'p-a'],
  );
  for (const task of tasks) {
    t.is(task.networkName, 'bcsnet');
    t.deepEqual(task.netLimit, {egressLimit: 10});
    t.is(task.networkIPAddr, undefined);
  }
});

test('infra settings carry the pod-level items', (t) => {
  t.deepEqual(infraSettings(FULL), {
    image: 'registry.example:5000/pause:3.9',
    hostname: 'web-1',
    hosts: ['db:10.0.0.3'],
    portBindings: {
      '80/tcp': {containerPort: '80', hostPort: '8080', protocol: 'http', hostIP: '127.0.0.1', name: 'http'},
      '53/udp': {containerPort: '53', hostPort: '0', protocol: 'udp'},
    },
    dns: {servers: ['10.0.0.2'], searches: ['example.com'], options: ['ndots:2']},
    networkName: 'appnet',
    networkIPAddr: '172.30.0.9',
  });
});

test('infra settings defaults: the pod name as hostname (none on the host network), bridge, the local pause image', (t) => {
  const bare = infraSettings({name: 'p', containers: [{name: 'c', image: 'busybox'}]});
  t.deepEqual(bare, {
    image: 'bcs-executor/pause:local',
    hostname: 'p',
    hosts: [],
    portBindings: {},
    dns: {servers: [], searches: [], options: []},
    networkName: 'bridge',
  });
  t.is(infraSettings({name: 'p', network: {driver: 'docker', name: 'host'}, containers: []}).hostname, '');
  const cni = infraSettings({
    name: 'p',
    network: {driver: 'cni', name: 'bcsnet', ip: '10.88.7.20'},
    netLimit: {egressMbps: 5},
    containers: [],
  });
  t.is(cni.networkName, 'none');
  t.is(cni.networkIPAddr, '10.88.7.20');
  t.deepEqual(cni.netLimit, {egressLimit: 5});
});

test('secret env keys: the secret ones and those copying a secret with $KEY, one level as envOperCopy', (t) => {
  const spec = parsePodSpec(
    JSON.stringify({
      name: 'p',
      containers: [
        {
          name: 'a',
          image: 'busybox',
          env: [
            {key: 'TOKEN', value: 'x', secret: true},
            {key: 'COPY', value: '$TOKEN'},
            {key: 'COPY2', value: '$COPY'},
            {key: 'PLAIN', value: 'TOKEN'},
          ],
        },
        {
          name: 'b',
          image: 'busybox',
          env: [
            {key: 'ALSO', value: '$TOKEN'},
            {key: 'PW', value: 'y', secret: true},
          ],
        },
      ],
    }),
  );
  t.deepEqual([...secretEnvKeys(spec)].sort(), ['ALSO', 'COPY', 'PW', 'TOKEN']);
  t.deepEqual([...secretEnvKeys(FULL)].sort(), ['COPY', 'TOKEN']);
});
