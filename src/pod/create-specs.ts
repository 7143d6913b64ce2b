/**
The Docker create specs of a pod's containers (docs/pods.md): the infra owns the namespaces and everything Docker
refuses on members (ports, hostname, extra hosts, DNS); apps join it with `container:<infra id>` for network and
IPC. Both go through the task mapping (taskToCreateSpec), so the seed's rules apply to them alike.
*/
import type {RestartPolicy} from '../engine/types.js';
import type {ContainerCreateSpec, RestartPolicySpec} from '../runtime/port.js';
import {taskToCreateSpec} from '../task/to-create-spec.js';
import type {BcsContainerTask} from '../task/types.js';
import {infraDockerName} from './labels.js';
import type {InfraSettings} from './spec/infra-settings.js';

/** Docker's restart policy for the apps of a pod with `policy`. */
export function appRestartPolicy(policy: RestartPolicy): RestartPolicySpec {
  switch (policy) {
    case 'Always':
      return {name: 'always'};
    case 'OnFailure':
      return {name: 'on-failure'};
    case 'Never':
      return {name: 'no'};
  }
}

/**
Docker's restart policy for the infra: `unless-stopped` when the pod restarts at all (a daemon restart brings
the namespace back), `no` for Never. The engine's own stop is a SIGKILL, which Docker never restarts after.
*/
export function infraRestartPolicy(policy: RestartPolicy): RestartPolicySpec {
  return policy === 'Never' ? {name: 'no'} : {name: 'unless-stopped'};
}

/** What the infra's create spec is made of. */
export interface InfraCreateInput {
  readonly pod: string;
  readonly settings: InfraSettings;
  readonly restartPolicy: RestartPolicy;
  /** The pod's IPC mode; default `shareable`, so members can join it. */
  readonly ipc?: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

/**
The infra container: the pause image under Docker's init (so a stop is instant), its ports, hostname, hosts,
DNS and network, no capabilities added and no resource limits (it only holds namespaces).
*/
export function infraCreateSpec(input: InfraCreateInput): ContainerCreateSpec {
  const {settings} = input;
  const task: BcsContainerTask = {
    name: infraDockerName(input.pod),
    image: settings.image,
    ...(settings.hostname === '' ? {} : {hostName: settings.hostname}),
    ...(settings.hosts.length > 0 ? {hosts: [...settings.hosts]} : {}),
    ...(Object.keys(settings.portBindings).length > 0 ? {portBindings: {...settings.portBindings}} : {}),
    networkName: settings.networkName,
    ...(settings.networkIPAddr === undefined || settings.networkName === 'none'
      ? {}
      : {networkIPAddr: settings.networkIPAddr}),
    resource: {cpus: 0, mem: 0},
  };
  const spec = taskToCreateSpec(task.name, task);
  const {capAdd: _capAdd, oomKillDisable: _oom, ...host} = spec.host;
  const {dns} = settings;
  return {
    ...spec,
    labels: {...input.labels},
    host: {
      ...host,
      init: true,
      ipcMode: input.ipc ?? 'shareable',
      ...(dns.servers.length > 0 ? {dns: [...dns.servers]} : {}),
      ...(dns.searches.length > 0 ? {dnsSearch: [...dns.searches]} : {}),
      ...(dns.options.length > 0 ? {dnsOptions: [...dns.options]} : {}),
      restartPolicy: infraRestartPolicy(input.restartPolicy),
    },
  };
}

/** What an app's create spec is made of. */
export interface AppCreateInput {
  /** The app's task, env already assembled (withPodEnv). */
  readonly task: BcsContainerTask;
  readonly infraId: string;
  readonly restartPolicy: RestartPolicy;
  readonly labels: Readonly<Record<string, string>>;
  /** Kill policy: also Docker's StopTimeout, so a `docker stop` from the CLI honours it too. */
  readonly graceSeconds: number;
}

/** An app container joining the infra's network and IPC namespaces. */
export function appCreateSpec(input: AppCreateInput): ContainerCreateSpec {
  const joined = `container:${input.infraId}`;
  // Docker refuses these on a container that joins another's network namespace; the infra carries them.
  const {
    hostName: _h,
    hosts: _x,
    portBindings: _p,
    publishAllPorts: _a,
    networkIPAddr: _i,
    ...rest
  } = input.task;
  const task: BcsContainerTask = {...rest, networkName: joined, ipc: joined};
  const spec = taskToCreateSpec(task.name, task);
  return {
    ...spec,
    labels: {...input.labels},
    stopTimeout: input.graceSeconds,
    host: {...spec.host, restartPolicy: appRestartPolicy(input.restartPolicy)},
  };
}
