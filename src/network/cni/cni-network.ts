/**
Attaching a pod's network namespace to a CNI network and detaching it: the engine's `cni` network driver.
The seed's flow (cni_pod.go, network/cni): ADD with the infra container's id and `/proc/<pid>/ns/net`, the
pod IP from the result, DEL on teardown; fixed here to DEL after a failed ADD as the CNI spec asks, and to
turn the egress limit into a real bandwidth-plugin limit.
*/
import {isIP} from 'node:net';
import {EngineError, toEngineError, validationError, type ValidationIssue} from '../../errors.js';
import {egressBandwidth} from './bandwidth.js';
import {findCniNetwork} from './conf.js';
import {DEFAULT_CNI_CONF_DIR, DEFAULT_CNI_IFNAME} from './defaults.js';
import {netArgs} from './net-args.js';
import {addNetworkList, declaredCapabilities, delNetworkList, type CniAttachment} from './plugin-list.js';
import {addressOf, summarizeCniResult} from './result.js';
import type {CniInterface, CniIpConfig, CniNetworkList, CniRuntimeConfig} from './types.js';

/** What to attach (or detach) to which CNI network. */
export interface CniNetworkOptions {
  /** The CNI network's `name` in the conf dir. */
  readonly network: string;
  /** The infra container's id (CNI_CONTAINERID). */
  readonly containerId: string;
  /** The netns to attach, e.g. `/proc/<infra pid>/ns/net`. */
  readonly netnsPath: string;
  /** Interface name inside the netns; default `eth1` as the seed. */
  readonly ifName?: string;
  /** A specific pod IP, sent as CNI_ARGS `IP=<ip>` on ADD and DEL. */
  readonly ip?: string;
  /** The seed's netLimit.egressLimit in Mbps; applied by the list's bandwidth plugin. */
  readonly egressMbps?: number;
  readonly confDir?: string;
  readonly pluginDirs?: readonly string[];
  /** Deadline for each plugin run. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface CniDelOptions extends CniNetworkOptions {
  /** The ADD's `result`, passed to every plugin as prevResult when known (spec 1.0, DEL). */
  readonly prevResult?: unknown;
}

/** What ADD gave the pod. */
export interface CniAddResult {
  readonly network: string;
  readonly ips: readonly CniIpConfig[];
  readonly interfaces: readonly CniInterface[];
  /** The pod's IP: the requested one, else the first address of the result. */
  readonly podIP: string;
  /** The final plugin result as printed, to keep for cniDel's `prevResult`. */
  readonly result: unknown;
}

// CNI spec 1.0, "Parameters": container ids and interface names have these shapes.
const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const IF_NAME = /^[^\s/:]{1,15}$/;

function validate(options: CniNetworkOptions): void {
  const issues: ValidationIssue[] = [];
  if (options.network.trim() === '') issues.push({path: 'network', message: 'is required'});
  if (!CONTAINER_ID.test(options.containerId)) {
    issues.push({
      path: 'containerId',
      message: 'must be letters, digits, _ . -',
      allowed: '[A-Za-z0-9][A-Za-z0-9_.-]*',
    });
  }
  if (!options.netnsPath.startsWith('/'))
    issues.push({path: 'netnsPath', message: 'must be an absolute path'});
  const ifName = options.ifName ?? DEFAULT_CNI_IFNAME;
  if (!IF_NAME.test(ifName) || ifName === '.' || ifName === '..') {
    issues.push({path: 'ifName', message: 'must be 1-15 characters without space, / or :'});
  }
  if (options.ip !== undefined && isIP(options.ip) === 0) {
    issues.push({path: 'ip', message: `${JSON.stringify(options.ip)} is not an IP address`});
  }
  const mbps = options.egressMbps;
  if (mbps !== undefined && (!Number.isFinite(mbps) || mbps < 0)) {
    issues.push({path: 'egressMbps', message: 'must be a number >= 0', allowed: '>= 0 (0: no limit)'});
  }
  if (issues.length > 0) throw validationError(issues, 'CNI attachment');
}

function runtimeConfigFor(options: CniNetworkOptions): CniRuntimeConfig | undefined {
  const bandwidth = egressBandwidth(options.egressMbps);
  return bandwidth === undefined ? undefined : {bandwidth};
}

function attachmentFor(options: CniNetworkOptions, withSignal: boolean): CniAttachment {
  const runtimeConfig = runtimeConfigFor(options);
  return {
    containerId: options.containerId,
    netnsPath: options.netnsPath,
    ifName: options.ifName ?? DEFAULT_CNI_IFNAME,
    args: netArgs({egressMbps: options.egressMbps, ip: options.ip}),
    ...(runtimeConfig === undefined ? {} : {runtimeConfig}),
    ...(options.pluginDirs === undefined ? {} : {pluginDirs: options.pluginDirs}),
    ...(options.timeoutMs === undefined ? {} : {timeoutMs: options.timeoutMs}),
    ...(withSignal && options.signal !== undefined ? {signal: options.signal} : {}),
  };
}

// Without a plugin that declares the capability, the limit would be dropped without a word.
function requireBandwidthPlugin(list: CniNetworkList, options: CniNetworkOptions): void {
  if (runtimeConfigFor(options) === undefined) return;
  if (list.plugins.some((plugin) => declaredCapabilities(plugin).includes('bandwidth'))) return;
  throw new EngineError(
    'UNSUPPORTED',
    `CNI network ${list.name} (${list.file}) cannot apply an egress limit: add {"type": "bandwidth", "capabilities": {"bandwidth": true}} to its plugins`,
    {details: {resource: 'cni-network', name: list.name, file: list.file, egressMbps: options.egressMbps}},
  );
}

function checkResult(list: CniNetworkList, options: CniNetworkOptions, result: unknown): CniAddResult {
  const summary = summarizeCniResult(result) ?? {ips: [], interfaces: []};
  const [first] = summary.ips;
  if (first === undefined) {
    throw new EngineError(
      'ENGINE_ERROR',
      `CNI network ${list.name} gave the pod no IP address (lack of ip resource)`,
      {
        details: {resource: 'cni-network', name: list.name, result},
      },
    );
  }
  const assigned = summary.ips.map((ip) => addressOf(ip.address));
  if (options.ip !== undefined && !assigned.includes(options.ip)) {
    // IgnoreUnknown=1 lets a plugin drop the IP arg silently; the pod must not advertise an address it lacks.
    throw new EngineError(
      'ENGINE_ERROR',
      `CNI network ${list.name} did not assign the requested IP ${options.ip} (got ${assigned.join(', ')})`,
      {details: {resource: 'cni-network', name: list.name, requested: options.ip, assigned}},
    );
  }
  return {
    network: list.name,
    ips: summary.ips,
    interfaces: summary.interfaces,
    podIP: options.ip ?? addressOf(first.address),
    result,
  };
}

/**
ADD: attaches `netnsPath` to the CNI network `network` and returns the pod's addresses. Any failure after
the first plugin ran (a plugin error, a timeout, cancellation, no IP in the result) runs DEL before the
error is rethrown; that DEL does not take the caller's signal (it may be the reason for the failure) but
has the same per-plugin deadline. A failing cleanup is added to the error as `details.cleanupError`.
*/
export async function cniAdd(options: CniNetworkOptions): Promise<CniAddResult> {
  validate(options);
  const list = await findCniNetwork(options.network, options.confDir ?? DEFAULT_CNI_CONF_DIR);
  requireBandwidthPlugin(list, options);

  let result: unknown;
  try {
    result = await addNetworkList(list, attachmentFor(options, true));
    return checkResult(list, options, result);
  } catch (error) {
    const failure = toEngineError(error);
    try {
      await delNetworkList(list, attachmentFor(options, false), result);
    } catch (cleanupError) {
      const cleanup = toEngineError(cleanupError);
      throw new EngineError(failure.code, failure.message, {
        details: {...failure.details, cleanupError: cleanup.toJSON()},
        cause: failure,
      });
    }
    throw failure;
  }
}

/**
DEL: detaches `netnsPath` from the network, with the same args as ADD (the seed also sent `IP=` on DEL).
Safe to repeat, and safe once the netns is gone: the plugins release what they still hold.
*/
export async function cniDel(options: CniDelOptions): Promise<void> {
  validate(options);
  const list = await findCniNetwork(options.network, options.confDir ?? DEFAULT_CNI_CONF_DIR);
  await delNetworkList(list, attachmentFor(options, true), options.prevResult);
}
