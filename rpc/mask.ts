/**
Secret env values never leave the server in the clear. Views, specs and Docker's inspect come from the engine
already masked; this covers what does not: params written to the log.
*/

export const MASK = '***';

const LOG_STRING_MAX = 200;

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
