/**
Checks on a task's networking: what Docker refuses with a `container:` network mode (seed-spec §4.2, §7 case 20),
requested IPs, extra hosts and the hostname.
*/
import {isIP, isIPv4} from 'node:net';
import type {ValidationIssue} from '../errors.js';
import {fieldPath, indexPath} from './issue-path.js';
import {isContainerNetworkMode, isUserDefinedNetwork} from './network-mode.js';
import type {BcsContainerTask} from './types.js';

const HOSTNAME_LABEL = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
/** The kernel's limit (HOST_NAME_MAX). */
const HOSTNAME_MAX_LENGTH = 64;

type NetworkFields = Pick<
  BcsContainerTask,
  'networkName' | 'networkIPAddr' | 'hostName' | 'hosts' | 'portBindings' | 'publishAllPorts'
>;

/** What a container joining another's network namespace may not set: the namespace owner has it. */
function containerModeIssues(task: NetworkFields, path: string): ValidationIssue[] {
  const mode = task.networkName ?? '';
  if (!isContainerNetworkMode(mode)) return [];
  const issues: ValidationIssue[] = [];
  const conflict = (key: string, what: string): void => {
    issues.push({
      path: fieldPath(path, key),
      message: `${what} cannot be set with network mode "${mode}": it belongs to the container that owns the network`,
    });
  };
  if (mode === 'container:') {
    issues.push({
      path: fieldPath(path, 'networkName'),
      message: 'network mode "container:" names no container',
    });
  }
  if ((task.hostName ?? '') !== '') conflict('hostName', 'a hostname');
  if ((task.hosts ?? []).length > 0) conflict('hosts', 'extra hosts');
  if (Object.keys(task.portBindings ?? {}).length > 0) conflict('portBindings', 'port bindings');
  if (task.publishAllPorts === true) conflict('publishAllPorts', 'publishAllPorts');
  return issues;
}

function requestedIpIssues(task: NetworkFields, path: string): ValidationIssue[] {
  const ip = task.networkIPAddr ?? '';
  if (ip === '') return [];
  const issuePath = fieldPath(path, 'networkIPAddr');
  const issues: ValidationIssue[] = [];
  if (!isIPv4(ip))
    issues.push({path: issuePath, message: `"${ip}" is not an IPv4 address`, allowed: 'an IPv4 address'});
  if (!isUserDefinedNetwork(task.networkName)) {
    issues.push({
      path: issuePath,
      message: `a requested IP needs a user-defined network, not network mode "${task.networkName ?? ''}"`,
      allowed: 'a network made with `docker network create`',
    });
  }
  return issues;
}

function hostsIssues(hosts: readonly string[], path: string): ValidationIssue[] {
  return hosts.flatMap((entry, index) => {
    const colon = entry.indexOf(':');
    const name = entry.slice(0, Math.max(colon, 0));
    const ip = entry.slice(colon + 1);
    if (colon > 0 && !/\s/.test(name) && (isIP(ip) !== 0 || ip === 'host-gateway')) return [];
    return [
      {
        path: indexPath(path, index),
        message: `extra host "${entry}" is not host:ip`,
        allowed: 'host:ip, e.g. db:10.0.0.3 (or host:host-gateway)',
      },
    ];
  });
}

function hostnameIssues(hostName: string, path: string): ValidationIssue[] {
  const valid =
    hostName.length <= HOSTNAME_MAX_LENGTH &&
    hostName.split('.').every((label) => HOSTNAME_LABEL.test(label));
  if (valid) return [];
  return [
    {
      path,
      message: `hostname "${hostName}" is not a valid host name`,
      allowed: `at most ${HOSTNAME_MAX_LENGTH} characters; dot-separated labels of a-z, A-Z, 0-9 and inner -`,
    },
  ];
}

/** Every networking problem of a task, at `path.<field>`. */
export function validateNetworking(task: NetworkFields, path: string): ValidationIssue[] {
  return [
    ...containerModeIssues(task, path),
    ...requestedIpIssues(task, path),
    ...hostsIssues(task.hosts ?? [], fieldPath(path, 'hosts')),
    ...((task.hostName ?? '') === '' ? [] : hostnameIssues(task.hostName ?? '', fieldPath(path, 'hostName'))),
  ];
}
