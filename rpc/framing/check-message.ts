/**
Checks a parsed JSON value against JSON-RPC 2.0 before vscode-jsonrpc sees it: batches, a wrong `jsonrpc`,
a bad id, method or params become faults with the right code, answered with the request's id when it has one.
*/
import type {Message} from 'vscode-jsonrpc/node';
import {RPC_ERROR} from '../error-codes.js';
import {readableId, type ProtocolFault} from './fault.js';

export type Checked = {readonly message: Message} | {readonly fault: ProtocolFault};

function invalid(id: string | number | null, reason: string, detail: Record<string, unknown> = {}): Checked {
  return {
    fault: {
      id,
      code: RPC_ERROR.InvalidRequest,
      message: `Invalid Request: ${reason}`,
      data: {code: 'INVALID_REQUEST', reason, ...detail},
    },
  };
}

export function checkMessage(value: unknown): Checked {
  if (Array.isArray(value)) {
    // vscode-jsonrpc has no batches and would drop one silently; refusing it loudly is the documented choice.
    return invalid(null, 'batch requests are not supported; send one message at a time', {
      code: 'BATCH_UNSUPPORTED',
      size: value.length,
    });
  }
  if (typeof value !== 'object' || value === null) return invalid(null, 'a message must be a JSON object');
  const record = value as Record<string, unknown>;
  const id = readableId(record);
  if (record['jsonrpc'] !== '2.0') {
    return invalid(id, 'jsonrpc must be "2.0"', {field: 'jsonrpc', got: record['jsonrpc'] ?? null});
  }
  if ('method' in record) {
    if (typeof record['method'] !== 'string')
      return invalid(id, 'method must be a string', {field: 'method'});
    if ('id' in record && id === null) {
      return invalid(null, 'id must be a string or a number', {field: 'id'});
    }
    const params = record['params'];
    if ('params' in record && (typeof params !== 'object' || params === null)) {
      return invalid(id, 'params must be an object or an array', {field: 'params'});
    }
    return {message: value as Message};
  }
  if ('result' in record || 'error' in record) return {message: value as Message};
  return invalid(id, 'not a request, a notification or a response');
}
