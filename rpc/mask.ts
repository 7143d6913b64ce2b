/**
Secret env values never leave the server in the clear. Views and specs come from the engine already masked;
this covers what does not: Docker's inspect (its env holds the real values) and params written to the log.
*/
import type {ContainerDetails, PodSpec} from '../src/index.js';

export const MASK = '***';

const LOG_STRING_MAX = 200;

/** Names of the secret env variables of container `name` in a (masked) spec. */
export function secretKeys(spec: PodSpec, name: string): ReadonlySet<string> {
  const container = spec.containers.find((c) => c.name === name);
  return new Set((container?.env ?? []).filter((entry) => entry.secret === true).map((entry) => entry.key));
}

/** Every env key of a container (to mask them all when nothing says which are secret). */
export function allEnvKeys(details: ContainerDetails): ReadonlySet<string> {
  return new Set(
    details.config.env.map((entry) => (entry.includes('=') ? entry.slice(0, entry.indexOf('=')) : entry)),
  );
}

/** `KEY=VALUE` entries with the values of `keys` masked. */
export function maskEnvList(env: readonly string[], keys: ReadonlySet<string>): string[] {
  return env.map((entry) => {
    const eq = entry.indexOf('=');
    const key = eq === -1 ? entry : entry.slice(0, eq);
    return keys.has(key) ? `${key}=${MASK}` : entry;
  });
}

export function maskDetails(details: ContainerDetails, keys: ReadonlySet<string>): ContainerDetails {
  if (keys.size === 0) return details;
  return {...details, config: {...details.config, env: maskEnvList(details.config.env, keys)}};
}

/**
A copy of request params safe to log: `{key, value, secret: true}` entries get `***`, and every `env` list of
`KEY=VALUE` strings (exec env) shows keys only, since the server cannot tell which of those are secret.
*/
export function maskForLog(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    // Spec text may hold secrets the server has not parsed yet; long strings (uploads) only bloat the log.
    if (key === 'spec') return `[spec text, ${value.length} characters]`;
    return value.length > LOG_STRING_MAX
      ? `${value.slice(0, LOG_STRING_MAX)}... [${value.length} characters]`
      : value;
  }
  if (Array.isArray(value)) {
    if (key === 'env' && value.every((item) => typeof item === 'string')) {
      return value.map((item: string) => `${item.split('=', 1)[0] ?? ''}=${MASK}`);
    }
    return value.map((item) => maskForLog(item));
  }
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = maskForLog(v, k);
  if (record['secret'] === true && 'value' in record) out['value'] = MASK;
  return out;
}
