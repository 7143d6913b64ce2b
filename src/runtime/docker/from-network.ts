import type {NetworkDetails} from '../port.js';
import {arr, obj, optStr, str, strMap} from './json.js';

/**
Maps `GET /networks/{id}` (or one entry of the list, whose `Containers` Docker leaves empty). Addresses lose
their prefix length (`172.18.0.2/16` → `172.18.0.2`) to read like ContainerNetwork.ipAddress.
*/
export function fromNetwork(json: unknown): NetworkDetails {
  const containers: Record<string, {readonly ipv4Address: string; readonly name: string}> = {};
  for (const [id, endpoint] of Object.entries(obj(json, 'Containers'))) {
    containers[id] = {
      ipv4Address: str(endpoint, 'IPv4Address').replace(/\/\d+$/, ''),
      name: str(endpoint, 'Name'),
    };
  }
  return {
    id: str(json, 'Id'),
    name: str(json, 'Name'),
    driver: str(json, 'Driver'),
    labels: strMap(json, 'Labels'),
    subnets: arr(obj(json, 'IPAM'), 'Config')
      .map((config) => optStr(config, 'Subnet'))
      .filter((subnet): subnet is string => subnet !== undefined && subnet !== ''),
    containers,
  };
}
