/**
Pure translations from podman's Docker-compatible API (podman 4.3) to the answers dockerd gives, so the engine
sees one runtime. Each function is applied only when the connection negotiated with podman; what cannot be
translated is listed in docs/podman.md.
*/
import type {
  ContainerDetails,
  ContainerNetwork,
  ContainerSummary,
  EventsOptions,
  ImageDetails,
  ImageSummary,
  ResourceUpdate,
  RuntimeEvent,
  TopResult,
} from '../port.js';
import {compact} from './json.js';

/** Podman's name for the default network in container inspect; its own `/networks` calls it `bridge`. */
const PODMAN_DEFAULT_NETWORK = 'podman';

/**
Docker's familiar form of a reference: podman qualifies every short name it stores (`bcs-executor/demo:local`
comes back as `docker.io/bcs-executor/demo:local`), while dockerd shows `bcs-executor/demo:local` and
`busybox:latest` for `docker.io/library/busybox:latest`.
*/
export function familiarImage(ref: string): string {
  const library = /^docker\.io\/library\/([^/]+)$/.exec(ref);
  if (library?.[1] !== undefined) return library[1];
  return ref.startsWith('docker.io/') ? ref.slice('docker.io/'.length) : ref;
}

/** Container inspect: the familiar image name and podman's default network under Docker's name `bridge`. */
export function fromPodmanDetails(details: ContainerDetails): ContainerDetails {
  const networks = details.network.networks;
  const renamed: Record<string, ContainerNetwork> = {};
  for (const [name, network] of Object.entries(networks)) {
    const dockerName = name === PODMAN_DEFAULT_NETWORK && networks['bridge'] === undefined ? 'bridge' : name;
    renamed[dockerName] = network;
  }
  return {
    ...details,
    image: familiarImage(details.image),
    network: {...details.network, networks: renamed},
  };
}

export function fromPodmanSummary(summary: ContainerSummary): ContainerSummary {
  return {...summary, image: familiarImage(summary.image)};
}

export function fromPodmanImage<T extends ImageSummary | ImageDetails>(image: T): T {
  return {
    ...image,
    repoTags: image.repoTags.map(familiarImage),
    repoDigests: image.repoDigests.map(familiarImage),
  };
}

/** Podman's image ids (commit answers) lack Docker's `sha256:` prefix. */
export function dockerImageId(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? `sha256:${id}` : id;
}

/**
Event filter names: podman filters on its own status names before renaming them for Docker clients, so a
filter on `die` must say `died` and one on `destroy` must say `remove`.
*/
const FILTER_ACTIONS: Readonly<Record<string, string>> = {die: 'died', destroy: 'remove'};

/**
The event filters podman understands: its own action names, and only `key=value` label filters (podman 4.3
matches nothing for a bare `key`, which Docker reads as "has this label"); bare keys come back as `labelKeys`
for the caller to check on each event, whose attributes carry every label.
*/
export function toPodmanEventFilters(options: EventsOptions): {
  readonly options: EventsOptions;
  readonly labelKeys: readonly string[];
} {
  const labels = options.labels ?? [];
  const actions = options.actions?.map((action) => FILTER_ACTIONS[action] ?? action);
  return {
    options: {
      ...options,
      labels: labels.filter((label) => label.includes('=')),
      ...(actions === undefined ? {} : {actions: [...new Set(actions)]}),
    },
    labelKeys: labels.filter((label) => !label.includes('=')),
  };
}

/** True when the event carries every one of `keys` among its attributes (labels). */
export function hasLabels(event: RuntimeEvent, keys: readonly string[]): boolean {
  return keys.every((key) => event.attributes[key] !== undefined);
}

/**
One event as dockerd would send it: a container's `remove` is Docker's `destroy`, `health_status` carries the
status in the action (`health_status: healthy`), and the image attribute is in familiar form. Podman sends no
`signal` attribute on `kill` (nothing here can know it).
*/
export function fromPodmanEvent(event: RuntimeEvent): RuntimeEvent {
  if (event.type !== 'container') return event;
  const health = event.attributes['health_status'];
  const action =
    event.action === 'remove'
      ? 'destroy'
      : event.action === 'health_status' && health !== undefined && health !== ''
        ? `health_status: ${health}`
        : event.action;
  const image = event.attributes['image'];
  const attributes =
    image === undefined ? event.attributes : {...event.attributes, image: familiarImage(image)};
  return {...event, action, attributes};
}

/**
Podman's compat `top` runs `ps` inside the container and hands back each line as one cell (`["PID USER
COMMAND"]`); Docker splits the columns, the last one keeping its spaces.
*/
export function splitTopColumns(top: TopResult): TopResult {
  const [header] = top.titles;
  if (top.titles.length !== 1 || header === undefined) return top;
  const titles = header.trim().split(/\s+/);
  if (titles.length < 2) return top;
  const processes = top.processes.map((row) => {
    if (row.length !== 1) return row;
    const cells = (row[0] ?? '').trim().split(/\s+/);
    return [...cells.slice(0, titles.length - 1), cells.slice(titles.length - 1).join(' ')];
  });
  return {titles, processes};
}

/** The body of podman's `POST /libpod/containers/{id}/update` (OCI LinuxResources); compat has no update. */
export function toLibpodUpdateBody(update: ResourceUpdate): Readonly<Record<string, unknown>> {
  const cpu = compact({shares: update.cpuShares, period: update.cpuPeriod, quota: update.cpuQuota});
  const memory = compact({limit: update.memory, swap: update.memorySwap});
  return compact({
    cpu: Object.keys(cpu).length > 0 ? cpu : undefined,
    memory: Object.keys(memory).length > 0 ? memory : undefined,
    pids: update.pidsLimit === undefined ? undefined : {limit: update.pidsLimit},
  });
}
