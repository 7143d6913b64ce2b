/**
The fake runtime's networks: Docker's three predefined ones plus user networks, each with a subnet and an
address allocator, and the endpoints of running containers.
*/
import type {NetworkCreateSpec, NetworkDetails} from '../../src/runtime/port.js';
import {conflict, engineError, hexId, matchesLabels, notFound} from './fake-runtime-util.js';

export interface FakeNetwork {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly subnet: string;
  readonly gateway: string;
  readonly predefined: boolean;
  /** Container id → {address, container name} while attached. */
  readonly endpoints: Map<string, {ipv4Address: string; name: string}>;
  nextHost: number;
}

export class FakeNetworkStore {
  readonly #networks = new Map<string, FakeNetwork>();
  #subnets = 0;

  constructor() {
    this.#add('bridge', 'bridge', {}, '172.17.0.0/16', '172.17.0.1', true);
    this.#add('host', 'host', {}, '', '', true);
    this.#add('none', 'null', {}, '', '', true);
  }

  #add(
    name: string,
    driver: string,
    labels: Readonly<Record<string, string>>,
    subnet: string,
    gateway: string,
    predefined: boolean,
  ): FakeNetwork {
    const network: FakeNetwork = {
      id: hexId(`fake-network-${name}-${this.#networks.size}`),
      name,
      driver,
      labels: {...labels},
      subnet,
      gateway,
      predefined,
      endpoints: new Map(),
      nextHost: 1,
    };
    this.#networks.set(network.id, network);
    return network;
  }

  create(spec: NetworkCreateSpec): FakeNetwork {
    if (this.find(spec.name)?.name === spec.name) {
      throw conflict('ALREADY_EXISTS', 'network', spec.name, `network with name ${spec.name} already exists`);
    }
    this.#subnets++;
    const subnet = spec.subnet ?? `172.${(17 + this.#subnets) % 256}.0.0/16`;
    const gateway = spec.gateway ?? subnet.replace(/\.0\/\d+$/, '.1');
    return this.#add(spec.name, spec.driver ?? 'bridge', spec.labels ?? {}, subnet, gateway, false);
  }

  /** By id, name, or unique id prefix. */
  find(ref: string): FakeNetwork | undefined {
    const byId = this.#networks.get(ref);
    if (byId !== undefined) return byId;
    for (const network of this.#networks.values()) if (network.name === ref) return network;
    const matches = [...this.#networks.values()].filter(
      (network) => ref !== '' && network.id.startsWith(ref),
    );
    return matches.length === 1 ? matches[0] : undefined;
  }

  get(ref: string): FakeNetwork {
    const network = this.find(ref);
    if (network === undefined) throw notFound('network', ref);
    return network;
  }

  list(labels: readonly string[] | undefined): FakeNetwork[] {
    return [...this.#networks.values()].filter((network) => matchesLabels(network.labels, labels));
  }

  /** Removes a user network; predefined ones and ones with live endpoints are refused (Docker's 403). */
  remove(network: FakeNetwork): void {
    if (network.predefined) {
      throw engineError(403, `${network.name} is a pre-defined network and cannot be removed`);
    }
    if (network.endpoints.size > 0) {
      throw engineError(
        403,
        `error while removing network: network ${network.name} id ${network.id} has active endpoints`,
      );
    }
    this.#networks.delete(network.id);
  }

  /** Attaches a container, allocating the next address of the subnet (none for host and none). */
  attach(network: FakeNetwork, containerId: string, name: string, requested?: string): string {
    if (network.subnet === '') return '';
    const base = network.subnet.replace(/\.\d+\.\d+\/\d+$/, '');
    const address =
      requested ?? `${base}.${Math.floor(network.nextHost / 254)}.${(network.nextHost % 254) + 1}`;
    if (requested === undefined) network.nextHost++;
    network.endpoints.set(containerId, {ipv4Address: address, name});
    return address;
  }

  detach(network: FakeNetwork, containerId: string): void {
    network.endpoints.delete(containerId);
  }
}

export function toNetworkDetails(network: FakeNetwork): NetworkDetails {
  return {
    id: network.id,
    name: network.name,
    driver: network.driver,
    labels: {...network.labels},
    subnets: network.subnet === '' ? [] : [network.subnet],
    containers: Object.fromEntries([...network.endpoints].map(([id, endpoint]) => [id, {...endpoint}])),
  };
}
