/**
The protocol's error codes and what they mean, with no engine import (the client and the framing use them).
Protocol errors use the standard JSON-RPC codes; application errors 1001-1014, outside the reserved
-32768..-32000. rpc/errors.ts maps EngineError codes onto them.
*/

/** `error.data`: JSON-safe, always with a stable `code` string. */
export type ErrorData = {readonly code: string} & Readonly<Record<string, unknown>>;

export const RPC_ERROR = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  ServerNotInitialized: -32002,
  RequestCancelled: -32800,
  NotFound: 1001,
  AlreadyExists: 1002,
  InvalidState: 1003,
  EngineUnavailable: 1004,
  EngineError: 1005,
  Timeout: 1006,
  ReadOnlyMode: 1007,
  PartialFailure: 1008,
  Unsupported: 1009,
  ImagePullFailed: 1010,
  /** Reserved: a field that belongs to the pod, set on a member. The pod spec has no such fields, so an unknown field (-32602) says it instead. */
  ValidationConflict: 1011,
  Validation: 1012,
  Forbidden: 1013,
  AlreadyInState: 1014,
} as const;

export type RpcErrorName = keyof typeof RPC_ERROR;

/** What each code means, for docs/protocol.md and rpc.discover. */
export const RPC_ERROR_DOCS: Readonly<Record<RpcErrorName, string>> = {
  ParseError: 'The message is not valid JSON (answered with id null; the server reads on).',
  InvalidRequest:
    'Not a JSON-RPC 2.0 request: wrong `jsonrpc`, a batch array, a bad id, method or params, a bad frame, a message over the size limit, a notification sent with an id, `initialize` twice or a request after `shutdown`.',
  MethodNotFound: 'No such method.',
  InvalidParams:
    "The params do not match the method's schema; `data.issues` lists every problem with its path.",
  InternalError: 'A bug in the server (never an engine error).',
  ServerNotInitialized: 'A request before `initialize`.',
  RequestCancelled: 'The request was cancelled with `$/cancelRequest` (the engine work was aborted).',
  NotFound: 'No such pod, container, image or subscription (`data.resource`, `data.ref`).',
  AlreadyExists: 'A pod or container with that name exists.',
  InvalidState: 'The object is not in a state that allows this (not running, paused, being removed).',
  EngineUnavailable: 'The container engine does not answer (`data.endpoint`, `data.errno`).',
  EngineError: 'The container engine refused or failed (`data.statusCode`, `data.engineMessage`).',
  Timeout: "The operation's `timeoutMs` ran out (`data.timeoutMs`).",
  ReadOnlyMode: 'A mutating method on a server started with `--read-only` (`data.method`).',
  PartialFailure: 'Some containers of a pod failed (`data.failures`).',
  Unsupported: 'The engine or this server does not support it (`data.feature`).',
  ImagePullFailed: 'The image could not be pulled (`data.ref`, `data.engineMessage`).',
  ValidationConflict: 'Reserved (a pod-level field on a member container).',
  Validation: 'The engine refused the input; `data.issues` lists every problem with its path.',
  Forbidden:
    'Server policy refuses it: privileged containers without `--allow-privileged`, host paths outside `--allow-bind` roots.',
  AlreadyInState: 'The object is already in the requested state.',
};
