/**
Port bindings of a task as Docker's ExposedPorts and HostConfig.PortBindings (seed-spec §1.1, §1.3, §7 case 18).
*/
import {validationError} from '../errors.js';
import type {PortBinding} from '../runtime/port.js';
import {keyPath} from './issue-path.js';
import {PORT_KEY_FORM, parsePortKey, requestedHostPort} from './port-key.js';
import type {BcsPort} from './types.js';

export interface CreatePorts {
  readonly exposedPorts: string[];
  readonly portBindings: Record<string, PortBinding[]>;
}

/**
Every key is exposed as `<port>/<protocol>` (http and https as tcp). A binding with a host port publishes it,
on `hostIP` when given (the seed never set HostIp); a host port of 0 or empty publishes nothing. With
`publishAll`, Docker publishes the exposed ports itself, so no explicit binding is made.
*/
export function createPorts(bindings: Readonly<Record<string, BcsPort>>, publishAll: boolean): CreatePorts {
  const exposedPorts: string[] = [];
  const portBindings: Record<string, PortBinding[]> = {};
  for (const [key, binding] of Object.entries(bindings)) {
    const parsed = parsePortKey(key);
    if (parsed === undefined) {
      throw validationError(
        [
          {
            path: keyPath('portBindings', key),
            message: `port binding key "${key}" is not <port>/<protocol>`,
            allowed: PORT_KEY_FORM,
          },
        ],
        'container task',
      );
    }
    const dockerKey = `${parsed.port}/${parsed.protocol}`;
    if (!exposedPorts.includes(dockerKey)) exposedPorts.push(dockerKey);
    const hostPort = requestedHostPort(binding);
    if (publishAll || hostPort === undefined) continue;
    const hostIp = binding.hostIP ?? '';
    const entry: PortBinding = hostIp === '' ? {hostPort} : {hostIp, hostPort};
    portBindings[dockerKey] = [...(portBindings[dockerKey] ?? []), entry];
  }
  return {exposedPorts, portBindings};
}
