/**
Per-registry credentials (seed-spec §8.17): the seed sent its one user and password to whatever registry an
image named. Here credentials go only with references to the registry they were given for.
*/
import type {ImageReference} from '../images/reference.js';
import type {RegistryAuth} from '../runtime/port.js';

/** Docker Hub's many spellings, all meaning the registry that references call `docker.io`. */
const DOCKER_HUB_ALIASES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
]);

/** The registry host[:port] of a `serveraddress` (`https://index.docker.io/v1/`, `reg.example.com:5000`). */
export function registryOfServerAddress(serverAddress: string): string {
  const host = serverAddress
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')[0]
    ?.toLowerCase();
  if (host === undefined || host === '') return '';
  return DOCKER_HUB_ALIASES.has(host) ? 'docker.io' : host;
}

/** `auth` when it is for the registry of `reference`, else undefined (so nothing is sent). */
export function authFor(reference: ImageReference, auth: RegistryAuth | undefined): RegistryAuth | undefined {
  if (auth === undefined) return undefined;
  const registry = registryOfServerAddress(auth.serveraddress);
  return registry !== '' && registry === reference.registry.toLowerCase() ? auth : undefined;
}
