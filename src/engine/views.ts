/**
PodView and ContainerView, built from what Docker says (the cache's inspects), the spec on the infra's label,
the in-process overlay of an operation in flight, and the engine's health checkers and restart counts. Pure:
the same inputs give the same views in every process (except the in-memory parts the docs name).
*/
import {LABEL_PREFIX, LABELS} from '../constants.js';
import {
  derivePodStatus,
  isZeroTime,
  type AppMemberState,
  type DerivedStatus,
  type MemberState,
} from '../pod/derive-status.js';
import {INFRA_NAME, infraDockerName, readCniLabels, readMemberLabels} from '../pod/labels.js';
import {memberState, missingMember} from '../pod/member-state.js';
import {dockerNetworkIp} from '../pod/pod-infra.js';
import {DEFAULT_RESTART_POLICY, networkOf} from '../pod/spec/defaults.js';
import {dockerContainerName} from '../pod/spec/to-tasks.js';
import type {PodSpec} from '../pod/spec-types.js';
import type {ContainerDetails} from '../runtime/port.js';
import {fromDockerNetworkMode} from '../task/network-mode.js';
import type {ContainerView, HealthView, PodStatus, PodView, RestartPolicy} from './types.js';

/** A pod's containers as the cache knows them, and its spec. */
export interface PodSnapshot {
  readonly name: string;
  readonly infra: ContainerDetails | undefined;
  /** Every app container of the pod that exists. */
  readonly apps: readonly ContainerDetails[];
  readonly spec: PodSpec | undefined;
}

/** What views need beyond Docker's state. */
export interface ViewDeps {
  /** The engine's health check of a container, or null without one. */
  health(id: string): HealthView | null;
  /** Restarts this process made itself (added to Docker's RestartCount). */
  extraRestarts(id: string): number;
  /** A pod IP this process learned when it attached the pod (CNI ADD without a requested IP). */
  knownPodIp(pod: string): string | undefined;
  /**
  Whether Docker reported an `oom` for the container's current run. Docker's inspect can miss it: it keeps
  OOMKilled only when the OOM event reaches the daemon before the exit does.
  */
  oomKilled?(details: ContainerDetails): boolean;
}

/** OOMKilled as Docker keeps it, or as its `oom` event said. */
function oomOf(details: ContainerDetails, deps: ViewDeps): boolean {
  return details.state.oomKilled || (deps.oomKilled?.(details) ?? false);
}

/** An operation in flight in this process: its status wins over the derived one. */
export interface Overlay {
  readonly status: Extract<PodStatus, 'init' | 'starting' | 'killing'>;
  readonly message: string;
}

/** One app of the pod: where the spec puts it, and its container if it exists. */
export interface AppSlot {
  readonly name: string;
  readonly image: string;
  readonly details: ContainerDetails | undefined;
}

function orderOf(details: ContainerDetails): number {
  return readMemberLabels(details.labels)?.order ?? Number.MAX_SAFE_INTEGER;
}

/** The apps in spec order (the spec's containers, present or not), then any container the spec does not name. */
export function appSlots(snapshot: PodSnapshot): AppSlot[] {
  const byName = new Map(snapshot.apps.map((details) => [details.labels[LABELS.container] ?? '', details]));
  const slots: AppSlot[] = (snapshot.spec?.containers ?? []).map((container) => {
    const details = byName.get(container.name);
    byName.delete(container.name);
    return {name: container.name, image: container.image, details};
  });
  const extra = [...byName.values()].sort((a, b) => orderOf(a) - orderOf(b));
  for (const details of extra) {
    slots.push({name: details.labels[LABELS.container] ?? details.name, image: details.image, details});
  }
  return slots;
}

/** The pod's restart policy (Never when its spec says none). */
export function restartPolicyOf(snapshot: PodSnapshot): RestartPolicy {
  return snapshot.spec?.restartPolicy ?? DEFAULT_RESTART_POLICY;
}

function healthVerdict(health: HealthView | null, details: ContainerDetails | undefined): boolean | null {
  if (health !== null) return health.status === 'starting' ? null : health.status === 'healthy';
  const docker = details?.state.health?.status;
  if (docker === 'healthy') return true;
  if (docker === 'unhealthy') return false;
  return null;
}

function containerMessage(
  details: ContainerDetails | undefined,
  healthy: boolean | null,
  oomKilled: boolean,
): string {
  if (details === undefined) return 'missing';
  const {state} = details;
  const error = state.error === '' ? '' : ` (${state.error})`;
  switch (state.status) {
    case 'exited':
      return `exited with ${state.exitCode}${oomKilled ? ', OOM killed' : ''}${error}`;
    case 'running':
      return healthy === false ? 'running, unhealthy' : 'running';
    default:
      return `${state.status}${error}`;
  }
}

function time(value: string): string | null {
  return isZeroTime(value) ? null : value;
}

/** The view of one container of `pod`; `details` undefined for one that does not exist. */
export function containerView(
  pod: string,
  slot: {readonly name: string; readonly role: 'infra' | 'app'; readonly image: string},
  details: ContainerDetails | undefined,
  deps: ViewDeps,
): ContainerView {
  const health = details === undefined ? null : deps.health(details.id);
  const healthy = healthVerdict(health, details);
  const dockerName = slot.role === 'infra' ? infraDockerName(pod) : dockerContainerName(pod, slot.name);
  if (details === undefined) {
    return {
      name: slot.name,
      pod,
      role: slot.role,
      id: '',
      dockerName,
      image: slot.image,
      status: 'missing',
      healthy: null,
      health: null,
      dockerHealth: null,
      exitCode: null,
      oomKilled: false,
      restartCount: 0,
      startedAt: null,
      finishedAt: null,
      pid: 0,
      message: 'missing',
    };
  }
  const {state} = details;
  return {
    name: slot.name,
    pod,
    role: slot.role,
    id: details.id,
    dockerName: details.name,
    image: details.image,
    status: state.status,
    healthy,
    health,
    dockerHealth: state.health?.status ?? null,
    exitCode: isZeroTime(state.finishedAt) ? null : state.exitCode,
    oomKilled: oomOf(details, deps),
    restartCount: details.restartCount + deps.extraRestarts(details.id),
    startedAt: time(state.startedAt),
    finishedAt: time(state.finishedAt),
    pid: state.pid,
    message: containerMessage(details, healthy, oomOf(details, deps)),
  };
}

function envValue(details: ContainerDetails, key: string): string | undefined {
  const prefix = `${key}=`;
  return details.config.env.find((entry) => entry.startsWith(prefix))?.slice(prefix.length);
}

function networkOfSnapshot(snapshot: PodSnapshot): PodView['network'] {
  if (snapshot.spec !== undefined) {
    const network = networkOf(snapshot.spec);
    return {driver: network.driver, name: network.name};
  }
  const cni = readCniLabels(snapshot.infra?.labels ?? {});
  if (cni !== undefined) return {driver: 'cni', name: cni.network};
  return {driver: 'docker', name: fromDockerNetworkMode(snapshot.infra?.host.networkMode ?? 'bridge')};
}

/** The pod IP: the CNI address (requested, learned, or as its apps were told), or the infra's Docker address. */
export function podIpOf(snapshot: PodSnapshot, deps: ViewDeps): string {
  const network = networkOfSnapshot(snapshot);
  const {infra} = snapshot;
  if (network.driver === 'cni') {
    const requested = readCniLabels(infra?.labels ?? {})?.ip;
    if (requested !== undefined) return requested;
    const known = deps.knownPodIp(snapshot.name);
    if (known !== undefined) return known;
    for (const app of snapshot.apps) {
      const told = envValue(app, 'BCS_CONTAINER_IP');
      if (told !== undefined && told !== '') return told;
    }
    return '';
  }
  if (infra === undefined || network.name === 'host' || network.name === 'none') return '';
  return dockerNetworkIp(infra, network.name);
}

/** Derivation inputs of a snapshot. */
export function deriveSnapshot(
  snapshot: PodSnapshot,
  slots: readonly AppSlot[],
  apps: readonly ContainerView[],
): DerivedStatus {
  return derivePodStatus({
    restartPolicy: restartPolicyOf(snapshot),
    infra: snapshot.infra === undefined ? missingMember() : memberState(snapshot.infra),
    apps: slots.map((slot, index): AppMemberState => {
      const view = apps[index];
      let state: MemberState = slot.details === undefined ? missingMember() : memberState(slot.details);
      // The view already merged Docker's flag with its `oom` event.
      if (view !== undefined && view.oomKilled) state = {...state, oomKilled: true};
      // Only containers with an engine health check take part in the health summary.
      return view === undefined || view.health === null
        ? {name: slot.name, ...state}
        : {name: slot.name, ...state, healthy: view.healthy};
    }),
  });
}

function podLabels(snapshot: PodSnapshot): Record<string, string> {
  if (snapshot.spec?.labels !== undefined) return {...snapshot.spec.labels};
  const labels = snapshot.infra?.labels ?? {};
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !key.startsWith(LABEL_PREFIX)));
}

function podHealthy(apps: readonly ContainerView[]): boolean | null {
  const checked = apps.filter((app) => app.health !== null);
  if (checked.length === 0) return null;
  if (checked.some((app) => app.healthy === false)) return false;
  return checked.every((app) => app.healthy === true) ? true : null;
}

/** The pod's view; `overlay` is this process's operation in flight, if any. */
export function podView(snapshot: PodSnapshot, overlay: Overlay | undefined, deps: ViewDeps): PodView {
  const {name, infra, spec} = snapshot;
  const slots = appSlots(snapshot);
  const containers = slots.map((slot) => containerView(name, {...slot, role: 'app'}, slot.details, deps));
  const derived = deriveSnapshot(snapshot, slots, containers);
  const infraImage = spec?.infraImage ?? infra?.image ?? '';
  const createdAt = infra?.created ?? new Date(0).toISOString();
  return {
    name,
    id: infra?.id ?? '',
    status: overlay?.status ?? derived.status,
    message: overlay?.message ?? derived.message,
    ip: podIpOf(snapshot, deps),
    network: networkOfSnapshot(snapshot),
    hostname: infra?.config.hostname ?? '',
    ports: infra?.network.ports ?? [],
    restartPolicy: restartPolicyOf(snapshot),
    createdAt,
    healthy: podHealthy(containers),
    labels: podLabels(snapshot),
    specHash: (infra ?? snapshot.apps[0])?.labels[LABELS.specHash] ?? '',
    infra: containerView(name, {name: INFRA_NAME, role: 'infra', image: infraImage}, infra, deps),
    containers,
  };
}
