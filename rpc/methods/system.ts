/** Lifecycle and system methods: initialize, shutdown, system.ping, system.info, rpc.discover. */
import {z} from 'zod';
import {rpcError, RPC_ERROR} from '../errors.js';
import {allMethods} from '../dispatch.js';
import {describeProtocol} from '../discover.js';
import {PROTOCOL_VERSION} from '../protocol.js';
import {params} from '../schema/common.js';
import {runtimeInfo, runtimeVersion} from '../schema/docker.js';
import {connectionState} from '../schema/views.js';
import type {Session} from '../session/session.js';
import {defineMethod, ENGINE_ERRORS, READ, type CallContext} from './define.js';

function session(ctx: CallContext): Session {
  if (ctx.session === undefined) {
    throw rpcError(RPC_ERROR.MethodNotFound, `${ctx.method} is served by bcs-executor rpc only`, {
      code: 'METHOD_NOT_FOUND',
      method: ctx.method,
    });
  }
  return ctx.session;
}

/** LSP clients send these; they are accepted and ignored. */
const lspExtra = z.unknown().exactOptional().describe('accepted for LSP clients and ignored');

const engineStatus = z
  .object({
    reachable: z.boolean().describe('the engine answered within the probe time (about 150 ms)'),
    endpoint: z.string(),
    apiVersion: z.string().nullable().describe('the negotiated Docker API version, null while unknown'),
    version: runtimeVersion.exactOptional(),
    error: z.string().exactOptional().describe('why it is not reachable (yet)'),
  })
  .meta({id: 'EngineStatus'});

export const SYSTEM_METHODS = {
  initialize: defineMethod({
    name: 'initialize',
    summary:
      'Starts the session (must come first): server info, protocol version, capabilities, and whether the container engine answers (its API version). Never waits long for the engine.',
    params: params({
      processId: z.int().nullable().exactOptional(),
      clientInfo: z
        .strictObject({name: z.string(), version: z.string().exactOptional()})
        .exactOptional()
        .describe('{name, version?}: who is calling (logged)'),
      capabilities: z.record(z.string(), z.unknown()).exactOptional(),
      trace: z.enum(['off', 'messages', 'compact', 'verbose']).exactOptional(),
      locale: z.string().exactOptional(),
      rootUri: lspExtra,
      rootPath: lspExtra,
      workspaceFolders: lspExtra,
      initializationOptions: lspExtra,
      workDoneToken: lspExtra,
    }),
    result: z.object({
      serverInfo: z.object({name: z.string(), version: z.string()}).describe('{name, version}'),
      protocolVersion: z.string(),
      capabilities: z
        .object({
          framing: z.enum(['headers', 'ndjson']),
          batches: z.boolean(),
          maxMessageBytes: z.int(),
          readOnly: z.boolean(),
          allowPrivileged: z.boolean(),
          allowBind: z.array(z.string()),
          cancellation: z.boolean(),
          progress: z.boolean(),
          subscriptions: z.array(z.string()),
        })
        .catchall(z.unknown())
        .meta({id: 'ServerCapabilities'}),
      engine: engineStatus,
    }),
    hints: READ,
    errors: [],
    rpcOnly: true,
    handle: (p, ctx) => session(ctx).initialize(p.clientInfo?.name),
  }),

  shutdown: defineMethod({
    name: 'shutdown',
    summary:
      'Stops the session: subscriptions close, running requests finish (bounded), later requests are refused. Then send the exit notification.',
    params: params({}),
    result: z.null(),
    hints: READ,
    errors: [],
    rpcOnly: true,
    handle: (_p, ctx) => session(ctx).shutdown(),
  }),

  'system.ping': defineMethod({
    name: 'system.ping',
    summary:
      'Liveness of the server, answered as soon as it is read (ahead of requests sent before it); with ' +
      'engine: true also pings the container engine, in turn with the other requests.',
    params: params({engine: z.boolean().exactOptional().describe('also ping the container engine')}),
    result: z.object({
      ok: z.literal(true),
      engine: z.object({apiVersion: z.string(), latencyMs: z.number()}).exactOptional(),
    }),
    hints: READ,
    errors: [...ENGINE_ERRORS],
    async handle(p, ctx) {
      if (p.engine !== true) return {ok: true as const};
      const engine = await ctx.engine();
      return {ok: true as const, engine: await engine.ping({signal: ctx.signal})};
    },
  }),

  'system.info': defineMethod({
    name: 'system.info',
    summary:
      'The server, the connection to the container engine, its version and info, and the number of pods.',
    params: params({}),
    result: z.object({
      server: z.object({
        name: z.string(),
        protocolVersion: z.string(),
        pid: z.int(),
        node: z.string(),
        readOnly: z.boolean(),
      }),
      connection: connectionState,
      version: runtimeVersion,
      info: runtimeInfo,
      pods: z.int(),
    }),
    hints: READ,
    errors: [...ENGINE_ERRORS],
    async handle(_p, ctx) {
      const engine = await ctx.engine();
      const [version, info, pods] = await Promise.all([
        engine.version({signal: ctx.signal}),
        engine.info({signal: ctx.signal}),
        engine.listPods({signal: ctx.signal}),
      ]);
      return {
        server: {
          name: 'bcs-executor',
          protocolVersion: PROTOCOL_VERSION,
          pid: process.pid,
          node: process.version,
          readOnly: ctx.policy.readOnly,
        },
        connection: engine.connection(),
        version,
        info,
        pods: pods.length,
      };
    },
  }),

  'rpc.discover': defineMethod({
    name: 'rpc.discover',
    summary:
      'Every method with its params and result JSON Schemas and hints (readOnly, destructive, idempotent), every notification and every error code.',
    params: params({}),
    result: z
      .object({
        server: z.string(),
        protocolVersion: z.string(),
        methods: z.array(z.record(z.string(), z.unknown())).readonly(),
        notifications: z.array(z.record(z.string(), z.unknown())).readonly(),
        errors: z.array(z.object({code: z.int(), name: z.string(), description: z.string()})).readonly(),
      })
      .describe('see docs/protocol.md'),
    hints: READ,
    errors: [],
    rpcOnly: true,
    handle: () => Promise.resolve(describeProtocol(allMethods())),
  }),
};

export {session as requireSession};
