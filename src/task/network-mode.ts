/**
The seed's network names (`bridge`, `host`, `none`, `container:<id>`, or a user-defined network) and how they
map to Docker's `HostConfig.NetworkMode` and back.
*/

const CONTAINER_PREFIX = 'container:';

/** Names that are not user-defined networks: Docker's built-in modes, and `default` (the daemon's bridge). */
const BUILT_IN = new Set(['', 'bridge', 'default', 'host', 'none']);

/** `container:<id>`: the container joins another container's network namespace. */
export function isContainerNetworkMode(name: string | undefined): boolean {
  return name?.startsWith(CONTAINER_PREFIX) ?? false;
}

/** A network created with `docker network create`: the only kind where a requested IP means anything. */
export function isUserDefinedNetwork(name: string | undefined): boolean {
  return name !== undefined && !BUILT_IN.has(name) && !isContainerNetworkMode(name);
}

/** The task's network name as Docker's NetworkMode: `bridge` is sent as `default`, as the seed did. */
export function toDockerNetworkMode(name: string): string {
  return name === 'bridge' ? 'default' : name;
}

/** Docker's NetworkMode as the task names it: `default` reads back as `bridge`. */
export function fromDockerNetworkMode(mode: string): string {
  return mode === 'default' ? 'bridge' : mode;
}
