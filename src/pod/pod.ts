/**
The seed's `Pod` interface (EXE/container/pod.go, seed-spec §4.1) in camelCase and async: one interface for
both network drivers (the seed had two near-copies, CNM and CNI).
*/
import type {PodStatus} from '../engine/types.js';
import type {CniArg} from '../network/cni/net-args.js';
import type {BcsContainerInfo, BcsContainerTask, TaskResources} from '../task/types.js';

export type {PodStatus} from '../engine/types.js';
export type {ContainerEventCallback, PodEventHandler} from './pod-config.js';

export interface Pod {
  /** Whether every health-checked container is healthy now (the seed's never came back to true). */
  isHealthy(): Promise<boolean>;
  /** Whether the pod IP was requested rather than assigned. */
  injection(): Promise<boolean>;
  setIPAddr(ip: string): Promise<void>;
  getIPAddr(): Promise<string>;
  setPodID(id: string): Promise<void>;
  getPodID(): Promise<string>;
  /** Always '' (never used by the seed either). */
  getNamespace(): Promise<string>;
  /** `/proc/<infra pid>/ns/net`, or '' before the infra runs. */
  getNetns(): Promise<string>;
  getNetworkName(): Promise<string>;
  /** CNI_ARGS of the pod: the egress rate (when limited), IgnoreUnknown, the requested IP. Empty for docker. */
  getNetArgs(): Promise<CniArg[]>;
  /** The infra container's pid. */
  getPid(): Promise<number>;
  /** The infra container's id. */
  getContainerID(): Promise<string>;
  /** The pod's interfaces and addresses, as JSON text (the seed always returned ''). */
  getNetStatus(): Promise<string>;
  getPodStatus(): Promise<PodStatus>;
  getMessage(): Promise<string>;
  /** Images, infra container, network. On failure everything made is removed and the status is failed. */
  init(): Promise<void>;
  /** Network teardown and removal of every container of the pod. Safe to call more than once. */
  finit(): Promise<void>;
  /** Creates the apps and starts them in spec order. On failure everything made (infra and network included) is removed. */
  start(): Promise<void>;
  /** Stops the apps in reverse order (each with its kill policy, or `graceSeconds` for all), then the infra. */
  stop(graceSeconds?: number): Promise<void>;
  /** Copies host path `source` into app `name` at `dest`. */
  uploadFile(name: string, source: string, dest: string): Promise<void>;
  /** Starts `command` in app `name` (the seed's RunCommand: returns once it started). */
  execute(name: string, command: readonly string[]): Promise<void>;
  /** The apps' states (never the infra, as the seed's CNI pod). */
  getContainers(): Promise<BcsContainerInfo[]>;
  /** An app by its spec name or Docker name. */
  getContainerByName(name: string): Promise<BcsContainerInfo | undefined>;
  /** Updates the limits of the app with Docker id `containerId`; NOT_FOUND for any other id. */
  updateResources(containerId: string, resources: TaskResources): Promise<void>;
  commitImage(containerId: string, image: string): Promise<void>;
  /** The apps' tasks by Docker name. */
  getContainerTasks(): Promise<ReadonlyMap<string, BcsContainerTask>>;
}
