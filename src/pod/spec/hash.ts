/**
The canonical form of a pod spec and its hash. Two specs that mean the same pod (a default written out or left
out, keys in another order, an empty list or none) have the same canonical form and hash, so `pod.apply`
recreates a pod only when something changed. Secret values are part of the hash, so changing one recreates
the pod; the hash (16 hex digits of a sha256 over the whole spec) is what the containers' labels carry.
*/
import {createHash} from 'node:crypto';
import type {ContainerSpec, PodPortSpec, PodSpec} from '../spec-types.js';
import {
  DEFAULT_FILE_MODE,
  DEFAULT_GRACE_SECONDS,
  DEFAULT_PORT_PROTOCOL,
  DEFAULT_RESTART_POLICY,
  HEALTH_CHECK_DEFAULTS,
  infraImageOf,
  networkOf,
} from './defaults.js';
import {infraSettings} from './infra-settings.js';

const HASH_LENGTH = 16;

/** Lists and maps with nothing in them say the same as none. */
function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** A copy with object keys sorted and empty lists, empty maps and undefined values left out; list order is kept. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value)
    .map(([key, inner]): [string, unknown] => [key, tidy(inner)])
    .filter(([, inner]) => !isEmpty(inner))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

function canonicalPort(port: PodPortSpec): PodPortSpec {
  return {...port, hostPort: port.hostPort ?? 0, protocol: port.protocol ?? DEFAULT_PORT_PROTOCOL};
}

function canonicalContainer(pod: PodSpec, container: ContainerSpec): ContainerSpec {
  const {healthCheck} = container;
  return {
    ...container,
    privileged: container.privileged ?? false,
    oomKillDisabled: container.oomKillDisabled ?? false,
    forcePullImage: container.forcePullImage ?? false,
    ...(container.env === undefined
      ? {}
      : {env: container.env.map(({key, value, secret}) => ({key, value, secret: secret ?? false}))}),
    ...(container.volumes === undefined
      ? {}
      : {volumes: container.volumes.map((volume) => ({...volume, readOnly: volume.readOnly ?? false}))}),
    ...(container.files === undefined
      ? {}
      : {files: container.files.map((file) => ({...file, mode: file.mode ?? DEFAULT_FILE_MODE}))}),
    ...(container.extendedResources === undefined
      ? {}
      : {
          extendedResources: container.extendedResources.map((entry) => ({
            ...entry,
            value: entry.value ?? entry.devices?.length ?? 0,
          })),
        }),
    ...(healthCheck === undefined ? {} : {healthCheck: {...HEALTH_CHECK_DEFAULTS, ...healthCheck}}),
    killPolicy: {
      graceSeconds:
        container.killPolicy?.graceSeconds ?? pod.killPolicy?.graceSeconds ?? DEFAULT_GRACE_SECONDS,
    },
  };
}

/** `spec` with every default filled in, keys in a stable order and empty lists and maps left out. */
export function canonicalSpec(spec: PodSpec): PodSpec {
  const hostname = infraSettings(spec).hostname;
  const canonical: PodSpec = {
    ...spec,
    network: networkOf(spec),
    ...(hostname === '' ? {} : {hostname}),
    ...(spec.ports === undefined ? {} : {ports: spec.ports.map(canonicalPort)}),
    restartPolicy: spec.restartPolicy ?? DEFAULT_RESTART_POLICY,
    killPolicy: {graceSeconds: spec.killPolicy?.graceSeconds ?? DEFAULT_GRACE_SECONDS},
    infraImage: infraImageOf(spec),
    containers: spec.containers.map((container) => canonicalContainer(spec, container)),
  };
  // tidy only drops what means nothing and reorders keys, so the value is still this PodSpec.
  return tidy(canonical) as PodSpec;
}

/** The first 16 hex digits of the sha256 of the canonical spec's JSON. */
export function specHash(spec: PodSpec): string {
  return createHash('sha256')
    .update(JSON.stringify(canonicalSpec(spec)))
    .digest('hex')
    .slice(0, HASH_LENGTH);
}
