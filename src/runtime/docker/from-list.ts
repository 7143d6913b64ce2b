import type {ContainerSummary, PublishedPort} from '../port.js';
import {arr, num, str, strList, strMap} from './json.js';
import {toContainerStatus} from './from-inspect.js';

/** Maps one entry of `GET /containers/json` to a ContainerSummary. */
export function fromContainerSummary(json: unknown): ContainerSummary {
  const [firstName = ''] = strList(json, 'Names');
  return {
    id: str(json, 'Id'),
    name: firstName.replace(/^\//, ''),
    image: str(json, 'Image'),
    imageId: str(json, 'ImageID'),
    created: num(json, 'Created'),
    labels: strMap(json, 'Labels'),
    status: toContainerStatus(str(json, 'State')),
    statusText: str(json, 'Status'),
    ports: fromSummaryPorts(arr(json, 'Ports')),
  };
}

/** The list form of ports (`[{IP, PrivatePort, PublicPort, Type}]`): only the published ones. */
function fromSummaryPorts(ports: readonly unknown[]): readonly PublishedPort[] {
  return ports
    .filter((port) => num(port, 'PublicPort') > 0)
    .map((port) => ({
      containerPort: num(port, 'PrivatePort'),
      protocol: str(port, 'Type', 'tcp'),
      hostIp: str(port, 'IP'),
      hostPort: num(port, 'PublicPort'),
    }));
}
