/**
The pod spec (design.md section 5), accepted as JSON or YAML by every face. Every field of the seed's
BcsContainerTask has a place here; `specToTasks` (src/pod/spec/to-tasks.ts) turns a validated spec into tasks.
*/
import type {RestartPolicy} from '../engine/types.js';

export interface PodNetworkSpec {
  /** `docker` (default) or `cni`. */
  readonly driver: 'docker' | 'cni';
  /** docker: `bridge` (default), `host`, `none` or a user-defined network; cni: the CNI network's `name`. */
  readonly name: string;
  /** A requested IPv4 (user-defined Docker network, or CNI `IP` arg). */
  readonly ip?: string;
}

export interface PodPortSpec {
  readonly containerPort: number;
  /** 0 or absent: not published on the host. */
  readonly hostPort?: number;
  /** tcp (default), udp, sctp; http/https are accepted and mean tcp. */
  readonly protocol?: string;
  readonly hostIP?: string;
  readonly name?: string;
}

export interface EnvVarSpec {
  readonly key: string;
  readonly value: string;
  /** Masked as `***` in every view, log and notification. */
  readonly secret?: boolean;
}

export interface VolumeSpec {
  readonly hostPath: string;
  readonly containerPath: string;
  /** Default false here (the seed defaulted to true but mounted read-write anyway). */
  readonly readOnly?: boolean;
}

export interface ResourceSpec {
  /** Cores. */
  readonly cpus?: number;
  /** MiB; at least 6 (Docker's minimum) when set. */
  readonly memMB?: number;
}

export interface UlimitEntrySpec {
  readonly name: string;
  readonly soft: number;
  readonly hard: number;
}

export interface HealthCheckEntrySpec {
  readonly type: 'http' | 'tcp' | 'command';
  readonly port?: number;
  readonly path?: string;
  readonly scheme?: 'http' | 'https';
  readonly command?: string | readonly string[];
  readonly intervalSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly gracePeriodSeconds?: number;
  readonly consecutiveFailures?: number;
  /** report (default, the seed) or restart the container. */
  readonly action?: 'report' | 'restart';
}

export interface FileSpec {
  /** Absolute path in the container. */
  readonly path: string;
  /** UTF-8 content, or `base64` for bytes (one of the two). */
  readonly content?: string;
  readonly base64?: string;
  /** Octal string, default "0644". */
  readonly mode?: string;
  /** Owner inside the container: `uid` or `uid:gid`. */
  readonly owner?: string;
}

export interface ExtendedResourceSpec {
  readonly name: string;
  /** Host device paths mapped into the container (rwm). */
  readonly devices?: readonly string[];
  /** The seed's device-plugin socket: refused as Unsupported. */
  readonly socket?: string;
  readonly value?: number;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly command?: string;
  readonly args?: readonly string[];
  readonly env?: readonly EnvVarSpec[];
  readonly workingDir?: string;
  readonly user?: string;
  readonly volumes?: readonly VolumeSpec[];
  /** Request (CPU shares; memory when no limit). */
  readonly resources?: ResourceSpec;
  /** Limit (CPU quota; memory). */
  readonly limits?: ResourceSpec;
  readonly ulimits?: readonly UlimitEntrySpec[];
  readonly shmMB?: number;
  readonly privileged?: boolean;
  readonly oomKillDisabled?: boolean;
  readonly forcePullImage?: boolean;
  readonly healthCheck?: HealthCheckEntrySpec;
  readonly files?: readonly FileSpec[];
  readonly extendedResources?: readonly ExtendedResourceSpec[];
  /** Per-container stop grace; defaults to the pod's killPolicy. */
  readonly killPolicy?: {readonly graceSeconds: number};
  readonly labels?: Readonly<Record<string, string>>;
}

export interface PodSpec {
  /** DNS-label-like: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 50 characters. */
  readonly name: string;
  readonly network?: PodNetworkSpec;
  readonly hostname?: string;
  readonly ports?: readonly PodPortSpec[];
  /** `host:ip`. */
  readonly hosts?: readonly string[];
  readonly dns?: {
    readonly servers?: readonly string[];
    readonly searches?: readonly string[];
    readonly options?: readonly string[];
  };
  /** Never (default), OnFailure, Always. */
  readonly restartPolicy?: RestartPolicy;
  /** Seconds between the stop signal and SIGKILL, default 10 (the seed's 1 is too short for most servers). */
  readonly killPolicy?: {readonly graceSeconds: number};
  readonly netLimit?: {readonly egressMbps: number};
  readonly labels?: Readonly<Record<string, string>>;
  readonly ipc?: string;
  /** Defaults to bcs-executor/pause:local. */
  readonly infraImage?: string;
  readonly containers: readonly ContainerSpec[];
}
