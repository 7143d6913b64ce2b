/**
The labels a pod's containers carry (docs/pods.md, "Objects in Docker"): the only place a pod is recorded.
Every engine process rebuilds the same pods from them, so they are written once, at create, and read here.
*/
import {LABEL_PREFIX, LABELS} from '../constants.js';

/** Labels the pod layer adds to the common set in `LABELS`. */
export const POD_LABELS = {
  /** On the infra: how many app containers the pod has (a crash mid-create leaves fewer). */
  containers: `${LABEL_PREFIX}containers`,
  /** On the infra: `<host>:<pid>:<process start ms>` of the process that created the pod. */
  creator: `${LABEL_PREFIX}creator`,
  /** On the infra: creation time, milliseconds since the epoch. */
  createdAt: `${LABEL_PREFIX}created-at`,
  /** On the infra: `0` when the pod was created without starting it (so never-started apps are expected). */
  autostart: `${LABEL_PREFIX}autostart`,
  /** On the infra of a CNI pod: what DEL needs once the creating process is gone. */
  cniNetwork: `${LABEL_PREFIX}cni-network`,
  cniConfDir: `${LABEL_PREFIX}cni-conf-dir`,
  cniIfName: `${LABEL_PREFIX}cni-ifname`,
  /** The requested pod IP, when one was requested. */
  cniIp: `${LABEL_PREFIX}cni-ip`,
  cniEgressMbps: `${LABEL_PREFIX}cni-egress-mbps`,
  /**
  On an app made from a pod spec: the env keys whose values are secret, as a JSON array (names, never values),
  so an inspect or a commit of the container hides them even when the pod's spec is no longer known.
  */
  secretEnv: `${LABEL_PREFIX}secret-env`,
} as const;

/** The `managed` label's value: the schema version of these labels. */
export const MANAGED_VERSION = '1';

/** A pod member's role. */
export type PodRole = 'infra' | 'app';

/** The name an infra container has in views and `POD/CONTAINER` refs. */
export const INFRA_NAME = 'infra';

/** The Docker name of a pod's infra container. */
export function infraDockerName(pod: string): string {
  return `${pod}-${INFRA_NAME}`;
}

/** The label filter that selects every container of `pod`. */
export function podLabelFilter(pod: string): string {
  return `${LABELS.pod}=${pod}`;
}

/** Labels common to both roles. */
function baseLabels(pod: string, role: PodRole, specHash: string): Record<string, string> {
  return {
    [LABELS.managed]: MANAGED_VERSION,
    [LABELS.pod]: pod,
    [LABELS.role]: role,
    [LABELS.specHash]: specHash,
  };
}

/** What the infra's labels record about the pod. */
export interface InfraLabelInput {
  readonly pod: string;
  readonly specHash: string;
  /** The spec as JSON, secrets masked. */
  readonly specJson: string;
  readonly containers: number;
  readonly creator: string;
  readonly createdAt: number;
  readonly autostart: boolean;
  readonly cni?: {
    readonly network: string;
    readonly confDir: string;
    readonly ifName: string;
    readonly ip?: string;
    readonly egressMbps?: number;
  };
  /** The pod's own labels (`spec.labels`), under the engine's. */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** The infra container's labels: the pod's own, then the engine's (which win on a clash). */
export function infraLabels(input: InfraLabelInput): Record<string, string> {
  const {cni} = input;
  return {
    ...input.podLabels,
    ...baseLabels(input.pod, 'infra', input.specHash),
    [LABELS.container]: INFRA_NAME,
    [LABELS.spec]: input.specJson,
    [POD_LABELS.containers]: String(input.containers),
    [POD_LABELS.creator]: input.creator,
    [POD_LABELS.createdAt]: String(input.createdAt),
    [POD_LABELS.autostart]: input.autostart ? '1' : '0',
    ...(cni === undefined
      ? {}
      : {
          [POD_LABELS.cniNetwork]: cni.network,
          [POD_LABELS.cniConfDir]: cni.confDir,
          [POD_LABELS.cniIfName]: cni.ifName,
          ...(cni.ip === undefined ? {} : {[POD_LABELS.cniIp]: cni.ip}),
          ...(cni.egressMbps === undefined ? {} : {[POD_LABELS.cniEgressMbps]: String(cni.egressMbps)}),
        }),
  };
}

/** An app container's labels: its task's labels (the pod's and its own), then the engine's. */
export function appLabels(input: {
  readonly pod: string;
  readonly specHash: string;
  readonly container: string;
  readonly order: number;
  readonly taskLabels?: Readonly<Record<string, string>>;
  /** The pod's secret env keys; undefined (no label) when nothing says which are (a pod of bare tasks). */
  readonly secretEnv?: readonly string[] | undefined;
}): Record<string, string> {
  return {
    ...input.taskLabels,
    ...baseLabels(input.pod, 'app', input.specHash),
    [LABELS.container]: input.container,
    [LABELS.order]: String(input.order),
    ...(input.secretEnv === undefined
      ? {}
      : {[POD_LABELS.secretEnv]: JSON.stringify([...input.secretEnv].sort())}),
  };
}

/** The secret env keys an app recorded; undefined when it recorded none (or the label is not a string list). */
export function readSecretEnvLabel(
  labels: Readonly<Record<string, string>>,
): ReadonlySet<string> | undefined {
  const text = labels[POD_LABELS.secretEnv];
  if (text === undefined) return undefined;
  try {
    const keys: unknown = JSON.parse(text);
    if (Array.isArray(keys) && keys.every((key): key is string => typeof key === 'string'))
      return new Set(keys);
  } catch {
    // Not JSON: treated as no record, so every value is hidden.
  }
  return undefined;
}

/** What the labels of one container say about its place in a pod; undefined for anything not a pod member. */
export interface MemberLabels {
  readonly pod: string;
  readonly role: PodRole;
  /** Spec name (`infra` for the infra). */
  readonly container: string;
  /** Spec order of an app; -1 for the infra. */
  readonly order: number;
  readonly specHash: string;
}

/** A container's place in its pod, from its labels; undefined for a container that is no pod member. */
export function readMemberLabels(labels: Readonly<Record<string, string>>): MemberLabels | undefined {
  const pod = labels[LABELS.pod];
  const role = labels[LABELS.role];
  if (labels[LABELS.managed] === undefined || pod === undefined || pod === '') return undefined;
  if (role !== 'infra' && role !== 'app') return undefined;
  const order = role === 'infra' ? -1 : Number(labels[LABELS.order] ?? 'NaN');
  return {
    pod,
    role,
    container: role === 'infra' ? INFRA_NAME : (labels[LABELS.container] ?? ''),
    order: Number.isInteger(order) ? order : Number.MAX_SAFE_INTEGER,
    specHash: labels[LABELS.specHash] ?? '',
  };
}

/** What a CNI pod's infra labels say DEL needs; undefined for a pod on a Docker network. */
export interface CniLabels {
  readonly network: string;
  readonly confDir: string;
  readonly ifName: string;
  readonly ip?: string;
  readonly egressMbps?: number;
}

/** What a cni pod's infra recorded for CNI DEL; undefined for a pod on a Docker network. */
export function readCniLabels(labels: Readonly<Record<string, string>>): CniLabels | undefined {
  const network = labels[POD_LABELS.cniNetwork];
  const confDir = labels[POD_LABELS.cniConfDir];
  if (network === undefined || confDir === undefined) return undefined;
  const ip = labels[POD_LABELS.cniIp];
  const egress = Number(labels[POD_LABELS.cniEgressMbps] ?? 'NaN');
  return {
    network,
    confDir,
    ifName: labels[POD_LABELS.cniIfName] ?? 'eth1',
    ...(ip === undefined || ip === '' ? {} : {ip}),
    ...(Number.isFinite(egress) && egress > 0 ? {egressMbps: egress} : {}),
  };
}

/** The infra's record of how the pod was made, for the half-created rule. */
export interface CreationLabels {
  readonly containers: number;
  readonly creator: string;
  readonly createdAt: number;
  readonly autostart: boolean;
}

/** The infra's creation record (`containers` is -1 when the label is missing or bad). */
export function readCreationLabels(labels: Readonly<Record<string, string>>): CreationLabels {
  const containers = Number(labels[POD_LABELS.containers] ?? 'NaN');
  const createdAt = Number(labels[POD_LABELS.createdAt] ?? 'NaN');
  return {
    containers: Number.isInteger(containers) && containers >= 0 ? containers : -1,
    creator: labels[POD_LABELS.creator] ?? '',
    createdAt: Number.isFinite(createdAt) ? createdAt : 0,
    autostart: labels[POD_LABELS.autostart] !== '0',
  };
}
