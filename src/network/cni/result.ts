/**
Reading plugin output: a result (any cniVersion from 0.1.0 to 1.0.0) or an error `{code, msg, details}`.
Output is `unknown` until these parsers narrow it.
*/
import type {CniInterface, CniIpConfig, CniResultSummary} from './types.js';

/** A CNI error as printed by a failing plugin (CNI spec 1.0, "Error"). */
export interface CniPluginError {
  readonly code: number;
  readonly msg: string;
  readonly details?: string;
}

/** CNI well-known error code 3: "container unknown or does not exist". */
export const CNI_ERROR_UNKNOWN_CONTAINER = 3;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseInterfaces(value: unknown): CniInterface[] {
  if (!Array.isArray(value)) return [];
  const interfaces: CniInterface[] = [];
  for (const entry of value) {
    if (!isRecord(entry) || typeof entry.name !== 'string') continue;
    const mac = optionalString(entry.mac);
    const sandbox = optionalString(entry.sandbox);
    interfaces.push({
      name: entry.name,
      ...(mac === undefined ? {} : {mac}),
      ...(sandbox === undefined ? {} : {sandbox}),
    });
  }
  return interfaces;
}

function parseIp(entry: unknown, addressKey: 'address' | 'ip'): CniIpConfig | undefined {
  if (!isRecord(entry)) return undefined;
  const address = optionalString(entry[addressKey]);
  if (address === undefined) return undefined;
  const gateway = optionalString(entry.gateway);
  const index = entry.interface;
  return {
    address,
    ...(gateway === undefined ? {} : {gateway}),
    ...(typeof index === 'number' && Number.isInteger(index) ? {interface: index} : {}),
  };
}

/**
Summarises a plugin result: `ips` and `interfaces` of 0.3.0 and later, or the `ip4`/`ip6` of 0.1.0/0.2.0.
Returns undefined when `value` is not a result object at all.
*/
export function summarizeCniResult(value: unknown): CniResultSummary | undefined {
  if (!isRecord(value)) return undefined;
  const ips: CniIpConfig[] = [];
  if (Array.isArray(value.ips)) {
    for (const entry of value.ips) {
      const ip = parseIp(entry, 'address');
      if (ip !== undefined) ips.push(ip);
    }
  } else {
    for (const key of ['ip4', 'ip6'] as const) {
      const ip = parseIp(value[key], 'ip');
      if (ip !== undefined) ips.push(ip);
    }
  }
  return {ips, interfaces: parseInterfaces(value.interfaces)};
}

/** Reads a CNI error object from plugin stdout, or undefined when the output is not one. */
export function parseCniPluginError(stdout: string): CniPluginError | undefined {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.code !== 'number' || typeof value.msg !== 'string') return undefined;
  const details = optionalString(value.details);
  return {code: value.code, msg: value.msg, ...(details === undefined ? {} : {details})};
}

/** The address part of a CIDR (`10.88.0.5/24` → `10.88.0.5`). */
export function addressOf(cidr: string): string {
  const slash = cidr.indexOf('/');
  return slash === -1 ? cidr : cidr.slice(0, slash);
}
