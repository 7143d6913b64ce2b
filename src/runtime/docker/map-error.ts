import {EngineError, isEngineError} from '../../errors.js';
import {asObject, field, isObject, str} from './json.js';

/** The kind of object an operation was about, for NOT_FOUND details. */
export type ResourceKind = 'container' | 'image' | 'network' | 'exec' | 'path';

/** What the caller was doing, so a bare HTTP status can become a precise engine error. */
export interface ErrorContext {
  /** Where the adapter connects (goes into ENGINE_UNAVAILABLE details). */
  readonly endpoint: string;
  readonly resource?: ResourceKind;
  readonly ref?: string;
  /** A 409 here means "the name is taken" (ALREADY_EXISTS), not "wrong state". */
  readonly create?: boolean;
  /** The image a create names: a NOT_FOUND about an image names it as the caller wrote it. */
  readonly image?: string;
  readonly signal?: AbortSignal | undefined;
}

/** Socket errors that mean "no engine there" rather than "the engine said no". */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'EPIPE',
  'ECONNRESET',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** The HTTP status dockerode attached to an error, if any. */
export function statusCodeOf(error: unknown): number | undefined {
  const code = field(error, 'statusCode');
  return typeof code === 'number' ? code : undefined;
}

/** True for Docker's 304 ("already started", "already stopped"): a `{changed: false}` result, not an error. */
export function isNotModified(error: unknown): boolean {
  return statusCodeOf(error) === 304;
}

/** True for a 404 from the engine. */
export function isNotFoundStatus(error: unknown): boolean {
  return statusCodeOf(error) === 404;
}

/**
The daemon's own words. docker-modem keeps the parsed body in `json` (`{"message": ...}`), a raw Buffer when
the body was not JSON, or nothing for streamed calls, where the message is only inside `error.message` as
`(HTTP code 404) unexpected - <message> `.
*/
export function engineMessageOf(error: unknown): string {
  const json = field(error, 'json');
  if (isObject(json)) {
    const message = str(json, 'message');
    if (message !== '') return message;
  }
  if (Buffer.isBuffer(json) && json.length > 0) return json.toString('utf8').trim();
  if (typeof json === 'string' && json !== '') return json.trim();
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = /^\(HTTP code \d+\) [^-]*- ([\s\S]*)$/.exec(message);
  return (wrapped?.[1] ?? message).trim();
}

/** Which object a 404 names: the daemon says "No such image", "network x not found", "Could not find the file". */
function resourceFromMessage(message: string): ResourceKind | undefined {
  if (/no such image/i.test(message)) return 'image';
  if (/^network .* not found/i.test(message) || /no such network/i.test(message)) return 'network';
  if (/no such exec/i.test(message)) return 'exec';
  if (/could not find the file/i.test(message)) return 'path';
  if (/no such container/i.test(message)) return 'container';
  return undefined;
}

/** The object a 404 message names, when it names one (`No such image: x`, `network x not found`). */
function refFromMessage(message: string): string | undefined {
  const match =
    /no such (?:image|container|exec instance): (\S+)/i.exec(message) ??
    /^network (\S+) not found/i.exec(message);
  return match?.[1];
}

/**
Podman's compat API answers conflicts with 500 and a `cause` beside the message (`{"cause": "container state
improper", "message": ..., "response": 500}`); dockerd never sends a `cause`. These causes are Docker's 409s.
*/
const PODMAN_CONFLICT_CAUSES = new Set([
  'that name is already in use',
  'network already exists',
  // Also what podman says when removing a container that others join (`has dependent containers`).
  'container already exists',
  'container state improper',
]);

/** The status Docker would have answered: podman's conflict 500s count as 409. */
function dockerStatusOf(error: unknown, statusCode: number): number {
  if (statusCode !== 500) return statusCode;
  const cause = str(asObject(field(error, 'json')), 'cause');
  return PODMAN_CONFLICT_CAUSES.has(cause) ? 409 : statusCode;
}

function errnoOf(error: unknown): string | undefined {
  const code = field(error, 'code');
  if (typeof code === 'string' && UNAVAILABLE_ERRNOS.has(code)) return code;
  const message = error instanceof Error ? error.message : '';
  if (/socket hang up/i.test(message)) return 'ECONNRESET';
  if (/^aborted$/i.test(message)) return 'ECONNRESET';
  return undefined;
}

/**
Maps anything dockerode or the socket threw to an EngineError with a stable code, keeping the original as
`cause`: abort → CANCELLED; 404 → NOT_FOUND {resource, ref}; 409 → ALREADY_EXISTS on create, else
INVALID_STATE; socket refused/missing/denied/reset → ENGINE_UNAVAILABLE {endpoint, errno}; the rest
ENGINE_ERROR {statusCode, engineMessage}.
*/
export function mapDockerError(error: unknown, context: ErrorContext): EngineError {
  if (isEngineError(error)) return error;
  if (context.signal?.aborted === true || (error instanceof Error && error.name === 'AbortError')) {
    return new EngineError('CANCELLED', 'operation cancelled', {cause: error});
  }
  const statusCode = statusCodeOf(error);
  if (statusCode !== undefined) return fromStatus(error, dockerStatusOf(error, statusCode), context);

  const errno = errnoOf(error);
  if (errno !== undefined) {
    return new EngineError(
      'ENGINE_UNAVAILABLE',
      `the container engine at ${context.endpoint} is unavailable (${errno})`,
      {
        details: {endpoint: context.endpoint, errno},
        cause: error,
      },
    );
  }
  const engineMessage = error instanceof Error ? error.message : String(error);
  return new EngineError('ENGINE_ERROR', engineMessage, {
    details: {statusCode: null, engineMessage},
    cause: error,
  });
}

function fromStatus(error: unknown, statusCode: number, context: ErrorContext): EngineError {
  const engineMessage = engineMessageOf(error);
  const ref = context.ref ?? '';
  if (statusCode === 404) {
    const named = resourceFromMessage(engineMessage);
    const resource = named ?? context.resource ?? 'container';
    // When the daemon names another object than the call was about (the image of a create, the network of a
    // start), the ref follows the daemon.
    const notFoundRef =
      named === 'image' && context.image !== undefined
        ? context.image
        : named !== undefined && named !== context.resource
          ? (refFromMessage(engineMessage) ?? ref)
          : ref;
    return new EngineError('NOT_FOUND', `${resource} not found: ${engineMessage || notFoundRef}`, {
      details: {resource, ref: notFoundRef, engineMessage},
      cause: error,
    });
  }
  if (statusCode === 409) {
    const code = context.create === true ? 'ALREADY_EXISTS' : 'INVALID_STATE';
    return new EngineError(code, engineMessage || `conflict on ${ref}`, {
      details: {resource: context.resource ?? 'container', ref, statusCode, engineMessage},
      cause: error,
    });
  }
  if (statusCode === 304) {
    return new EngineError('ALREADY_IN_STATE', `${ref} is already in that state`, {
      details: {resource: context.resource ?? 'container', ref, statusCode},
      cause: error,
    });
  }
  return new EngineError('ENGINE_ERROR', engineMessage || `the engine answered HTTP ${statusCode}`, {
    details: {statusCode, engineMessage},
    cause: error,
  });
}
