/**
Invalid pod specs for the hostile-input suite: a valid base spec and, for every field of the pod and of a
container, values just past its bounds (or of the wrong type), each with the spec path the problem must be
reported at. The expected paths are written by hand from docs/pods.md and the field descriptions, not read
back from the validator, so a bound the validator forgot fails the test.
*/
import type {PodSpec} from '../../../src/index.js';

/** One invalid value: where it goes (a path of keys into the spec) and where the problem is reported. */
export interface Mutation {
  /** Keys from the spec's root; the last is set (undefined deletes it). */
  readonly at: readonly (string | number)[];
  readonly value: unknown;
  /** The issue path(s) this value must produce. */
  readonly expect: readonly string[];
}

const c0 = (...rest: (string | number)[]): (string | number)[] => ['containers', 0, ...rest];
const p0 = (field: string): string => `containers[0].${field}`;

/** Every field's bounds. Each mutation touches a different field, so any subset of them can be combined. */
export const MUTATIONS: readonly Mutation[] = [
  // Pod fields.
  {at: ['name'], value: 'Upper-Case', expect: ['name']},
  {at: ['network'], value: {driver: 'weave'}, expect: ['network.driver']},
  {at: ['hostname'], value: 'under_score', expect: ['hostname']},
  {at: ['ports'], value: [{containerPort: 0}], expect: ['ports[0].containerPort']},
  {at: ['hosts'], value: ['no-address-here'], expect: ['hosts[0]']},
  {at: ['dns'], value: {servers: ['1.2.3']}, expect: ['dns.servers[0]']},
  {at: ['restartPolicy'], value: 'Sometimes', expect: ['restartPolicy']},
  {at: ['killPolicy'], value: {graceSeconds: 86_401}, expect: ['killPolicy.graceSeconds']},
  {at: ['netLimit'], value: {egressMbps: 0}, expect: ['netLimit.egressMbps']},
  {at: ['labels', 'dev.bcs-executor.pod'], value: 'mine', expect: ['labels["dev.bcs-executor.pod"]']},
  {at: ['ipc'], value: 7, expect: ['ipc']},
  {at: ['infraImage'], value: 'Not A/Reference', expect: ['infraImage']},
  {at: ['colour'], value: 'blue', expect: ['colour']},
  // Fields of the first container.
  {at: c0('name'), value: 'infra', expect: [p0('name')]},
  {at: c0('image'), value: undefined, expect: [p0('image')]},
  {at: c0('command'), value: 42, expect: [p0('command')]},
  {at: c0('args'), value: 'not-a-list', expect: [p0('args')]},
  {at: c0('env'), value: [{key: 'TOKEN', value: 1234, secret: true}], expect: [p0('env[0].value')]},
  {at: c0('workingDir'), value: 'relative/dir', expect: [p0('workingDir')]},
  {
    at: c0('volumes'),
    value: [{hostPath: 'relative', containerPath: '/data'}],
    expect: [p0('volumes[0].hostPath')],
  },
  {at: c0('resources'), value: {memMB: 4}, expect: [p0('resources.memMB')]},
  {at: c0('limits'), value: {cpus: 0.001}, expect: [p0('limits.cpus')]},
  {at: c0('ulimits'), value: [{name: 'nofile', soft: 10, hard: 5}], expect: [p0('ulimits[0].soft')]},
  {at: c0('shmMB'), value: -1, expect: [p0('shmMB')]},
  {at: c0('privileged'), value: 'yes', expect: [p0('privileged')]},
  {at: c0('oomKillDisabled'), value: 'no', expect: [p0('oomKillDisabled')]},
  {at: c0('forcePullImage'), value: 1, expect: [p0('forcePullImage')]},
  {at: c0('healthCheck'), value: {type: 'tcp', port: 65_536}, expect: [p0('healthCheck.port')]},
  {at: c0('files'), value: [{path: 'etc/app.conf', content: 'x'}], expect: [p0('files[0].path')]},
  {
    at: c0('extendedResources'),
    value: [{name: 'gpu', socket: '/run/gpu.sock'}],
    expect: [p0('extendedResources[0].socket')],
  },
  {at: c0('killPolicy'), value: {graceSeconds: -1}, expect: [p0('killPolicy.graceSeconds')]},
  {
    at: c0('labels'),
    value: {'dev.bcs-executor.container': 'x'},
    expect: [p0('labels["dev.bcs-executor.container"]')],
  },
  {at: c0('user'), value: 1000, expect: [p0('user')]},
  {at: c0('bogus'), value: true, expect: [p0('bogus')]},
];

/** Values just past each bound, for the fields with numeric or length bounds (one spec each). */
export const BOUNDS: readonly Mutation[] = [
  {at: ['name'], value: 'a'.repeat(51), expect: ['name']},
  {at: ['name'], value: '', expect: ['name']},
  {at: ['name'], value: '-lead', expect: ['name']},
  {at: ['ports'], value: [{containerPort: 65_536}], expect: ['ports[0].containerPort']},
  {at: ['ports'], value: [{containerPort: 80, hostPort: -1}], expect: ['ports[0].hostPort']},
  {at: ['ports'], value: [{containerPort: 80, hostPort: 65_536}], expect: ['ports[0].hostPort']},
  {at: ['ports'], value: [{containerPort: 80.5}], expect: ['ports[0].containerPort']},
  {at: ['ports'], value: [{containerPort: 80, protocol: 'icmp'}], expect: ['ports[0].protocol']},
  {at: ['killPolicy'], value: {graceSeconds: -1}, expect: ['killPolicy.graceSeconds']},
  {at: ['killPolicy'], value: {graceSeconds: 1.5}, expect: ['killPolicy.graceSeconds']},
  {at: ['netLimit'], value: {egressMbps: 10}, expect: ['netLimit']},
  {at: ['network'], value: {driver: 'cni'}, expect: ['network.name']},
  {at: ['network'], value: {driver: 'docker', name: 'bridge', ip: '300.1.1.1'}, expect: ['network.ip']},
  {at: ['dns'], value: {searches: ['not a domain']}, expect: ['dns.searches[0]']},
  {at: ['dns'], value: {options: ['Bad Option']}, expect: ['dns.options[0]']},
  {at: ['containers'], value: [], expect: ['containers']},
  {at: c0('name'), value: 'b'.repeat(51), expect: [p0('name')]},
  {at: c0('resources'), value: {cpus: -1}, expect: [p0('resources.cpus')]},
  {at: c0('resources'), value: {memMB: -1}, expect: [p0('resources.memMB')]},
  {at: c0('shmMB'), value: 1.5, expect: [p0('shmMB')]},
  {at: c0('healthCheck'), value: {type: 'tcp', port: 0}, expect: [p0('healthCheck.port')]},
  {
    at: c0('healthCheck'),
    value: {type: 'http', port: 80, intervalSeconds: 2},
    expect: [p0('healthCheck.timeoutSeconds')],
  },
  {at: c0('files'), value: [{path: '/etc/a', content: 'x', mode: '999'}], expect: [p0('files[0].mode')]},
  {at: c0('files'), value: [{path: '/etc/a', content: 'x', owner: 'root'}], expect: [p0('files[0].owner')]},
  {
    at: c0('volumes'),
    value: [{hostPath: '/srv', containerPath: 'data'}],
    expect: [p0('volumes[0].containerPath')],
  },
  {at: c0('ulimits'), value: [{name: 'nofile', soft: 1.5, hard: 2}], expect: [p0('ulimits[0].soft')]},
  // A name already taken (not among MUTATIONS: with containers[0] renamed it would no longer clash).
  {at: ['containers', 1, 'name'], value: 'app', expect: ['containers[1].name']},
];

/** A valid two-container spec carrying a secret env value (it must never be echoed). */
export function baseSpec(name: string, secret: string, labels: Readonly<Record<string, string>>): PodSpec {
  return {
    name,
    labels: {...labels},
    killPolicy: {graceSeconds: 1},
    containers: [
      {
        name: 'app',
        image: 'bcs-executor/demo:local',
        command: 'sleep',
        args: ['3600'],
        env: [{key: 'TOKEN', value: secret, secret: true}],
      },
      {name: 'side', image: 'bcs-executor/demo:local'},
    ],
  };
}

/** `spec` with `mutations` applied (a deep copy; the base is left as it is). */
export function mutate(spec: PodSpec, mutations: readonly Mutation[]): Record<string, unknown> {
  const copy = structuredClone(spec) as unknown as Record<string, unknown>;
  for (const {at, value} of mutations) {
    let node: Record<string | number, unknown> = copy;
    for (const key of at.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null) node[key] = {};
      node = node[key] as Record<string | number, unknown>;
    }
    const last = at.at(-1)!;
    if (value === undefined) Reflect.deleteProperty(node, last);
    else node[last] = structuredClone(value);
  }
  return copy;
}
