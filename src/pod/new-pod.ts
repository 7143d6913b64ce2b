/**
Making pods: `newPod` from the seed's tasks (its NewPod), and `podConfigFromSpec` from a validated pod spec
(what the engine uses). Both give one BcsPod whatever the network driver.
*/
import {randomInt} from 'node:crypto';
import {LOCAL_IMAGES} from '../constants.js';
import type {RestartPolicy} from '../engine/types.js';
import {validationError} from '../errors.js';
import type {ContainerRuntime} from '../runtime/port.js';
import type {BcsContainerTask, BcsPort} from '../task/types.js';
import {BcsPod, type BcsPodOptions} from './bcs-pod.js';
import {currentCreator} from './creator.js';
import {detectNodeIp} from './node-ip.js';
import type {PodCniOptions, PodConfig, PodEventHandler, PodNetwork} from './pod-config.js';
import {DEFAULT_RESTART_POLICY, networkOf} from './spec/defaults.js';
import {infraSettings, type InfraSettings} from './spec/infra-settings.js';
import {maskSpec} from './spec/mask.js';
import {specHash} from './spec/hash.js';
import {secretEnvKeys, specToTasks} from './spec/to-tasks.js';
import type {PodSpec} from './spec-types.js';

/** Dependencies of a pod, whichever way it is made. */
export interface PodDeps {
  readonly runtime: ContainerRuntime;
  readonly cni?: PodCniOptions | undefined;
  /** Default: the seed's rule (eth1, eth0, first private IPv4). */
  readonly nodeIp?: string | undefined;
  readonly now?: (() => number) | undefined;
  readonly onProgress?: PodConfig['onProgress'];
  /** Default: this process (`<host>:<pid>:<start ms>`). */
  readonly creator?: string | undefined;
}

/** The seed's random hostname for a CNI pod with none: `pod-` and 12 letters. */
function randomHostname(): string {
  const letters = Array.from({length: 12}, () => String.fromCharCode(97 + randomInt(26)));
  return `pod-${letters.join('')}`;
}

/** The seed's copyPortMappings: every task's ports go to the pod's namespace owner; a later key wins. */
function mergedPorts(tasks: readonly BcsContainerTask[]): Record<string, BcsPort> {
  const merged: Record<string, BcsPort> = {};
  for (const task of tasks) Object.assign(merged, task.portBindings ?? {});
  return merged;
}

/** newPod's dependencies and the choices the seed's tasks leave open. */
export interface NewPodOptions extends PodDeps {
  /** Default: `pod-` and 12 random letters, as the seed named hostnames. */
  readonly name?: string;
  /** Default docker; cni attaches `tasks[0].networkName` through the CNI configuration in `cni`. */
  readonly driver?: PodNetwork['driver'];
  readonly restartPolicy?: RestartPolicy;
  readonly infraImage?: string;
  readonly pod?: BcsPodOptions;
}

/**
The seed's NewPod: a pod of `tasks` (at least one). The network, requested IP and egress limit come from
`tasks[0]`; the hostname is the first one a task gives; every task's ports and hosts go to the infra.
*/
export function newPod(
  tasks: readonly BcsContainerTask[],
  handler: PodEventHandler,
  options: NewPodOptions,
): BcsPod {
  const [first] = tasks;
  if (first === undefined)
    throw validationError([{path: 'tasks', message: 'a pod needs at least one task'}], 'pod');
  const driver = options.driver ?? 'docker';
  const networkName = first.networkName ?? 'bridge';
  const ip = first.networkIPAddr ?? '';
  const egress = first.netLimit?.egressLimit ?? 0;
  const hostname =
    tasks.find((task) => (task.hostName ?? '') !== '')?.hostName ??
    (networkName === 'host' ? '' : randomHostname());
  const infra: InfraSettings = {
    image: options.infraImage ?? LOCAL_IMAGES.pause,
    hostname,
    hosts: [...new Set(tasks.flatMap((task) => task.hosts ?? []))],
    portBindings: mergedPorts(tasks),
    dns: {servers: [], searches: [], options: []},
    networkName: driver === 'cni' ? 'none' : networkName,
    ...(ip === '' ? {} : {networkIPAddr: ip}),
    ...(egress > 0 ? {netLimit: {egressLimit: egress}} : {}),
  };
  const config = baseConfig(options, {
    name: options.name ?? randomHostname(),
    tasks,
    containerNames: tasks.map((task) => task.name),
    infra,
    network: {
      driver,
      name: networkName,
      ...(ip === '' ? {} : {ip}),
      ...(egress > 0 ? {egressMbps: egress} : {}),
    },
    restartPolicy: options.restartPolicy ?? DEFAULT_RESTART_POLICY,
    ipc: undefined,
    handler,
    // As the seed's CNI infra: every task's labels appended (a later task's value wins).
    record: {
      specHash: '',
      specJson: '',
      podLabels: Object.fromEntries(
        tasks.flatMap((task) => (task.labels ?? []).map((label) => [label.key, label.value])),
      ),
      creator: options.creator ?? currentCreator(),
    },
  });
  return new BcsPod(config, options.pod);
}

function baseConfig(
  deps: PodDeps,
  rest: Omit<PodConfig, 'runtime' | 'cni' | 'nodeIp' | 'now' | 'onProgress'>,
): PodConfig {
  return {
    ...rest,
    runtime: deps.runtime,
    cni: deps.cni,
    nodeIp: deps.nodeIp ?? detectNodeIp(),
    now: deps.now ?? Date.now,
    onProgress: deps.onProgress,
  };
}

/** The pod's configuration for a validated spec: tasks from specToTasks, the infra from infraSettings. */
export function podConfigFromSpec(spec: PodSpec, handler: PodEventHandler, deps: PodDeps): PodConfig {
  const network = networkOf(spec);
  const egress = spec.netLimit?.egressMbps ?? 0;
  return baseConfig(deps, {
    name: spec.name,
    tasks: specToTasks(spec),
    containerNames: spec.containers.map((container) => container.name),
    infra: infraSettings(spec),
    network: {
      driver: network.driver,
      name: network.name,
      ...(network.ip === undefined ? {} : {ip: network.ip}),
      ...(egress > 0 ? {egressMbps: egress} : {}),
    },
    restartPolicy: spec.restartPolicy ?? DEFAULT_RESTART_POLICY,
    ipc: spec.ipc,
    handler,
    record: {
      specHash: specHash(spec),
      specJson: JSON.stringify(maskSpec(spec)),
      secretEnv: [...secretEnvKeys(spec)],
      podLabels: {...spec.labels},
      creator: deps.creator ?? currentCreator(),
    },
  });
}
