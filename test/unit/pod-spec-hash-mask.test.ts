import test from 'ava';
import {canonicalSpec, specHash} from '../../src/pod/spec/hash.js';
import {maskSpec, SECRET_MASK} from '../../src/pod/spec/mask.js';
import {parsePodSpec} from '../../src/pod/spec/parse.js';
import type {PodSpec} from '../../src/pod/spec-types.js';

const SPARSE: PodSpec = {
  name: 'web',
  ports: [{containerPort: 80, hostPort: 8080}],
  labels: {b: '2', a: '1'},
  containers: [
    {
      name: 'app',
      image: 'bcs-executor/demo:local',
      env: [
        {key: 'TOKEN', value: 's3cret', secret: true},
        {key: 'PORT', value: '80'},
      ],
      volumes: [{hostPath: '/srv', containerPath: '/data'}],
      files: [{path: '/etc/a', content: 'x'}],
      healthCheck: {type: 'tcp', port: 80},
      args: [],
    },
  ],
};

/** The same pod with every default written out, keys in another order, and the empty list left out. */
const EXPLICIT: PodSpec = {
  containers: [
    {
      killPolicy: {graceSeconds: 10},
      healthCheck: {
        action: 'report',
        consecutiveFailures: 3,
        gracePeriodSeconds: 0,
        timeoutSeconds: 3,
        intervalSeconds: 10,
        port: 80,
        type: 'tcp',
      },
      files: [{mode: '0644', content: 'x', path: '/etc/a'}],
      volumes: [{readOnly: false, containerPath: '/data', hostPath: '/srv'}],
      env: [
        {secret: true, value: 's3cret', key: 'TOKEN'},
        {key: 'PORT', value: '80', secret: false},
      ],
      forcePullImage: false,
      oomKillDisabled: false,
      privileged: false,
      image: 'bcs-executor/demo:local',
      name: 'app',
    },
  ],
  infraImage: 'bcs-executor/pause:local',
  killPolicy: {graceSeconds: 10},
  restartPolicy: 'Never',
  labels: {a: '1', b: '2'},
  ports: [{protocol: 'tcp', hostPort: 8080, containerPort: 80}],
  hostname: 'web',
  network: {name: 'bridge', driver: 'docker'},
  name: 'web',
};

test('the canonical form fills every default and orders keys', (t) => {
  const canonical = canonicalSpec(SPARSE);
  t.deepEqual(canonical, EXPLICIT);
  t.deepEqual(Object.keys(canonical), [...Object.keys(canonical)].sort());
  t.deepEqual(Object.keys(canonical.containers[0] ?? {}), Object.keys(canonical.containers[0] ?? {}).sort());
  t.is(JSON.stringify(canonicalSpec(EXPLICIT)), JSON.stringify(canonical));
});

test('the hash is 16 hex digits, equal for equivalent specs', (t) => {
  const hash = specHash(SPARSE);
  t.regex(hash, /^[0-9a-f]{16}$/);
  t.is(specHash(EXPLICIT), hash);
  const yaml = parsePodSpec(`
name: web
labels: {a: "1", b: "2"}
ports: [{containerPort: 80, hostPort: 8080, protocol: tcp}]
containers:
  - name: app
    image: bcs-executor/demo:local
    env: [{key: TOKEN, value: s3cret, secret: true}, {key: PORT, value: 80}]
    volumes: [{hostPath: /srv, containerPath: /data, readOnly: false}]
    files: [{path: /etc/a, content: x}]
    healthCheck: {type: tcp, port: 80, intervalSeconds: 10}
`);
  t.is(specHash(yaml), hash);
});

test('the hash changes with anything that changes the pod, secrets included', (t) => {
  const hash = specHash(SPARSE);
  const [app] = SPARSE.containers;
  if (app === undefined) throw new Error('fixture');
  const variants: PodSpec[] = [
    {...SPARSE, name: 'web2'},
    {...SPARSE, restartPolicy: 'Always'},
    {...SPARSE, killPolicy: {graceSeconds: 11}},
    {...SPARSE, ports: [{containerPort: 80, hostPort: 8081}]},
    {...SPARSE, containers: [{...app, env: [{key: 'TOKEN', value: 'other', secret: true}]}]},
    {...SPARSE, containers: [{...app, image: 'bcs-executor/demo:other'}]},
    {...SPARSE, containers: [app, {name: 'side', image: 'busybox'}]},
  ];
  const hashes = new Set(variants.map(specHash));
  t.is(hashes.size, variants.length);
  t.false(hashes.has(hash));
});

test('maskSpec hides secret values only, and leaves the spec alone', (t) => {
  const masked = maskSpec(SPARSE);
  t.deepEqual(masked.containers[0]?.env, [
    {key: 'TOKEN', value: SECRET_MASK, secret: true},
    {key: 'PORT', value: '80'},
  ]);
  t.is(SPARSE.containers[0]?.env?.[0]?.value, 's3cret');
  t.notRegex(JSON.stringify(masked), /s3cret/);
  t.deepEqual({...masked, containers: []}, {...SPARSE, containers: []});
  const plain: PodSpec = {
    name: 'p',
    containers: [{name: 'c', image: 'busybox', env: [{key: 'A', value: 'b'}]}],
  };
  t.deepEqual(maskSpec(plain), plain);
});
