/**
Small pieces the fake runtime shares: errors shaped like the Docker adapter's, deterministic ids, signal
names, label filters and Go file modes.
*/
import {createHash} from 'node:crypto';
import {EngineError} from '../../src/errors.js';

export type FakeResource = 'container' | 'image' | 'network' | 'exec' | 'path';

/** 64 hex digits derived from a seed: stable across runs, unique per seed. */
export function hexId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** NOT_FOUND as the adapter maps Docker's 404. */
export function notFound(resource: FakeResource, ref: string, engineMessage?: string): EngineError {
  const message = engineMessage ?? defaultMissing(resource, ref);
  return new EngineError('NOT_FOUND', `${resource} not found: ${message}`, {
    details: {resource, ref, engineMessage: message},
  });
}

function defaultMissing(resource: FakeResource, ref: string): string {
  switch (resource) {
    case 'container':
      return `No such container: ${ref}`;
    case 'image':
      return `No such image: ${ref}`;
    case 'network':
      return `network ${ref} not found`;
    case 'exec':
      return `No such exec instance: ${ref}`;
    case 'path':
      return `Could not find the file ${ref}`;
  }
}

/** Docker's 409: ALREADY_EXISTS on create, INVALID_STATE elsewhere. */
export function conflict(
  code: 'ALREADY_EXISTS' | 'INVALID_STATE',
  resource: FakeResource,
  ref: string,
  engineMessage: string,
): EngineError {
  return new EngineError(code, engineMessage, {details: {resource, ref, statusCode: 409, engineMessage}});
}

/** Any other status: ENGINE_ERROR with the status and Docker's words. */
export function engineError(statusCode: number, engineMessage: string): EngineError {
  return new EngineError('ENGINE_ERROR', engineMessage, {details: {statusCode, engineMessage}});
}

export function unavailable(endpoint: string): EngineError {
  return new EngineError(
    'ENGINE_UNAVAILABLE',
    `the container engine at ${endpoint} is unavailable (ECONNREFUSED)`,
    {
      details: {endpoint, errno: 'ECONNREFUSED'},
    },
  );
}

export function cancelled(reason?: unknown): EngineError {
  return new EngineError('CANCELLED', 'operation cancelled', {cause: reason});
}

const SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  PWR: 30,
  SYS: 31,
};

/** Signals whose default action does not end a process. */
const HARMLESS = new Set([17, 18, 19, 20, 21, 22, 23, 28]);

/** `SIGTERM`, `TERM`, `15` or 15 → 15; undefined for an unknown signal (Docker answers 400). */
export function signalNumber(signal: string | number): number | undefined {
  if (typeof signal === 'number')
    return Number.isInteger(signal) && signal > 0 && signal < 65 ? signal : undefined;
  if (/^\d+$/.test(signal)) return signalNumber(Number(signal));
  const name = signal.toUpperCase().replace(/^SIG/, '');
  return SIGNALS[name];
}

/** Whether a process with no handlers dies of this signal. */
export function signalTerminates(signal: number): boolean {
  return !HARMLESS.has(signal);
}

/** Docker's label filter: every `key` or `key=value` must hold. */
export function matchesLabels(
  labels: Readonly<Record<string, string>>,
  filters: readonly string[] | undefined,
): boolean {
  if (filters === undefined) return true;
  return filters.every((filter) => {
    const eq = filter.indexOf('=');
    if (eq < 0) return filter in labels;
    return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
  });
}

/** Go's os.FileMode bits as Docker's path stat reports them. */
export const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  sticky: 2 ** 20,
} as const;

/** Unix mode (with 0o1000 sticky etc.) and type → Go file mode number. */
export function goFileMode(type: 'file' | 'dir' | 'symlink', mode: number): number {
  let out = mode & 0o777;
  if ((mode & 0o4000) !== 0) out += GO_MODE.setuid;
  if ((mode & 0o2000) !== 0) out += GO_MODE.setgid;
  if ((mode & 0o1000) !== 0) out += GO_MODE.sticky;
  if (type === 'dir') out += GO_MODE.dir;
  if (type === 'symlink') out += GO_MODE.symlink;
  return out;
}

/** Docker's "never" time. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Resolves after `ms`, or rejects CANCELLED when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(cancelled(signal.reason));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, {once: true});
  });
}
