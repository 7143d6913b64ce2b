/**
Rules of the pod spec that involve more than one field. They run on the fields that passed their own checks,
so a spec with many problems gets all of them in one answer.
*/
import type {ValidationIssue} from '../../errors.js';
import {fieldPath, indexPath} from '../../task/issue-path.js';
import {dockerProtocol} from '../../task/port-key.js';
import type {PodNetworkSpec, PodPortSpec, PodSpec} from '../spec-types.js';
import {DEFAULT_NETWORK, DEFAULT_PORT_PROTOCOL} from './defaults.js';
import {portKey} from './infra-settings.js';

/** The pod's fields that passed, with the spec index of each kept port. */
export interface PodFields {
  readonly fields: Partial<Omit<PodSpec, 'containers'>>;
  /** The network was given but failed its checks: rules that depend on it are skipped. */
  readonly networkFailed: boolean;
  readonly portIndices: readonly number[];
  /** Names of the containers whose name passed, with their spec index. */
  readonly containerNames: readonly {readonly index: number; readonly name: string}[];
}

const WILDCARD_IPS = new Set(['', '0.0.0.0', '::']);

function uniqueNameIssues(names: PodFields['containerNames']): ValidationIssue[] {
  const seen = new Map<string, number>();
  const issues: ValidationIssue[] = [];
  for (const {index, name} of names) {
    const earlier = seen.get(name);
    if (earlier === undefined) {
      seen.set(name, index);
      continue;
    }
    issues.push({
      path: fieldPath(indexPath('containers', index), 'name'),
      message: `"${name}" is already the name of ${indexPath('containers', earlier)}`,
      allowed: 'a name used by no other container of the pod',
    });
  }
  return issues;
}

function netLimitIssues(network: PodNetworkSpec, fields: PodFields['fields']): ValidationIssue[] {
  if (fields.netLimit === undefined || network.driver === 'cni') return [];
  return [
    {
      path: 'netLimit',
      message:
        'an egress limit needs the cni driver: the docker driver has no bandwidth plugin to enforce it',
      allowed: 'network: {driver: cni, name: <CNI network>} with netLimit, or no netLimit',
    },
  ];
}

function networkPortIssues(
  network: PodNetworkSpec,
  ports: readonly PodPortSpec[],
  indices: readonly number[],
): ValidationIssue[] {
  if (ports.length === 0) return [];
  if (network.driver === 'docker' && (network.name === 'host' || network.name === 'none')) {
    const why =
      network.name === 'host'
        ? 'host networking uses the host ports directly'
        : 'network none has no interface to publish on';
    return [
      {
        path: 'ports',
        message: `network "${network.name}" publishes nothing: ${why}`,
        allowed: 'no ports, or another network',
      },
    ];
  }
  if (network.driver !== 'cni') return [];
  return ports.flatMap((port, position) =>
    (port.hostPort ?? 0) === 0
      ? []
      : [
          {
            path: fieldPath(indexPath('ports', indices[position] ?? position), 'hostPort'),
            message:
              'a cni pod cannot publish host ports: its infra container has no Docker network (network none)',
            allowed: '0 or absent (the pod IP is reachable directly)',
          },
        ],
  );
}

function hostAddress(port: PodPortSpec): string {
  return `${port.hostIP === undefined || port.hostIP === '' ? '*' : port.hostIP}:${port.hostPort ?? 0}`;
}

/** Two published ports clash on the same host port and protocol when their IPs are equal or one is a wildcard. */
function clash(a: PodPortSpec, b: PodPortSpec): boolean {
  if ((a.hostPort ?? 0) === 0 || a.hostPort !== b.hostPort) return false;
  const protocol = (port: PodPortSpec): string | undefined =>
    dockerProtocol(port.protocol ?? DEFAULT_PORT_PROTOCOL);
  if (protocol(a) !== protocol(b)) return false;
  const ipA = a.hostIP ?? '';
  const ipB = b.hostIP ?? '';
  return ipA === ipB || WILDCARD_IPS.has(ipA) || WILDCARD_IPS.has(ipB);
}

function duplicatePortIssues(ports: readonly PodPortSpec[], indices: readonly number[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (position: number): string => indexPath('ports', indices[position] ?? position);
  const keys = new Map<string, number>();
  ports.forEach((port, position) => {
    const key = portKey(port);
    const earlier = keys.get(key);
    if (earlier === undefined) keys.set(key, position);
    else {
      issues.push({
        path: fieldPath(at(position), 'containerPort'),
        message: `container port ${key} is already listed by ${at(earlier)}: a pod lists each container port once`,
      });
    }
    const other = ports.findIndex((candidate, index) => index < position && clash(candidate, port));
    if (other >= 0) {
      issues.push({
        path: fieldPath(at(position), 'hostPort'),
        message: `host port ${hostAddress(port)}/${dockerProtocol(port.protocol ?? DEFAULT_PORT_PROTOCOL) ?? ''} is already published by ${at(other)}`,
        allowed: 'a host port, protocol and host IP used by no other entry',
      });
    }
  });
  return issues;
}

/** Every cross-field problem of the pod: container names, network against ports and egress limit, port clashes. */
export function podRuleIssues(pod: PodFields): ValidationIssue[] {
  const ports = pod.fields.ports ?? [];
  const issues = [...uniqueNameIssues(pod.containerNames), ...duplicatePortIssues(ports, pod.portIndices)];
  if (!pod.networkFailed) {
    const network = pod.fields.network ?? DEFAULT_NETWORK;
    issues.push(
      ...netLimitIssues(network, pod.fields),
      ...networkPortIssues(network, ports, pod.portIndices),
    );
  }
  return issues;
}
