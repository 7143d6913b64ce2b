import type {RuntimeInfo, RuntimeVersion} from '../port.js';
import {arr, num, str} from './json.js';

/** Podman's Docker-compatible API lists this component in `/version`. */
const PODMAN_COMPONENT = /podman engine/i;

/** Maps `GET /version`, with the API version this client negotiated. */
export function fromVersion(json: unknown, apiVersion: string): RuntimeVersion {
  const podman = arr(json, 'Components').some((component) => PODMAN_COMPONENT.test(str(component, 'Name')));
  return {
    apiVersion,
    serverApiVersion: str(json, 'ApiVersion'),
    minApiVersion: str(json, 'MinAPIVersion'),
    serverVersion: str(json, 'Version'),
    os: str(json, 'Os'),
    arch: str(json, 'Arch'),
    flavor: podman ? 'podman' : 'docker',
  };
}

/** Maps `GET /info`. */
export function fromInfo(json: unknown): RuntimeInfo {
  return {
    name: str(json, 'Name'),
    serverVersion: str(json, 'ServerVersion'),
    containers: num(json, 'Containers'),
    containersRunning: num(json, 'ContainersRunning'),
    images: num(json, 'Images'),
    driver: str(json, 'Driver'),
    cgroupVersion: str(json, 'CgroupVersion'),
    cgroupDriver: str(json, 'CgroupDriver'),
    ncpu: num(json, 'NCPU'),
    memTotal: num(json, 'MemTotal'),
    kernelVersion: str(json, 'KernelVersion'),
    operatingSystem: str(json, 'OperatingSystem'),
  };
}
