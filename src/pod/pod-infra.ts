/**
The infra half of creating a pod: the infra container created and started, its address read, and for the cni
driver the netns attached with CNI ADD. Everything made is recorded in a PodBuildState so a rollback removes
exactly that (never a same-named container another process made).
*/
import {cniAdd, cniDel} from '../network/cni/cni-network.js';
import {DEFAULT_CNI_IFNAME} from '../network/cni/defaults.js';
import {EngineError, throwIfAborted} from '../errors.js';
import type {ContainerDetails} from '../runtime/port.js';
import {infraCreateSpec} from './create-specs.js';
import {infraLabels, type CniLabels} from './labels.js';
import type {PodConfig} from './pod-config.js';
import {ensureAppImages, ensureInfraImage} from './pod-images.js';
import {
  cleanupSignal,
  cniTeardown,
  CREATE_BOUND_MS,
  netnsPathOf,
  removePodContainers,
  stopApps,
} from './pod-ops.js';

/** One app container made by this build. */
export interface BuiltApp {
  readonly id: string;
  started: boolean;
}

/** What a build made so far: what a rollback undoes. */
export interface PodBuildState {
  infraId: string;
  infraPid: number;
  /** The pod IP (BCS_CONTAINER_IP): see podIpOf. */
  podIp: string;
  /** Set once CNI ADD succeeded: what DEL needs. */
  cni: CniLabels | undefined;
  /** By Docker name. */
  readonly apps: Map<string, BuiltApp>;
}

/** The state of a build that has made nothing yet. */
export function emptyBuildState(): PodBuildState {
  return {infraId: '', infraPid: 0, podIp: '', cni: undefined, apps: new Map()};
}

function signalOption(signal: AbortSignal | undefined): {signal?: AbortSignal} {
  return signal === undefined ? {} : {signal};
}

/** The infra's address on its Docker network ('' for host and none, which have none of their own). */
export function dockerNetworkIp(details: ContainerDetails, networkName: string): string {
  const networks = details.network.networks;
  const named = networks[networkName === 'bridge' ? 'bridge' : networkName] ?? networks.default;
  if (named !== undefined && named.ipAddress !== '') return named.ipAddress;
  return Object.values(networks).find((network) => network.ipAddress !== '')?.ipAddress ?? '';
}

/** The CNI settings this pod's infra records, when the driver is cni. */
export function cniLabelsOf(config: PodConfig): CniLabels | undefined {
  if (config.network.driver !== 'cni' || config.cni === undefined) return undefined;
  return {
    network: config.network.name,
    confDir: config.cni.confDir,
    ifName: config.cni.ifName ?? DEFAULT_CNI_IFNAME,
    ...(config.network.ip === undefined ? {} : {ip: config.network.ip}),
    ...(config.network.egressMbps === undefined ? {} : {egressMbps: config.network.egressMbps}),
  };
}

/**
Images, then the infra created and started, then (cni) ADD. The infra always starts (the apps' env needs the pod
IP); `autostart: false` is only recorded, so the never-started apps of such a pod do not look half-created.
*/
export async function buildInfra(
  config: PodConfig,
  state: PodBuildState,
  options: {readonly signal?: AbortSignal | undefined; readonly autostart: boolean},
): Promise<void> {
  const {runtime, onProgress} = config;
  const {signal} = options;
  const cni = cniLabelsOf(config);
  if (config.network.driver === 'cni' && cni === undefined) {
    throw new EngineError(
      'UNSUPPORTED',
      `pod ${config.name} asks for CNI network ${config.network.name}, but this engine has no CNI configuration`,
      {
        details: {feature: 'cni', network: config.network.name},
      },
    );
  }
  const image = await ensureInfraImage(runtime, config.infra.image, {signal, onProgress});
  await ensureAppImages(runtime, config.tasks, {signal, onProgress});
  throwIfAborted(signal);

  onProgress?.({step: 'infra', message: `creating ${config.name} infra container`});
  const labels = infraLabels({
    pod: config.name,
    specHash: config.record.specHash,
    specJson: config.record.specJson,
    containers: config.tasks.length,
    creator: config.record.creator,
    createdAt: config.now(),
    autostart: options.autostart,
    podLabels: config.record.podLabels,
    ...(cni === undefined ? {} : {cni}),
  });
  const spec = infraCreateSpec({
    pod: config.name,
    settings: {...config.infra, image},
    restartPolicy: config.restartPolicy,
    ipc: config.ipc,
    labels,
  });
  // Not cancelled mid-call: Docker finishes a create whose request was cut, and a container whose id we never
  // learned would outlive the rollback. A create takes milliseconds; the cancel takes effect right after.
  const {id} = await runtime.createContainer(spec, {signal: cleanupSignal(CREATE_BOUND_MS)});
  state.infraId = id;
  throwIfAborted(signal);
  await startInfra(config, state, signal);
}

/** Starts the (created) infra, reads its pid and address, and attaches the CNI network. */
export async function startInfra(
  config: PodConfig,
  state: PodBuildState,
  signal?: AbortSignal,
): Promise<void> {
  const {runtime} = config;
  config.onProgress?.({step: 'infra', message: `starting ${config.name} infra container`});
  await runtime.startContainer(state.infraId, signalOption(signal));
  const details = await runtime.inspectContainer(state.infraId, signalOption(signal));
  state.infraPid = details.state.pid;
  if (!details.state.running) {
    throw new EngineError(
      'ENGINE_ERROR',
      `the infra container of ${config.name} is ${details.state.status} after its start`,
      {
        details: {resource: 'container', ref: state.infraId, status: details.state.status},
      },
    );
  }
  const cni = cniLabelsOf(config);
  if (cni === undefined) {
    const {name} = config.network;
    state.podIp = name === 'host' ? config.nodeIp : name === 'none' ? '' : dockerNetworkIp(details, name);
    return;
  }
  config.onProgress?.({step: 'network', message: `CNI ADD ${cni.network}`});
  const add = config.cni?.add ?? cniAdd;
  const result = await add({
    network: cni.network,
    containerId: state.infraId,
    netnsPath: netnsPathOf(state.infraPid),
    ifName: cni.ifName,
    confDir: cni.confDir,
    ...(cni.ip === undefined ? {} : {ip: cni.ip}),
    ...(cni.egressMbps === undefined ? {} : {egressMbps: cni.egressMbps}),
    ...(config.cni?.pluginDirs === undefined ? {} : {pluginDirs: config.cni.pluginDirs}),
    ...(config.cni?.timeoutMs === undefined ? {} : {timeoutMs: config.cni.timeoutMs}),
    ...signalOption(signal),
  });
  // cniAdd already ran DEL itself when the ADD failed; from here on a rollback owes one.
  state.cni = cni;
  state.podIp = result.podIP;
}

/**
Undoes a build: stops what runs (apps in reverse, each with its kill policy), CNI DEL, then removes the apps
and the infra. Never takes the caller's signal (it may be why we are here); each step has its own bound. The
first failure is thrown after every step was tried.
*/
export async function rollbackBuild(config: PodConfig, state: PodBuildState): Promise<void> {
  const {runtime} = config;
  const signal = cleanupSignal();
  const failures: unknown[] = [];
  const attempt = async (work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      failures.push(error);
    }
  };
  const members = config.tasks.flatMap((task, index) => {
    const app = state.apps.get(task.name);
    return app === undefined || !app.started
      ? []
      : [{id: app.id, name: config.containerNames[index] ?? task.name, graceSeconds: task.killPolicy ?? 1}];
  });
  await attempt(() => stopApps(runtime, members, {signal, withdrawRestartPolicy: true}));
  const {cni} = state;
  if (cni !== undefined && state.infraId !== '') {
    const del = config.cni?.del ?? cniDel;
    await attempt(() =>
      cniTeardown(del, {
        infraId: state.infraId,
        infraPid: state.infraPid,
        cni,
        pluginDirs: config.cni?.pluginDirs,
        timeoutMs: config.cni?.timeoutMs,
      }),
    );
    state.cni = undefined;
  }
  const ids = [...state.apps.values()].map((app) => app.id);
  await attempt(() =>
    removePodContainers(runtime, ids, state.infraId === '' ? undefined : state.infraId, signal),
  );
  state.apps.clear();
  state.infraId = '';
  state.infraPid = 0;
  if (failures.length > 0) throw failures[0];
}
