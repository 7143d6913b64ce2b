import {deepStrictEqual, strictEqual} from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import {canonicalSpec, specHash} from '../../src/pod/spec/hash.js';
import {infraSettings} from '../../src/pod/spec/infra-settings.js';
import {maskSpec} from '../../src/pod/spec/mask.js';
import {validatePodSpec} from '../../src/pod/spec/parse.js';
import {specToTasks} from '../../src/pod/spec/to-tasks.js';
import type {ContainerSpec, PodSpec} from '../../src/pod/spec-types.js';

const label = fc.stringMatching(/^[a-z0-9](?:[-a-z0-9]{0,12}[a-z0-9])?$/);
const ipv4 = fc
  .tuple(fc.integer({min: 1, max: 223}), fc.nat(255), fc.nat(255), fc.integer({min: 1, max: 254}))
  .map((parts) => parts.join('.'));
const envKey = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/);
const text = fc.string({maxLength: 12});
const seconds = fc.integer({min: 0, max: 600});
const image = fc.constantFrom(
  'bcs-executor/demo:local',
  'busybox',
  'registry.example:5000/team/app:1.2',
  'nginx@sha256:' + 'a'.repeat(64),
);
const labels = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/), text, {maxKeys: 3});
const memMB = fc.oneof(fc.constant(0), fc.double({min: 6, max: 4096, noNaN: true}));

const healthCheck = fc.oneof(
  fc.record({type: fc.constant('tcp' as const), port: fc.integer({min: 1, max: 65_535})}),
  fc.record(
    {
      type: fc.constant('http' as const),
      port: fc.integer({min: 1, max: 65_535}),
      path: fc.constantFrom('/', '/healthz'),
      scheme: fc.constantFrom('http' as const, 'https' as const),
      intervalSeconds: fc.constant(5),
      timeoutSeconds: fc.constantFrom(1, 2, 4.5),
      action: fc.constantFrom('report' as const, 'restart' as const),
    },
    {requiredKeys: ['type', 'port']},
  ),
  fc.record({
    type: fc.constant('command' as const),
    command: fc.constantFrom('cat /ready', ['test', '-f', '/ready']),
  }),
);

const fileOptions = {mode: fc.constantFrom('0644', '0600', '755'), owner: fc.constantFrom('0', '1000:1000')};
const file = fc.oneof(
  fc.record(
    {path: fc.constant('/etc/app.conf'), content: text, ...fileOptions},
    {requiredKeys: ['path', 'content']},
  ),
  fc.record(
    {
      path: fc.constant('/etc/app.conf'),
      base64: fc.uint8Array({maxLength: 16}).map((bytes) => Buffer.from(bytes).toString('base64')),
      ...fileOptions,
    },
    {requiredKeys: ['path', 'base64']},
  ),
);

function container(name: string): fc.Arbitrary<ContainerSpec> {
  return fc.record(
    {
      name: fc.constant(name),
      image,
      command: fc.constantFrom('httpd', 'sh'),
      args: fc.array(text, {maxLength: 3}),
      env: fc.array(
        fc.record({key: envKey, value: text, secret: fc.boolean()}, {requiredKeys: ['key', 'value']}),
        {maxLength: 3},
      ),
      workingDir: fc.constantFrom('/', '/www'),
      user: fc.constantFrom('1000', 'nobody'),
      volumes: fc
        .array(fc.record({hostPath: fc.constantFrom('/srv', '/tmp'), readOnly: fc.boolean()}), {maxLength: 3})
        .map((list) => list.map((volume, index) => ({...volume, containerPath: `/data${index}`}))),
      resources: fc.record({cpus: fc.double({min: 0, max: 8, noNaN: true}), memMB}, {requiredKeys: []}),
      limits: fc.record({cpus: fc.double({min: 0.01, max: 8, noNaN: true}), memMB}, {requiredKeys: []}),
      ulimits: fc.uniqueArray(fc.constantFrom('nofile', 'nproc', 'core'), {maxLength: 3}).chain((names) =>
        fc
          .tuple(
            ...names.map((ulimitName) =>
              fc.tuple(
                fc.constant(ulimitName),
                fc.integer({min: 0, max: 4096}),
                fc.integer({min: 0, max: 4096}),
              ),
            ),
          )
          .map((entries) =>
            entries.map(([ulimitName, a, b]) => ({
              name: ulimitName,
              soft: Math.min(a, b),
              hard: Math.max(a, b),
            })),
          ),
      ),
      shmMB: fc.integer({min: 0, max: 1024}),
      privileged: fc.boolean(),
      oomKillDisabled: fc.boolean(),
      forcePullImage: fc.boolean(),
      healthCheck,
      files: fc
        .array(file, {maxLength: 2})
        .map((list) => list.map((entry, index) => ({...entry, path: `/etc/file${index}`}))),
      extendedResources: fc.constant([{name: 'bkbcs/fuse', devices: ['/dev/fuse']}]),
      killPolicy: fc.record({graceSeconds: seconds}),
      labels,
    },
    {requiredKeys: ['name', 'image']},
  );
}

const containers = fc
  .uniqueArray(label, {minLength: 1, maxLength: 4})
  .filter((names) => !names.includes('infra'))
  .chain((names) => fc.tuple(...names.map(container)));

const dockerNetwork = fc.record({
  network: fc.oneof(
    fc.constant({driver: 'docker' as const, name: 'bridge'}),
    fc.record(
      {driver: fc.constant('docker' as const), name: fc.constant('appnet'), ip: ipv4},
      {requiredKeys: ['driver', 'name']},
    ),
  ),
  ports: fc.uniqueArray(fc.integer({min: 1, max: 65_535}), {maxLength: 3}).map((list) =>
    list.map((port, index) => ({
      containerPort: port,
      hostPort: index === 0 ? 0 : 20_000 + index,
      protocol: 'tcp',
      hostIP: '127.0.0.1',
    })),
  ),
});
const cniNetwork = fc.record(
  {
    network: fc.record(
      {driver: fc.constant('cni' as const), name: fc.constant('bcsnet'), ip: ipv4},
      {requiredKeys: ['driver', 'name']},
    ),
    netLimit: fc.record({egressMbps: fc.integer({min: 1, max: 10_000})}),
  },
  {requiredKeys: ['network']},
);

const podSpec: fc.Arbitrary<PodSpec> = fc
  .tuple(
    fc.oneof(dockerNetwork, cniNetwork),
    fc.record(
      {
        name: label,
        hostname: label,
        hosts: fc.array(
          fc.tuple(label, ipv4).map(([host, ip]) => `${host}:${ip}`),
          {maxLength: 2},
        ),
        dns: fc.record(
          {
            servers: fc.array(ipv4, {maxLength: 2}),
            searches: fc.constant(['example.com']),
            options: fc.constant(['ndots:2']),
          },
          {requiredKeys: []},
        ),
        restartPolicy: fc.constantFrom('Never' as const, 'OnFailure' as const, 'Always' as const),
        killPolicy: fc.record({graceSeconds: seconds}),
        labels,
        ipc: fc.constantFrom('shareable', 'private'),
        infraImage: image,
        containers,
      },
      {requiredKeys: ['name', 'containers']},
    ),
  )
  .map(([network, rest]) => ({...rest, ...network}));

test('any generated valid spec validates to itself and converts without throwing', (t) => {
  // node:assert throws, so fast-check sees a failure and shrinks it to a small spec.
  fc.assert(
    fc.property(podSpec, (spec) => {
      // A plain copy: fast-check's records have no prototype, which deepStrictEqual would count as a difference.
      const input = JSON.parse(JSON.stringify(spec)) as unknown;
      const result = validatePodSpec(input);
      if (!('spec' in result)) throw new Error(JSON.stringify(result.issues, null, 1));
      deepStrictEqual(result.spec, input);
      strictEqual(specToTasks(result.spec).length, spec.containers.length);
      infraSettings(result.spec);
      strictEqual(specHash(canonicalSpec(result.spec)), specHash(result.spec));
      maskSpec(result.spec);
    }),
    {numRuns: 150},
  );
  t.pass();
});

type Raw = Record<string, unknown>;

interface Mutation {
  readonly path: (index: number) => string;
  readonly apply: (spec: Raw, container: Raw) => void;
}

const MUTATIONS: readonly Mutation[] = [
  {path: () => 'name', apply: (spec) => (spec['name'] = 'Bad_Name')},
  {path: () => 'restartPolicy', apply: (spec) => (spec['restartPolicy'] = 'Sometimes')},
  {path: () => 'killPolicy.graceSeconds', apply: (spec) => (spec['killPolicy'] = {graceSeconds: -5})},
  {path: () => 'hostname', apply: (spec) => (spec['hostname'] = 'bad_host')},
  {path: () => 'hosts[0]', apply: (spec) => (spec['hosts'] = ['nocolon'])},
  {path: () => 'dns.servers[0]', apply: (spec) => (spec['dns'] = {servers: ['not-an-ip']})},
  {path: () => 'infraImage', apply: (spec) => (spec['infraImage'] = 'UPPER/Case')},
  {path: () => 'ipc', apply: (spec) => (spec['ipc'] = 'shared')},
  {
    path: () => 'labels["dev.bcs-executor.pod"]',
    apply: (spec) => (spec['labels'] = {'dev.bcs-executor.pod': 'x'}),
  },
  {path: () => 'ports[0].containerPort', apply: (spec) => (spec['ports'] = [{containerPort: 70_000}])},
  {
    path: () => 'network.ip',
    apply: (spec) => (spec['network'] = {driver: 'docker', name: 'appnet', ip: '999.1.1.1'}),
  },
  {path: () => 'surplus', apply: (spec) => (spec['surplus'] = true)},
  {path: (i) => `containers[${i}].name`, apply: (_, c) => (c['name'] = 'infra')},
  {path: (i) => `containers[${i}].image`, apply: (_, c) => (c['image'] = 'UPPER/Case')},
  {path: (i) => `containers[${i}].resources.memMB`, apply: (_, c) => (c['resources'] = {memMB: 3})},
  {path: (i) => `containers[${i}].limits.cpus`, apply: (_, c) => (c['limits'] = {cpus: 0.001})},
  {path: (i) => `containers[${i}].shmMB`, apply: (_, c) => (c['shmMB'] = -1)},
  {path: (i) => `containers[${i}].workingDir`, apply: (_, c) => (c['workingDir'] = 'relative')},
  {path: (i) => `containers[${i}].env[0].key`, apply: (_, c) => (c['env'] = [{key: '', value: 'x'}])},
  {
    path: (i) => `containers[${i}].env[0].value`,
    apply: (_, c) => (c['env'] = [{key: 'S', value: 1, secret: true}]),
  },
  {
    path: (i) => `containers[${i}].files[0].mode`,
    apply: (_, c) => (c['files'] = [{path: '/x', content: 'y', mode: '8888'}]),
  },
  {
    path: (i) => `containers[${i}].files[0].base64`,
    apply: (_, c) => (c['files'] = [{path: '/x', base64: '***'}]),
  },
  {
    path: (i) => `containers[${i}].files[0].path`,
    apply: (_, c) => (c['files'] = [{path: 'x', content: 'y'}]),
  },
  {
    path: (i) => `containers[${i}].healthCheck.port`,
    apply: (_, c) => (c['healthCheck'] = {type: 'tcp', port: 0}),
  },
  {
    path: (i) => `containers[${i}].ulimits[0].name`,
    apply: (_, c) => (c['ulimits'] = [{name: 'bogus', soft: 1, hard: 1}]),
  },
  {
    path: (i) => `containers[${i}].volumes[0].hostPath`,
    apply: (_, c) => (c['volumes'] = [{hostPath: 'rel', containerPath: '/d'}]),
  },
  {
    path: (i) => `containers[${i}].extendedResources[0].socket`,
    apply: (_, c) => (c['extendedResources'] = [{name: 'gpu', socket: '/run/x.sock'}]),
  },
  {
    path: (i) => `containers[${i}].killPolicy.graceSeconds`,
    apply: (_, c) => (c['killPolicy'] = {graceSeconds: 0.5}),
  },
  {path: (i) => `containers[${i}].labels.version`, apply: (_, c) => (c['labels'] = {version: 2})},
  {path: (i) => `containers[${i}].surplus`, apply: (_, c) => (c['surplus'] = 1)},
];

test('any single mutation to an invalid value gives an issue at that path', (t) => {
  fc.assert(
    fc.property(podSpec, fc.constantFrom(...MUTATIONS), fc.nat(), (spec, mutation, pick) => {
      const raw = JSON.parse(JSON.stringify(spec)) as Raw & {containers: Raw[]};
      const index = pick % raw.containers.length;
      const target = raw.containers[index];
      if (target === undefined) throw new Error('no container');
      mutation.apply(raw, target);
      const result = validatePodSpec(raw);
      const path = mutation.path(index);
      if (!('issues' in result)) throw new Error(`accepted after mutating ${path}`);
      if (!result.issues.some((issue) => issue.path === path)) {
        throw new Error(`no issue at ${path}: ${JSON.stringify(result.issues)}`);
      }
    }),
    {numRuns: 300},
  );
  t.pass();
});
