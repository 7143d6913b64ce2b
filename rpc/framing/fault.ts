/**
A protocol fault: something the reader could not turn into a message (bad JSON, a batch, a bad frame). The
server answers each with a JSON-RPC error response, since vscode-jsonrpc itself neither sends -32700 nor
answers batches.
*/
import type {ErrorData} from '../error-codes.js';

export interface ProtocolFault {
  /** The request's id when it could be read, else null (JSON-RPC 2.0: "If there was an error in detecting the id ... it MUST be Null"). */
  readonly id: string | number | null;
  readonly code: number;
  readonly message: string;
  readonly data: ErrorData;
}

/** The id of a parsed value, when it is a usable JSON-RPC id. */
export function readableId(value: unknown): string | number | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const id = (value as Record<string, unknown>)['id'];
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}
