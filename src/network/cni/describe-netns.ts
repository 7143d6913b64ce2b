/** What a network namespace holds: its interfaces and addresses, for a pod's network status. */
import {execFile} from 'node:child_process';
import {stat} from 'node:fs/promises';
import {EngineError, throwIfAborted} from '../../errors.js';
import type {NetnsInterface} from './types.js';

/** Bounds `nsenter ... ip addr`, which answers in milliseconds unless the host is wedged. */
export const DESCRIBE_NETNS_TIMEOUT_MS = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
Parses `ip -j addr` output. Link-local addresses (scope link: every veth's fe80::) are left out since they
say nothing about how the pod is reached.
*/
export function parseIpAddrJson(text: string): NetnsInterface[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EngineError('ENGINE_ERROR', `ip -j addr printed invalid JSON: ${text.slice(0, 200)}`, {
      cause: error,
    });
  }
  if (!Array.isArray(parsed)) throw new EngineError('ENGINE_ERROR', 'ip -j addr did not print a JSON array');
  const interfaces: NetnsInterface[] = [];
  for (const link of parsed) {
    if (!isRecord(link) || typeof link.ifname !== 'string') continue;
    const addresses: string[] = [];
    const addrInfo: unknown[] = Array.isArray(link.addr_info) ? link.addr_info : [];
    for (const info of addrInfo) {
      if (!isRecord(info) || info.scope === 'link') continue;
      if (typeof info.local === 'string' && typeof info.prefixlen === 'number') {
        addresses.push(`${info.local}/${info.prefixlen}`);
      }
    }
    interfaces.push({
      ifName: link.ifname,
      mac: typeof link.address === 'string' ? link.address : '',
      addresses,
    });
  }
  return interfaces;
}

/**
Lists the interfaces and addresses inside the netns at `netnsPath` (`/proc/<pid>/ns/net` or
`/var/run/netns/<name>`) by running `nsenter --net=<path> ip -j addr` (needs root, as CNI does).
A missing netns is NOT_FOUND.
*/
export async function describeNetns(
  netnsPath: string,
  options: {readonly signal?: AbortSignal; readonly timeoutMs?: number} = {},
): Promise<NetnsInterface[]> {
  throwIfAborted(options.signal);
  try {
    await stat(netnsPath);
  } catch (error) {
    throw new EngineError('NOT_FOUND', `network namespace not found: ${netnsPath}`, {
      details: {resource: 'netns', name: netnsPath},
      cause: error,
    });
  }
  const timeoutMs = options.timeoutMs ?? DESCRIBE_NETNS_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('nsenter', [`--net=${netnsPath}`, 'ip', '-j', 'addr', 'show'], {signal}, (error, out, err) => {
      if (error === null) {
        resolve(out);
        return;
      }
      if (options.signal?.aborted === true) {
        reject(new EngineError('CANCELLED', 'describing the netns was cancelled', {cause: error}));
      } else if (deadline.aborted) {
        reject(
          new EngineError('TIMEOUT', `describing netns ${netnsPath} timed out after ${timeoutMs} ms`, {
            details: {resource: 'netns', name: netnsPath, timeoutMs},
            cause: error,
          }),
        );
      } else {
        reject(
          new EngineError(
            'ENGINE_ERROR',
            `cannot describe netns ${netnsPath}: ${err.trim() || error.message}`,
            {
              details: {resource: 'netns', name: netnsPath},
              cause: error,
            },
          ),
        );
      }
    });
  });
  return parseIpAddrJson(stdout);
}
