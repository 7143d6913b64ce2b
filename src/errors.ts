/**
Stable error codes of the engine. Every face maps them once (rpc/ to JSON-RPC codes, ui/ to a message line,
the headless commands to exit codes); nothing matches on message text.
*/
export const ERROR_CODES = [
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_STATE',
  'ALREADY_IN_STATE',
  'ENGINE_UNAVAILABLE',
  'ENGINE_ERROR',
  'TIMEOUT',
  'CANCELLED',
  'READ_ONLY',
  'PARTIAL_FAILURE',
  'UNSUPPORTED',
  'IMAGE_PULL_FAILED',
  'VALIDATION',
  'FORBIDDEN',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem found by validation: where (a dotted/indexed path such as `containers[1].resources.memMB`), what, and what is allowed. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
  readonly allowed?: string;
}

export interface EngineErrorOptions {
  /** Structured, JSON-safe details (resource, ref, statusCode, issues, timeoutMs, ...). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** The one error class the engine throws. `code` is stable; `details` is JSON-safe and goes to `error.data` on the wire. */
export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: EngineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.name = 'EngineError';
    this.code = code;
    this.details = options.details ?? {};
  }

  toJSON(): {code: ErrorCode; message: string; details: Readonly<Record<string, unknown>>} {
    return {code: this.code, message: this.message, details: this.details};
  }
}

export function isEngineError(error: unknown): error is EngineError {
  return error instanceof EngineError;
}

/** A validation failure listing every problem found, each with its path. */
export function validationError(issues: readonly ValidationIssue[], what = 'input'): EngineError {
  const lines = issues.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`);
  const noun = issues.length === 1 ? 'problem' : 'problems';
  return new EngineError('VALIDATION', `invalid ${what}: ${issues.length} ${noun}\n${lines.join('\n')}`, {
    details: {issues: issues.map((issue) => ({...issue}))},
  });
}

/** Wraps anything thrown into an EngineError, keeping EngineErrors as they are. */
export function toEngineError(error: unknown, fallback: ErrorCode = 'ENGINE_ERROR'): EngineError {
  if (isEngineError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new EngineError('CANCELLED', 'operation cancelled', {cause: error});
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError(fallback, message, {cause: error});
}

/** Throws CANCELLED if the signal has fired; call at await points of long operations. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new EngineError('CANCELLED', 'operation cancelled', {cause: signal.reason});
  }
}
