/**
Validation of a HealthCheckSpec before anything runs, listing every problem with its path.

Fixes of the seed (seed-spec §5, §7 case 44): the timing rule is `0 < timeoutSeconds < intervalSeconds` (the
seed's strict `interval > timeout`, now with a message instead of a failed launch), HTTP port 1 is accepted (the
seed wanted `port > 1`), and a command must split into a non-empty argv.
*/
import type {ValidationIssue} from '../errors.js';
import {parseArgv} from './split-argv.js';

export const HEALTH_CHECK_TYPES = ['http', 'tcp', 'command'] as const;
export const HEALTH_CHECK_SCHEMES = ['http', 'https'] as const;
export const HEALTH_CHECK_ACTIONS = ['report', 'restart'] as const;

/**
Upper bound for every duration in seconds. A day is far beyond any sensible probe cadence and keeps every timer
well inside Node's 2^31-1 ms limit, past which `setTimeout` fires after 1 ms instead.
*/
export const MAX_HEALTH_CHECK_SECONDS = 86_400;

const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'type',
  'port',
  'path',
  'scheme',
  'command',
  'intervalSeconds',
  'timeoutSeconds',
  'gracePeriodSeconds',
  'consecutiveFailures',
  'action',
]);

type Fields = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function oneOf(values: readonly string[]): string {
  return values.join(' | ');
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** Reads a duration field; pushes an issue and returns undefined when it is missing or not a usable number. */
function seconds(
  fields: Fields,
  key: string,
  path: string,
  issues: ValidationIssue[],
  minimum: 'positive' | 'non-negative',
): number | undefined {
  const value = fields[key];
  const allowed =
    minimum === 'positive'
      ? `seconds, > 0 and <= ${MAX_HEALTH_CHECK_SECONDS}`
      : `seconds, >= 0 and <= ${MAX_HEALTH_CHECK_SECONDS}`;
  if (value === undefined) {
    issues.push({path: at(path, key), message: 'is required', allowed});
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push({path: at(path, key), message: 'must be a number of seconds', allowed});
    return undefined;
  }
  if (minimum === 'positive' ? value <= 0 : value < 0) {
    const message = minimum === 'positive' ? 'must be greater than 0' : 'must not be negative';
    issues.push({path: at(path, key), message, allowed});
    return undefined;
  }
  if (value > MAX_HEALTH_CHECK_SECONDS) {
    issues.push({path: at(path, key), message: `must be at most ${MAX_HEALTH_CHECK_SECONDS}`, allowed});
    return undefined;
  }
  return value;
}

/**
Checks the timing fields shared by every checker: intervalSeconds, timeoutSeconds (below the interval),
gracePeriodSeconds, consecutiveFailures and the optional action. Fractional seconds are accepted.
*/
export function validateHealthTiming(fields: Fields, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const interval = seconds(fields, 'intervalSeconds', path, issues, 'positive');
  const timeout = seconds(fields, 'timeoutSeconds', path, issues, 'positive');
  seconds(fields, 'gracePeriodSeconds', path, issues, 'non-negative');
  if (interval !== undefined && timeout !== undefined && timeout >= interval) {
    issues.push({
      path: at(path, 'timeoutSeconds'),
      message: `must be less than intervalSeconds (${interval})`,
      allowed: `> 0 and < ${interval}`,
    });
  }

  const threshold = fields['consecutiveFailures'];
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 1) {
    issues.push({
      path: at(path, 'consecutiveFailures'),
      message: threshold === undefined ? 'is required' : 'must be an integer of at least 1',
      allowed: 'an integer >= 1',
    });
  }

  const action = fields['action'];
  if (action !== undefined && !isOneOf(HEALTH_CHECK_ACTIONS, action)) {
    issues.push({
      path: at(path, 'action'),
      message: 'is not a known action',
      allowed: oneOf(HEALTH_CHECK_ACTIONS),
    });
  }
  return issues;
}

function validatePort(fields: Fields, path: string, issues: ValidationIssue[]): void {
  const port = fields['port'];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    issues.push({
      path: at(path, 'port'),
      message: port === undefined ? 'is required' : 'must be an integer port number',
      allowed: '1..65535',
    });
  }
}

// Whitespace and control characters would make node:http refuse the request at every probe.
function isRequestPath(value: unknown): boolean {
  if (typeof value !== 'string' || !value.startsWith('/')) return false;
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x20 || code === 0x7f || /\s/u.test(char)) return false;
  }
  return true;
}

function validateHttp(fields: Fields, path: string, issues: ValidationIssue[]): void {
  validatePort(fields, path, issues);
  const requestPath = fields['path'];
  if (requestPath !== undefined && !isRequestPath(requestPath)) {
    issues.push({
      path: at(path, 'path'),
      message: 'must be a request path starting with / and without spaces or control characters',
      allowed: 'a path such as /healthz',
    });
  }
  const scheme = fields['scheme'];
  if (scheme !== undefined && !isOneOf(HEALTH_CHECK_SCHEMES, scheme)) {
    issues.push({
      path: at(path, 'scheme'),
      message: 'is not a supported scheme',
      allowed: oneOf(HEALTH_CHECK_SCHEMES),
    });
  }
}

function validateCommand(fields: Fields, path: string, issues: ValidationIssue[]): void {
  const command = fields['command'];
  const where = at(path, 'command');
  const allowed = 'a command string (quoted like a shell, no shell is run) or a non-empty argv array';
  if (typeof command === 'string') {
    const parsed = parseArgv(command);
    if (!parsed.ok) issues.push({path: where, message: parsed.message, allowed});
    else if (parsed.argv.length === 0) issues.push({path: where, message: 'must not be empty', allowed});
    else if (parsed.argv[0] === '')
      issues.push({path: where, message: 'the program name must not be empty', allowed});
    return;
  }
  if (Array.isArray(command)) {
    const argv: readonly unknown[] = command;
    if (argv.length === 0) {
      issues.push({path: where, message: 'must not be empty', allowed});
      return;
    }
    argv.forEach((arg, index) => {
      if (typeof arg !== 'string') issues.push({path: `${where}[${index}]`, message: 'must be a string'});
    });
    if (argv[0] === '') issues.push({path: `${where}[0]`, message: 'the program name must not be empty'});
    return;
  }
  issues.push({
    path: where,
    message: command === undefined ? 'is required' : 'must be a string or an array of strings',
    allowed,
  });
}

/**
Validates a health check (typed as `unknown` because it usually comes straight from JSON or YAML) and returns
every problem found, with paths under `path` (for example `containers[0].healthCheck.port`). Empty means valid.
*/
export function validateHealthCheck(spec: unknown, path: string): ValidationIssue[] {
  if (!isRecord(spec)) {
    return [{path, message: 'must be an object', allowed: 'a health check {type, intervalSeconds, ...}'}];
  }
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(spec)) {
    if (!KNOWN_FIELDS.has(key)) {
      issues.push({path: at(path, key), message: 'is not a known field', allowed: oneOf([...KNOWN_FIELDS])});
    }
  }

  const type = spec['type'];
  if (!isOneOf(HEALTH_CHECK_TYPES, type)) {
    issues.push({
      path: at(path, 'type'),
      message: type === undefined ? 'is required' : 'is not a supported health check type',
      allowed: oneOf(HEALTH_CHECK_TYPES),
    });
  } else if (type === 'http') {
    validateHttp(spec, path, issues);
  } else if (type === 'tcp') {
    validatePort(spec, path, issues);
  } else {
    validateCommand(spec, path, issues);
  }

  issues.push(...validateHealthTiming(spec, path));
  return issues;
}
