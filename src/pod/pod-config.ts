/**
What a pod is made of before any Docker call: its app tasks in spec order, its infra settings, network,
policies, callbacks and the dependencies its flows use. BcsPod holds one; the create flows read it.
*/
import type {OperationProgress} from '../engine/engine.js';
import type {RestartPolicy} from '../engine/types.js';
import type {CniAddResult, CniDelOptions, CniNetworkOptions} from '../network/cni/cni-network.js';
import type {ContainerRuntime} from '../runtime/port.js';
import type {BcsContainerTask} from '../task/types.js';
import type {InfraSettings} from './spec/infra-settings.js';

/** A callback around one container's start or stop; a rejected preStart aborts the pod (and rolls it back). */
export type ContainerEventCallback = (task: BcsContainerTask) => Promise<void> | void;

/** The seed's PodEventHandler: create → preStart → start → postStart; preStop → stop → postStop. */
export interface PodEventHandler {
  readonly preStart?: ContainerEventCallback;
  readonly postStart?: ContainerEventCallback;
  readonly preStop?: ContainerEventCallback;
  readonly postStop?: ContainerEventCallback;
}

/** The CNI driver's settings and functions (injectable, so tests can fail an ADD without plugins). */
export interface PodCniOptions {
  readonly confDir: string;
  readonly pluginDirs?: readonly string[];
  /** Interface inside the pod (default eth1, the seed's). */
  readonly ifName?: string;
  readonly timeoutMs?: number;
  readonly add?: (options: CniNetworkOptions) => Promise<CniAddResult>;
  readonly del?: (options: CniDelOptions) => Promise<void>;
}

/** The pod's network: driver, name, requested IP and egress limit. */
export interface PodNetwork {
  readonly driver: 'docker' | 'cni';
  /** docker: bridge, host, none or a user network; cni: the CNI network's name. */
  readonly name: string;
  /** A requested pod IP. */
  readonly ip?: string;
  readonly egressMbps?: number;
}

/** How the pod is recorded in its labels (docs/pods.md). */
export interface PodRecordInput {
  /** Hash of the pod spec ('' for a pod made from bare tasks). */
  readonly specHash: string;
  /** The spec, secrets masked, as JSON ('' for none). */
  readonly specJson: string;
  /** The spec's secret env keys (each app records them); undefined for a pod of bare tasks. */
  readonly secretEnv?: readonly string[];
  /** The pod's own labels, on every container. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly creator: string;
}

/** A pod before any Docker call: tasks, infra settings, network, policies, callbacks and dependencies. */
export interface PodConfig {
  readonly runtime: ContainerRuntime;
  readonly name: string;
  /** App tasks in spec order; their `name` is the Docker name. */
  readonly tasks: readonly BcsContainerTask[];
  /** The apps' names in the spec, in the same order. */
  readonly containerNames: readonly string[];
  readonly infra: InfraSettings;
  readonly network: PodNetwork;
  readonly restartPolicy: RestartPolicy;
  readonly ipc?: string | undefined;
  readonly handler: PodEventHandler;
  readonly cni?: PodCniOptions | undefined;
  /** BCS_NODE_IP, and BCS_CONTAINER_IP on the host network. */
  readonly nodeIp: string;
  readonly record: PodRecordInput;
  /** Milliseconds since the epoch (injectable clock). */
  readonly now: () => number;
  readonly onProgress?: ((progress: OperationProgress) => void) | undefined;
}
