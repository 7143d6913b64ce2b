/**
JSON-RPC error codes, and the one place EngineError codes become them. Protocol errors use the standard
codes; application errors use 1001-1014 (outside the reserved -32768..-32000, as JSON-RPC asks). Every error
carries `data.code`, a stable string, so no client ever matches on message text.
*/
import {ResponseError} from 'vscode-jsonrpc/node';
import {isEngineError, type ErrorCode} from '../src/index.js';
import {RPC_ERROR, type ErrorData} from './error-codes.js';

export {RPC_ERROR, RPC_ERROR_DOCS, type ErrorData, type RpcErrorName} from './error-codes.js';

/** EngineError code → JSON-RPC code. A Record, so a new engine code does not compile until it is mapped here. */
export const ENGINE_TO_RPC: Readonly<Record<ErrorCode, number>> = {
  NOT_FOUND: RPC_ERROR.NotFound,
  ALREADY_EXISTS: RPC_ERROR.AlreadyExists,
  INVALID_STATE: RPC_ERROR.InvalidState,
  ALREADY_IN_STATE: RPC_ERROR.AlreadyInState,
  ENGINE_UNAVAILABLE: RPC_ERROR.EngineUnavailable,
  ENGINE_ERROR: RPC_ERROR.EngineError,
  TIMEOUT: RPC_ERROR.Timeout,
  CANCELLED: RPC_ERROR.RequestCancelled,
  READ_ONLY: RPC_ERROR.ReadOnlyMode,
  PARTIAL_FAILURE: RPC_ERROR.PartialFailure,
  UNSUPPORTED: RPC_ERROR.Unsupported,
  IMAGE_PULL_FAILED: RPC_ERROR.ImagePullFailed,
  VALIDATION: RPC_ERROR.Validation,
  FORBIDDEN: RPC_ERROR.Forbidden,
};

/** A ResponseError with structured data. */
export function rpcError(code: number, message: string, data: ErrorData): ResponseError<ErrorData> {
  return new ResponseError(code, message, data);
}

/** -32602 listing every problem of the params. */
export function invalidParams(
  method: string,
  issues: readonly {readonly path: string; readonly message: string; readonly allowed?: string}[],
): ResponseError<ErrorData> {
  const noun = issues.length === 1 ? 'problem' : 'problems';
  const lines = issues.map((issue) => `${issue.path || '(params)'}: ${issue.message}`);
  return rpcError(
    RPC_ERROR.InvalidParams,
    `Invalid params for ${method}: ${issues.length} ${noun}: ${lines.join('; ')}`,
    {
      code: 'INVALID_PARAMS',
      issues: issues.map((issue) => ({...issue})),
    },
  );
}

export function cancelled(): ResponseError<ErrorData> {
  return rpcError(RPC_ERROR.RequestCancelled, 'Request cancelled', {code: 'CANCELLED'});
}

/**
Any error thrown by a handler, as the ResponseError to send. Engine errors map by code; anything thrown after
the client cancelled is a cancellation (aborting a Docker call surfaces as many kinds of errors); only
something that is neither is an InternalError.
*/
export function toResponseError(error: unknown, cancelledByClient: boolean): ResponseError<unknown> {
  if (error instanceof ResponseError) return error as ResponseError<unknown>;
  if (cancelledByClient) return cancelled();
  if (isEngineError(error)) {
    if (error.code === 'CANCELLED') return cancelled();
    return rpcError(ENGINE_TO_RPC[error.code], error.message, {...error.details, code: error.code});
  }
  if (error instanceof Error && error.name === 'AbortError') return cancelled();
  const message = error instanceof Error ? error.message : String(error);
  return rpcError(RPC_ERROR.InternalError, `Internal error: ${message}`, {code: 'INTERNAL'});
}
