/**
Leaf schemas of the pod spec: the shapes and value rules that belong to one value. Every leaf carries a
`description` saying what is allowed; the issue mapper shows it as `allowed`, and the JSON Schema carries it.
Rules that involve several fields live in plain code (pod-rules.ts); rules the task validator owns (memory
minimums, paths, base64, hostnames, ...) are not repeated here.
*/
import {isIP} from 'node:net';
import {z} from 'zod';
import {LABEL_PREFIX, LABELS} from '../../constants.js';

/** Pod and container names: they make Docker names `<pod>-<container>`, hence DNS labels, and short. */
export const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
export const NAME_MAX_LENGTH = 50;
const NAME_ALLOWED = `a lowercase DNS label: a-z, 0-9 and inner "-", 1-${NAME_MAX_LENGTH} characters`;

/** Docker's network name rule, which CNI's network name rule matches. */
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const DOMAIN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*\.?$/;
const RESOLVER_OPTION = /^[a-z][a-z0-9-]*(?::\d+)?$/;
const OWNER = /^\d+(?::\d+)?$/;

/** A day: far beyond any sensible stop grace, and well inside Node's timer limit. */
export const MAX_GRACE_SECONDS = 86_400;

export const PORT_PROTOCOLS = ['tcp', 'udp', 'sctp', 'http', 'https'] as const;
export const RESTART_POLICIES = ['Never', 'OnFailure', 'Always'] as const;
export const NETWORK_DRIVERS = ['docker', 'cni'] as const;

export function dnsLabel(what: string): z.ZodString {
  return z
    .string()
    .min(1)
    .max(NAME_MAX_LENGTH)
    .regex(DNS_LABEL, {error: `is not a lowercase DNS label`})
    .describe(`${NAME_ALLOWED} (${what})`);
}

export const podName = dnsLabel('it prefixes every Docker container name of the pod');

export const containerName = dnsLabel('the Docker name is <pod>-<container>; "infra" is taken').refine(
  (name) => name !== 'infra',
  {error: 'is reserved for the pod infra container'},
);

export const networkName = z
  .string()
  .regex(NETWORK_NAME, {error: 'is not a network name'})
  .describe('docker: bridge, host, none or a user-defined network; cni: the name of a CNI network');

export const ipv4 = z.ipv4({error: 'is not an IPv4 address'}).describe('an IPv4 address, e.g. 10.88.7.20');

export const ipAddress = z
  .string()
  .refine((value) => isIP(value) !== 0, {error: 'is not an IP address'})
  .describe('an IPv4 or IPv6 address');

export const port = z.int().min(1).max(65_535).describe('a port number, 1-65535');
export const hostPort = z.int().min(0).max(65_535).describe('0 (not published) or a port number, 1-65535');
export const protocol = z.enum(PORT_PROTOCOLS).describe('tcp (default), udp, sctp; http and https mean tcp');

export const graceSeconds = z
  .int()
  .min(0)
  .max(MAX_GRACE_SECONDS)
  .describe(`whole seconds between the stop signal and SIGKILL, 0-${MAX_GRACE_SECONDS}`);

export const domain = z
  .string()
  .regex(DOMAIN, {error: 'is not a domain name'})
  .describe('a domain, e.g. example.com');

export const resolverOption = z
  .string()
  .regex(RESOLVER_OPTION, {error: 'is not a resolver option'})
  .describe('a resolv.conf option, e.g. ndots:2, rotate, edns0');

export const owner = z
  .string()
  .regex(OWNER, {error: 'is not uid or uid:gid'})
  .describe('numeric uid or uid:gid inside the container, e.g. 1000:1000');

export const octalMode = z.string().describe('an octal mode string, e.g. "0644" (quote it in YAML)');

/** Labels: string values (quote numbers in YAML), and the engine's own prefix is off limits. */
export const labels = z
  .record(z.string(), z.string().describe('a string (quote numbers and booleans in YAML)'))
  .superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      // The test-run label is the one engine label a spec may carry: tests tag their pods with it so that
      // every container the engine makes for them can be found and removed by it (docs/architecture.md).
      if (!key.startsWith(LABEL_PREFIX) || key === LABELS.testRun) continue;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `label "${key}" uses the prefix "${LABEL_PREFIX}", which the engine reserves for its own labels`,
        params: {allowed: `any key not starting with ${LABEL_PREFIX}`},
      });
    }
  })
  .describe('a map of string keys to string values');

export const cpus = z.number().min(0).describe('cores, a number >= 0 (e.g. 0.5)');
export const memMB = z.number().min(0).describe(`MiB, a number >= 0 (at least 6 when set; 0 means none)`);
