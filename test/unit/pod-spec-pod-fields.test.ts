import test from 'ava';
import type {ValidationIssue} from '../../src/errors.js';
import {validatePodSpec} from '../../src/pod/spec/parse.js';

type Raw = Record<string, unknown>;

const APP = {name: 'app', image: 'bcs-executor/demo:local'};

function issues(pod: Raw): readonly ValidationIssue[] {
  const result = validatePodSpec({name: 'web', containers: [APP], ...pod});
  return 'issues' in result ? result.issues : [];
}

test('hosts are host:ip and the hostname is an RFC 1123 name (the task rules, at spec paths)', (t) => {
  t.deepEqual(issues({hosts: ['db:10.0.0.3', 'db', 'x:not-an-ip'], hostname: 'web_1'}), [
    {
      path: 'hosts[1]',
      message: 'extra host "db" is not host:ip',
      allowed: 'host:ip, e.g. db:10.0.0.3 (or host:host-gateway)',
    },
    {
      path: 'hosts[2]',
      message: 'extra host "x:not-an-ip" is not host:ip',
      allowed: 'host:ip, e.g. db:10.0.0.3 (or host:host-gateway)',
    },
    {
      path: 'hostname',
      message: 'hostname "web_1" is not a valid host name',
      allowed: 'at most 64 characters; dot-separated labels of a-z, A-Z, 0-9 and inner -',
    },
  ]);
  t.deepEqual(
    issues({hosts: ['db:10.0.0.3', 'gw:host-gateway', 'v6:::1'], hostname: 'web-1.example.com'}),
    [],
  );
});

test('dns servers are IP addresses, searches domains, options resolver options', (t) => {
  t.deepEqual(
    issues({
      dns: {
        servers: ['1.1.1.1', '2001:db8::1', '1.1.1'],
        searches: ['ok.example', 'bad domain'],
        options: ['ndots:2', 'NDOTS'],
      },
    }),
    [
      {path: 'dns.servers[2]', message: 'is not an IP address', allowed: 'an IPv4 or IPv6 address'},
      {path: 'dns.searches[1]', message: 'is not a domain name', allowed: 'a domain, e.g. example.com'},
      {
        path: 'dns.options[1]',
        message: 'is not a resolver option',
        allowed: 'a resolv.conf option, e.g. ndots:2, rotate, edns0',
      },
    ],
  );
});

test('restartPolicy, killPolicy and netLimit ranges', (t) => {
  t.deepEqual(issues({restartPolicy: 'always'}), [
    {path: 'restartPolicy', message: '"always" is not allowed', allowed: 'Never, OnFailure, Always'},
  ]);
  const grace = 'whole seconds between the stop signal and SIGKILL, 0-86400';
  t.deepEqual(issues({killPolicy: {graceSeconds: -1}}), [
    {path: 'killPolicy.graceSeconds', message: 'must be at least 0', allowed: grace},
  ]);
  t.deepEqual(issues({killPolicy: {graceSeconds: 0.5}}), [
    {path: 'killPolicy.graceSeconds', message: 'must be a whole number, not a fraction', allowed: grace},
  ]);
  t.deepEqual(issues({killPolicy: {}}), [
    {path: 'killPolicy.graceSeconds', message: 'is required', allowed: grace},
  ]);
  const cni = {network: {driver: 'cni', name: 'bcsnet'}};
  t.deepEqual(issues({...cni, netLimit: {egressMbps: 0}}), [
    {
      path: 'netLimit.egressMbps',
      message: 'must be at least 1',
      allowed: 'megabits per second, a whole number >= 1 (cni driver only)',
    },
  ]);
  t.deepEqual(
    issues({...cni, netLimit: {egressMbps: 10}, restartPolicy: 'OnFailure', killPolicy: {graceSeconds: 0}}),
    [],
  );
});

test('an egress limit needs the cni driver', (t) => {
  const expected = [
    {
      path: 'netLimit',
      message:
        'an egress limit needs the cni driver: the docker driver has no bandwidth plugin to enforce it',
      allowed: 'network: {driver: cni, name: <CNI network>} with netLimit, or no netLimit',
    },
  ];
  t.deepEqual(issues({netLimit: {egressMbps: 10}}), expected);
  t.deepEqual(issues({network: {driver: 'docker', name: 'mynet'}, netLimit: {egressMbps: 10}}), expected);
});

test('labels are strings and keep off the engine prefix, on the pod and on containers', (t) => {
  const reserved = (path: string, key: string): ValidationIssue => ({
    path,
    message: `label "${key}" uses the prefix "dev.bcs-executor.", which the engine reserves for its own labels`,
    allowed: 'any key not starting with dev.bcs-executor.',
  });
  t.deepEqual(
    issues({
      labels: {'dev.bcs-executor.pod': 'x', team: 'a'},
      containers: [{...APP, labels: {'dev.bcs-executor.role': 'app', version: 2}}],
    }),
    [
      reserved('labels["dev.bcs-executor.pod"]', 'dev.bcs-executor.pod'),
      {
        path: 'containers[0].labels.version',
        message: 'must be a string, not a whole number (quote it in YAML)',
        allowed: 'a string (quote numbers and booleans in YAML)',
      },
    ],
  );
  t.deepEqual(issues({containers: [{...APP, labels: {'dev.bcs-executor.role': 'app'}}]}), [
    reserved('containers[0].labels["dev.bcs-executor.role"]', 'dev.bcs-executor.role'),
  ]);
});

test('infraImage is a valid image reference; ipc a known mode', (t) => {
  t.deepEqual(issues({infraImage: 'Pause:Local', ipc: 'shared'}), [
    {
      path: 'ipc',
      message: 'unknown IPC mode "shared"',
      allowed: 'none, private, shareable, host, container:<id>',
    },
    {
      path: 'infraImage',
      message: 'image reference "Pause:Local" repository name "Pause" must be lower case',
      allowed: '[registry[:port]/]path[:tag][@sha256:<64 hex>]',
    },
  ]);
  t.deepEqual(issues({infraImage: 'registry.example:5000/pause:3.9', ipc: 'shareable'}), []);
});

test('unknown fields are refused one by one, at every level, with the known ones', (t) => {
  const found = issues({
    nmae: 'x',
    network: {driver: 'docker', nme: 'x'},
    ports: [{containerPort: 80, hostport: 8080}],
    containers: [{...APP, imgae: 'x', resources: {mem: 64}, env: [{key: 'A', value: 'x', secert: true}]}],
  });
  t.deepEqual(
    found.map((issue) => [issue.path, issue.message]),
    [
      ['nmae', 'unknown field "nmae"'],
      ['network.nme', 'unknown field "nme"'],
      ['ports[0].hostport', 'unknown field "hostport"'],
      ['containers[0].imgae', 'unknown field "imgae"'],
      ['containers[0].env[0].secert', 'unknown field "secert"'],
      ['containers[0].resources.mem', 'unknown field "mem"'],
    ],
  );
  t.is(
    found.find((issue) => issue.path === 'ports[0].hostport')?.allowed,
    'containerPort, hostPort, protocol, hostIP, name',
  );
  t.is(found.find((issue) => issue.path === 'containers[0].resources.mem')?.allowed, 'cpus, memMB');
  t.regex(found.find((issue) => issue.path === 'nmae')?.allowed ?? '', /^name, network, hostname, ports, /);
});
