/**
The CNI model in our own types: network configuration lists as loaded from a conf dir, and the parts of a
plugin result the engine uses. Plugin configurations stay open records, since every plugin type has its own
keys and the runtime must pass them through untouched (CNI spec 1.0, "Network configuration").
*/

/** One plugin's configuration inside a list: `type` names the binary, every other key belongs to the plugin. */
export type CniPluginConf = Readonly<Record<string, unknown>> & {readonly type: string};

/** A network configuration list (`*.conflist`), or a single plugin conf (`*.conf`, `*.json`) wrapped into one. */
export interface CniNetworkList {
  readonly name: string;
  readonly cniVersion: string;
  readonly plugins: readonly CniPluginConf[];
  /** The file it came from, for error messages. */
  readonly file: string;
}

/** An interface reported by a plugin; `sandbox` is set for interfaces inside the container's netns. */
export interface CniInterface {
  readonly name: string;
  readonly mac?: string;
  readonly sandbox?: string;
}

/** An address reported by a plugin: `address` in CIDR form (`10.88.0.5/24`). */
export interface CniIpConfig {
  readonly address: string;
  readonly gateway?: string;
  /** Index into the result's `interfaces`. */
  readonly interface?: number;
}

/** The parts of a plugin result the engine reads, whatever the result's cniVersion. */
export interface CniResultSummary {
  readonly ips: readonly CniIpConfig[];
  readonly interfaces: readonly CniInterface[];
}

/** `runtimeConfig` values the runtime can offer, keyed by capability name (CNI CONVENTIONS.md). */
export type CniRuntimeConfig = Readonly<Record<string, unknown>>;

/** The `bandwidth` capability's runtimeConfig: rates in bits per second, bursts in bits. */
export interface CniBandwidth {
  readonly ingressRate?: number;
  readonly ingressBurst?: number;
  readonly egressRate?: number;
  readonly egressBurst?: number;
}

/** An interface as seen inside a network namespace (for a pod's network status). */
export interface NetnsInterface {
  readonly ifName: string;
  readonly mac: string;
  /** Addresses in CIDR form; link-local ones are left out. */
  readonly addresses: readonly string[];
}
