/**
The pod spec's shape as zod schemas, one per field of PodSpec and ContainerSpec. The validator reads the spec
field by field with these tables (so one bad field does not hide the rest), and the JSON Schema for the rpc
face's `rpc.discover` is generated from the same tables, so the two cannot drift apart.
*/
import {z} from 'zod';
import {HEALTH_CHECK_ACTIONS, HEALTH_CHECK_SCHEMES, HEALTH_CHECK_TYPES} from '../../health/validate.js';
import type {ContainerSpec, PodSpec} from '../spec-types.js';
import {DEFAULT_NETWORK} from './defaults.js';
import * as leaf from './schema-leaves.js';

/** Per field of T: a schema for a present value whose output fits the field. The Record makes the compiler insist on every field. */
export type FieldSchemas<T> = {readonly [K in keyof T]-?: z.ZodType<NonNullable<T[K]>>};

const optional = <T extends z.ZodType>(schema: T): z.ZodExactOptional<T> => schema.exactOptional();

const CNI_RESERVED_NAMES = new Set(['host', 'none']);

const network = z
  .strictObject({
    driver: optional(z.enum(leaf.NETWORK_DRIVERS).describe('docker (default) or cni')),
    name: optional(leaf.networkName),
    ip: optional(leaf.ipv4),
  })
  .superRefine((value, ctx) => {
    if (value.driver !== 'cni') return;
    if (value.name === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'is required with the cni driver',
        params: {allowed: 'the name of a CNI network in the CNI conf dir'},
      });
    } else if (CNI_RESERVED_NAMES.has(value.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: `"${value.name}" is a Docker network mode, not a CNI network`,
        params: {allowed: `driver: docker for ${value.name} networking, or the name of a CNI network`},
      });
    }
  })
  .transform((value) => {
    const driver = value.driver ?? DEFAULT_NETWORK.driver;
    // A cni network without a name was refused above; the placeholder never reaches a valid spec.
    const name = value.name ?? (driver === 'docker' ? DEFAULT_NETWORK.name : '');
    return {driver, name, ...(value.ip === undefined ? {} : {ip: value.ip})};
  })
  .describe('{driver: docker|cni, name, ip?}; default {driver: docker, name: bridge}');

const portEntry = z.strictObject({
  containerPort: leaf.port,
  hostPort: optional(leaf.hostPort),
  protocol: optional(leaf.protocol),
  hostIP: optional(z.string().describe('the host address to publish on, e.g. 127.0.0.1')),
  name: optional(z.string()),
});

const killPolicy = z.strictObject({graceSeconds: leaf.graceSeconds});

const ENV_VALUE_ALLOWED = 'a string (numbers and booleans are taken as text, except for secrets)';

/** Plain values may be written unquoted in YAML; a secret may not, since YAML would silently rewrite `0123` or `1e3`. */
const envEntry = z
  .strictObject({
    key: z.string().describe('the variable name'),
    value: z
      .union([z.string(), z.number(), z.boolean()], {error: 'must be a string'})
      .describe(ENV_VALUE_ALLOWED),
    secret: optional(z.boolean().describe('true: masked as *** in every view, log and notification')),
  })
  .superRefine((entry, ctx) => {
    if (entry.secret !== true || typeof entry.value === 'string') return;
    ctx.addIssue({
      code: 'custom',
      path: ['value'],
      message: `a secret value must be a string, not a ${typeof entry.value}: quote it in YAML, which would otherwise rewrite it (0123 becomes 83)`,
      params: {allowed: 'a quoted string'},
    });
  })
  .transform((entry) => ({...entry, value: String(entry.value)}));

const volume = z.strictObject({
  hostPath: z.string().describe('an absolute host path'),
  containerPath: z.string().describe('an absolute container path'),
  readOnly: optional(z.boolean().describe('default false')),
});

const resources = z.strictObject({cpus: optional(leaf.cpus), memMB: optional(leaf.memMB)});

const ulimit = z.strictObject({
  name: z.string().describe('a ulimit name: nofile, nproc, core, memlock, stack, ...'),
  soft: z.int().describe('an integer, -1 for unlimited'),
  hard: z.int().describe('an integer >= soft, -1 for unlimited'),
});

/**
The health check's shape, for types and the JSON Schema. Validation itself goes through validateHealthCheck
(src/health/validate.ts), which owns the rules (timings, per-type fields), after the defaults are filled in.
*/
export const healthCheck = z.strictObject({
  type: z.enum(HEALTH_CHECK_TYPES),
  port: optional(leaf.port),
  path: optional(z.string().describe('the request path, e.g. /healthz')),
  scheme: optional(z.enum(HEALTH_CHECK_SCHEMES)),
  command: optional(z.union([z.string(), z.array(z.string())])),
  intervalSeconds: optional(z.number().describe('seconds, default 10')),
  timeoutSeconds: optional(z.number().describe('seconds, below the interval, default 3')),
  gracePeriodSeconds: optional(z.number().describe('seconds, default 0')),
  consecutiveFailures: optional(z.int().describe('default 3')),
  action: optional(z.enum(HEALTH_CHECK_ACTIONS).describe('report (default) or restart')),
});

const file = z
  .strictObject({
    path: z.string().describe('an absolute file path in the container'),
    content: optional(z.string().describe('UTF-8 text')),
    base64: optional(z.string().describe('bytes, standard base64')),
    mode: optional(leaf.octalMode),
    owner: optional(leaf.owner),
  })
  .superRefine((entry, ctx) => {
    const given = (entry.content === undefined ? 0 : 1) + (entry.base64 === undefined ? 0 : 1);
    if (given === 1) return;
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: given === 0 ? 'gives neither content nor base64' : 'gives both content and base64',
      params: {allowed: 'exactly one of content (text) or base64 (bytes)'},
    });
  });

const extendedResource = z.strictObject({
  name: z.string().describe('the resource name, e.g. bkbcs/fuse'),
  devices: optional(z.array(z.string().describe('an absolute host device path, e.g. /dev/fuse'))),
  socket: optional(z.string().describe('unsupported: list host devices in devices')),
  value: optional(z.number().describe('how many; default: the number of devices')),
});

const strings = (description: string): z.ZodArray<z.ZodString> => z.array(z.string().describe(description));

export const POD_FIELDS = {
  name: leaf.podName,
  network,
  hostname: z.string().describe('the pod hostname (RFC 1123); default: the pod name'),
  ports: z.array(portEntry),
  hosts: strings('host:ip, e.g. db:10.0.0.3'),
  dns: z.strictObject({
    servers: optional(z.array(leaf.ipAddress)),
    searches: optional(z.array(leaf.domain)),
    options: optional(z.array(leaf.resolverOption)),
  }),
  restartPolicy: z.enum(leaf.RESTART_POLICIES).describe('Never (default), OnFailure or Always'),
  killPolicy,
  netLimit: z.strictObject({
    egressMbps: z.int().min(1).describe('megabits per second, a whole number >= 1 (cni driver only)'),
  }),
  labels: leaf.labels,
  ipc: z.string().describe('an IPC mode: shareable, private, none or host'),
  infraImage: z.string().describe('an image reference; default bcs-executor/pause:local'),
} satisfies FieldSchemas<Omit<PodSpec, 'containers'>>;

export const CONTAINER_FIELDS = {
  name: leaf.containerName,
  image: z.string().describe('an image reference, e.g. bcs-executor/demo:local'),
  command: z.string().describe('the program to run (the first argv entry)'),
  args: strings('an argument'),
  env: z.array(envEntry),
  workingDir: z.string().describe('an absolute path'),
  user: z.string().describe('user[:group] or uid[:gid]'),
  volumes: z.array(volume),
  resources,
  limits: resources,
  ulimits: z.array(ulimit),
  shmMB: z.int().min(0).describe('MiB of /dev/shm, a whole number >= 0'),
  privileged: z.boolean(),
  oomKillDisabled: z.boolean(),
  forcePullImage: z.boolean(),
  healthCheck,
  files: z.array(file),
  extendedResources: z.array(extendedResource),
  killPolicy,
  labels: leaf.labels,
} satisfies FieldSchemas<ContainerSpec>;

/** `containers` is required too; it is read on its own (each container by CONTAINER_FIELDS). */
export const POD_REQUIRED: readonly (keyof PodSpec)[] = ['name'];
export const CONTAINER_REQUIRED: readonly (keyof ContainerSpec)[] = ['name', 'image'];

function objectOf(fields: Readonly<Record<string, z.ZodType>>, required: readonly string[]): z.ZodObject {
  const shape = Object.fromEntries(
    Object.entries(fields).map(([key, schema]) => [
      key,
      required.includes(key) ? schema : schema.exactOptional(),
    ]),
  );
  return z.strictObject(shape);
}

/** The whole spec as one schema: for the JSON Schema and for checks that the tables agree with the validator. */
export const podSpecSchema = objectOf(
  {
    ...POD_FIELDS,
    containers: z
      .array(objectOf(CONTAINER_FIELDS, CONTAINER_REQUIRED))
      .min(1)
      .describe('at least one container'),
  },
  [...POD_REQUIRED, 'containers'],
);
