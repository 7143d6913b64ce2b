/**
The protocol described as data: every method with its params and result JSON Schemas, hints and errors; every
notification; every error code. rpc.discover returns it and docs/protocol.md is rendered from it.
*/
import {z} from 'zod';
import {RPC_ERROR, RPC_ERROR_DOCS, type RpcErrorName} from './error-codes.js';
import type {AnyMethod, MethodHints} from './methods/define.js';
import {NOTIFICATIONS} from './notifications.js';
import {PROTOCOL_VERSION, SERVER_NAME} from './protocol.js';

export type JsonSchema = Readonly<Record<string, unknown>>;

export type MethodDescription = {
  readonly name: string;
  readonly summary: string;
  readonly hints: MethodHints;
  readonly progress: boolean;
  /** Served by `bcs-executor rpc` only (lifecycle, subscriptions, discovery), not as an MCP tool. */
  readonly rpcOnly: boolean;
  readonly params: JsonSchema;
  readonly result: JsonSchema;
  readonly errors: readonly {readonly code: number; readonly name: RpcErrorName}[];
};

export type ProtocolDescription = {
  readonly server: string;
  readonly protocolVersion: string;
  readonly methods: readonly MethodDescription[];
  readonly notifications: readonly {
    readonly name: string;
    readonly summary: string;
    readonly params: JsonSchema;
  }[];
  readonly errors: readonly {
    readonly code: number;
    readonly name: RpcErrorName;
    readonly description: string;
  }[];
};

/** A schema as JSON Schema (draft 2020-12), without the `$schema` line repeated on every method. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const {$schema: _dropped, ...rest} = z.toJSONSchema(schema, {io, unrepresentable: 'any'}) as Record<
    string,
    unknown
  >;
  return rest;
}

let cached: ProtocolDescription | undefined;

export function describeProtocol(methods: readonly AnyMethod[]): ProtocolDescription {
  cached ??= {
    server: SERVER_NAME,
    protocolVersion: PROTOCOL_VERSION,
    methods: methods.map((method) => ({
      name: method.name,
      summary: method.summary,
      hints: {...method.hints},
      progress: method.progress === true,
      rpcOnly: method.rpcOnly === true,
      params: jsonSchema(method.params, 'input'),
      result: jsonSchema(method.result, 'output'),
      errors: method.errors.map((name) => ({code: RPC_ERROR[name], name})),
    })),
    notifications: Object.entries(NOTIFICATIONS).map(([name, notification]) => ({
      name,
      summary: notification.summary,
      params: jsonSchema(notification.params, 'output'),
    })),
    errors: (Object.keys(RPC_ERROR) as RpcErrorName[]).map((name) => ({
      code: RPC_ERROR[name],
      name,
      description: RPC_ERROR_DOCS[name],
    })),
  };
  return cached;
}
