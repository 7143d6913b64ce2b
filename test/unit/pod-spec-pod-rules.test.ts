import test from 'ava';
import type {ValidationIssue} from '../../src/errors.js';
import {validatePodSpec} from '../../src/pod/spec/parse.js';

type Raw = Record<string, unknown>;

const APP = {name: 'app', image: 'bcs-executor/demo:local'};

function issues(pod: Raw): readonly ValidationIssue[] {
  const result = validatePodSpec({name: 'web', containers: [APP], ...pod});
  return 'issues' in result ? result.issues : [];
}

function at(pod: Raw, path: string): ValidationIssue[] {
  return issues(pod).filter((issue) => issue.path === path);
}

const NAME_ALLOWED = 'a lowercase DNS label: a-z, 0-9 and inner "-", 1-50 characters';

test('the pod name is a lowercase DNS label of 1-50 characters', (t) => {
  const allowed = `${NAME_ALLOWED} (it prefixes every Docker container name of the pod)`;
  t.deepEqual(issues({name: 'Web_1'}), [{path: 'name', message: 'is not a lowercase DNS label', allowed}]);
  t.deepEqual(issues({name: '-web'}), [{path: 'name', message: 'is not a lowercase DNS label', allowed}]);
  t.deepEqual(issues({name: ''}), [
    {path: 'name', message: 'must not be empty', allowed},
    {path: 'name', message: 'is not a lowercase DNS label', allowed},
  ]);
  t.deepEqual(issues({name: 'a'.repeat(51)}), [
    {path: 'name', message: 'must be at most 50 characters', allowed},
  ]);
  t.deepEqual(issues({name: 'a'.repeat(50)}), []);
  t.deepEqual(issues({name: 7}), [
    {path: 'name', message: 'must be a string, not a whole number (quote it in YAML)', allowed},
  ]);
});

test('a pod needs a list of at least one container', (t) => {
  const allowed = 'a list of at least one container';
  t.deepEqual(issues({containers: []}), [
    {path: 'containers', message: 'must have at least 1 entry', allowed},
  ]);
  t.deepEqual(issues({containers: {app: APP}}), [
    {path: 'containers', message: 'must be a list, not a map', allowed},
  ]);
  t.deepEqual(validatePodSpec({name: 'web'}), {issues: [{path: 'containers', message: 'is required'}]});
});

test('container names are DNS labels, unique in the pod, and not "infra"', (t) => {
  const containers = [
    APP,
    {...APP, name: 'side'},
    {...APP, name: 'app'},
    {...APP, name: 'infra'},
    {...APP, name: 'Side'},
  ];
  t.deepEqual(issues({containers}), [
    {
      path: 'containers[3].name',
      message: 'is reserved for the pod infra container',
      allowed: `${NAME_ALLOWED} (the Docker name is <pod>-<container>; "infra" is taken)`,
    },
    {
      path: 'containers[4].name',
      message: 'is not a lowercase DNS label',
      allowed: `${NAME_ALLOWED} (the Docker name is <pod>-<container>; "infra" is taken)`,
    },
    {
      path: 'containers[2].name',
      message: '"app" is already the name of containers[0]',
      allowed: 'a name used by no other container of the pod',
    },
  ]);
});

test('the network driver is docker or cni, and cni needs a CNI network name', (t) => {
  t.deepEqual(issues({network: {driver: 'weave', name: 'x'}}), [
    {path: 'network.driver', message: '"weave" is not allowed', allowed: 'docker, cni'},
  ]);
  t.deepEqual(issues({network: {driver: 'cni'}}), [
    {
      path: 'network.name',
      message: 'is required with the cni driver',
      allowed: 'the name of a CNI network in the CNI conf dir',
    },
  ]);
  t.deepEqual(issues({network: {driver: 'cni', name: 'host'}}), [
    {
      path: 'network.name',
      message: '"host" is a Docker network mode, not a CNI network',
      allowed: 'driver: docker for host networking, or the name of a CNI network',
    },
  ]);
  t.deepEqual(at({network: {name: 'container:other'}}, 'network.name'), [
    {
      path: 'network.name',
      message: 'is not a network name',
      allowed: 'docker: bridge, host, none or a user-defined network; cni: the name of a CNI network',
    },
  ]);
  t.deepEqual(issues({network: {name: 'my-net'}}), []);
  t.deepEqual(issues({network: {driver: 'cni', name: 'bcsnet'}}), []);
});

test('a requested ip is an IPv4, on a user-defined docker network or with cni', (t) => {
  t.deepEqual(issues({network: {driver: 'docker', name: 'bridge', ip: '10.0.0.5'}}), [
    {
      path: 'network.ip',
      message: 'a requested IP needs a user-defined network, not network mode "bridge"',
      allowed: 'a network made with `docker network create`',
    },
  ]);
  t.deepEqual(issues({network: {name: 'mynet', ip: '10.0.0.300'}}), [
    {path: 'network.ip', message: 'is not an IPv4 address', allowed: 'an IPv4 address, e.g. 10.88.7.20'},
  ]);
  t.deepEqual(issues({network: {name: 'mynet', ip: '10.0.0.5'}}), []);
  t.deepEqual(issues({network: {driver: 'cni', name: 'bridge', ip: '10.0.0.5'}}), []);
});

test('ports: numbers in range and known protocols', (t) => {
  const ports = [
    {containerPort: 0},
    {containerPort: 65_536, hostPort: -1},
    {containerPort: 80, hostPort: 65_536, protocol: 'ftp'},
    {containerPort: '80'},
  ];
  t.deepEqual(issues({ports}), [
    {path: 'ports[0].containerPort', message: 'must be at least 1', allowed: 'a port number, 1-65535'},
    {path: 'ports[1].containerPort', message: 'must be at most 65535', allowed: 'a port number, 1-65535'},
    {
      path: 'ports[1].hostPort',
      message: 'must be at least 0',
      allowed: '0 (not published) or a port number, 1-65535',
    },
    {
      path: 'ports[2].hostPort',
      message: 'must be at most 65535',
      allowed: '0 (not published) or a port number, 1-65535',
    },
    {path: 'ports[2].protocol', message: '"ftp" is not allowed', allowed: 'tcp, udp, sctp, http, https'},
    {
      path: 'ports[3].containerPort',
      message: 'must be a whole number, not a string',
      allowed: 'a port number, 1-65535',
    },
  ]);
  t.deepEqual(
    issues({
      ports: [{containerPort: 80, hostPort: 8080, protocol: 'http', hostIP: '127.0.0.1', name: 'web'}],
    }),
    [],
  );
});

test('ports: a host port, protocol and address is published once; wildcards clash with every address', (t) => {
  const ports = [
    {containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1'},
    {containerPort: 81, hostPort: 8080, hostIP: '127.0.0.1'},
    {containerPort: 82, hostPort: 8080, protocol: 'udp', hostIP: '127.0.0.1'},
    {containerPort: 83, hostPort: 8080, hostIP: '127.0.0.2'},
    {containerPort: 84, hostPort: 8080},
    {containerPort: 85, hostPort: 9090, protocol: 'https'},
    {containerPort: 86, hostPort: 9090, protocol: 'tcp', hostIP: '::'},
  ];
  const allowed = 'a host port, protocol and host IP used by no other entry';
  t.deepEqual(issues({ports}), [
    {
      path: 'ports[1].hostPort',
      message: 'host port 127.0.0.1:8080/tcp is already published by ports[0]',
      allowed,
    },
    {path: 'ports[4].hostPort', message: 'host port *:8080/tcp is already published by ports[0]', allowed},
    {path: 'ports[6].hostPort', message: 'host port :::9090/tcp is already published by ports[5]', allowed},
  ]);
});

test('ports: each container port and protocol is listed once (the task model keys bindings by it)', (t) => {
  const ports = [
    {containerPort: 80, hostPort: 8080},
    {containerPort: 80, hostPort: 8081, protocol: 'http'},
    {containerPort: 80, protocol: 'udp'},
  ];
  t.deepEqual(issues({ports}), [
    {
      path: 'ports[1].containerPort',
      message: 'container port 80/tcp is already listed by ports[0]: a pod lists each container port once',
    },
  ]);
});

test('host and none networking publish nothing; a cni pod publishes no host ports', (t) => {
  t.deepEqual(issues({network: {name: 'host'}, ports: [{containerPort: 80, hostPort: 80}]}), [
    {
      path: 'ports',
      message: 'network "host" publishes nothing: host networking uses the host ports directly',
      allowed: 'no ports, or another network',
    },
  ]);
  t.deepEqual(issues({network: {name: 'none'}, ports: [{containerPort: 80}]}), [
    {
      path: 'ports',
      message: 'network "none" publishes nothing: network none has no interface to publish on',
      allowed: 'no ports, or another network',
    },
  ]);
  t.deepEqual(
    issues({
      network: {driver: 'cni', name: 'bcsnet'},
      ports: [{containerPort: 80}, {containerPort: 81, hostPort: 8081}],
    }),
    [
      {
        path: 'ports[1].hostPort',
        message:
          'a cni pod cannot publish host ports: its infra container has no Docker network (network none)',
        allowed: '0 or absent (the pod IP is reachable directly)',
      },
    ],
  );
});
