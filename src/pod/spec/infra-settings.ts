/**
What a pod's infra container carries for the whole pod: Docker refuses ports, hostname, extra hosts and DNS on
containers that join another's network namespace (seed-spec §4.2, §7 case 20), so they belong to the owner.
*/
import {dockerProtocol} from '../../task/port-key.js';
import type {BcsPort, NetLimit} from '../../task/types.js';
import type {PodPortSpec, PodSpec} from '../spec-types.js';
import {DEFAULT_PORT_PROTOCOL, infraImageOf, networkOf} from './defaults.js';

export interface InfraDns {
  readonly servers: string[];
  readonly searches: string[];
  readonly options: string[];
}

export interface InfraSettings {
  readonly image: string;
  /** The spec's hostname, else the pod name; empty on the host network, which keeps the host's. */
  readonly hostname: string;
  /** `host:ip` entries for /etc/hosts. */
  readonly hosts: string[];
  /** Keyed `<containerPort>/<protocol>`, http and https as tcp; hostPort "0" exposes without publishing. */
  readonly portBindings: Record<string, BcsPort>;
  readonly dns: InfraDns;
  /** Docker's network for the infra: the docker driver's network, or `none` for cni (CNI ADD attaches it). */
  readonly networkName: string;
  /** The requested IPv4: a Docker endpoint address (user-defined network), or the CNI `IP` arg. */
  readonly networkIPAddr?: string;
  readonly netLimit?: NetLimit;
}

/** The map key of a spec port, as the task model and Docker write it. */
export function portKey(port: PodPortSpec): string {
  const protocol = dockerProtocol(port.protocol ?? DEFAULT_PORT_PROTOCOL) ?? DEFAULT_PORT_PROTOCOL;
  return `${port.containerPort}/${protocol}`;
}

function binding(port: PodPortSpec): BcsPort {
  return {
    containerPort: String(port.containerPort),
    hostPort: String(port.hostPort ?? 0),
    protocol: port.protocol ?? DEFAULT_PORT_PROTOCOL,
    ...(port.hostIP === undefined ? {} : {hostIP: port.hostIP}),
    ...(port.name === undefined ? {} : {name: port.name}),
  };
}

/** The infra container's settings of a validated spec. */
export function infraSettings(spec: PodSpec): InfraSettings {
  const network = networkOf(spec);
  const onHost = network.driver === 'docker' && network.name === 'host';
  const portBindings: Record<string, BcsPort> = {};
  for (const port of spec.ports ?? []) portBindings[portKey(port)] = binding(port);
  return {
    image: infraImageOf(spec),
    hostname: spec.hostname ?? (onHost ? '' : spec.name),
    hosts: [...(spec.hosts ?? [])],
    portBindings,
    dns: {
      servers: [...(spec.dns?.servers ?? [])],
      searches: [...(spec.dns?.searches ?? [])],
      options: [...(spec.dns?.options ?? [])],
    },
    networkName: network.driver === 'cni' ? 'none' : network.name,
    ...(network.ip === undefined ? {} : {networkIPAddr: network.ip}),
    ...(spec.netLimit === undefined ? {} : {netLimit: {egressLimit: spec.netLimit.egressMbps}}),
  };
}
