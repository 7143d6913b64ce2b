/**
The typed client: `import {createClient} from 'bcs-executor/client'`. It spawns `bcs-executor rpc` (or uses
streams you give it), sends `initialize`, and exposes every method typed from the method table, both as
`client.request('pod.create', params)` and `client.api.pod.create(params)`, and every notification as
`client.on('pod/statusChanged', handler)`.
*/
import type {ChildProcess} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {
  CancellationTokenSource,
  createMessageConnection,
  ProgressType,
  ResponseError,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {Framing} from '../framing/framing.js';
import {connectStreams, spawnServer, type SpawnOptions, type StreamsOptions} from './transport.js';
import type {
  MethodName,
  NamespacedApi,
  NotificationName,
  NotificationParams,
  ParamsOf,
  ProgressValue,
  RequestOptions,
  ResultOf,
} from './types.js';

export type * from './types.js';
export {DEFAULT_BINARY, type SpawnOptions, type StreamsOptions} from './transport.js';
export {RPC_ERROR, type ErrorData, type RpcErrorName} from '../error-codes.js';
export {ResponseError};

export interface ClientOptions {
  /** Spawn a server (the default, with default options when neither this nor `streams` is given). */
  readonly spawn?: SpawnOptions;
  /** Or talk over these streams. */
  readonly streams?: StreamsOptions;
  /** The framing to speak: headers (LSP style, default) or ndjson. */
  readonly framing?: Framing;
  /** Send `initialize` at once (default true); its answer is `client.initialized`. */
  readonly initialize?: boolean | ParamsOf<'initialize'>;
}

export interface RpcClient {
  /** The `initialize` answer (undefined with `initialize: false`). */
  readonly initialized: ResultOf<'initialize'> | undefined;
  readonly framing: Framing;
  /** The spawned server, when the client spawned it. */
  readonly child: ChildProcess | undefined;
  readonly connection: MessageConnection;
  readonly api: NamespacedApi;
  request<M extends MethodName>(
    method: M,
    params?: ParamsOf<M>,
    options?: RequestOptions,
  ): Promise<ResultOf<M>>;
  /** Subscribes to a notification; returns the unsubscribe function. */
  on<N extends NotificationName>(name: N, handler: (params: NotificationParams[N]) => void): () => void;
  /** `shutdown`, then `exit`; resolves with the server's exit code when the client spawned it. */
  shutdown(): Promise<number | null>;
  /** Ends the server's input without shutdown (the server drains and exits) and drops the connection. */
  close(): Promise<number | null>;
}

const WORK_DONE = new ProgressType<ProgressValue>();

/** True when `error` is a JSON-RPC error (optionally with that code). */
export function isRpcError(error: unknown, code?: number): error is ResponseError<unknown> {
  return error instanceof ResponseError && (code === undefined || error.code === code);
}

function exitOf(child: ChildProcess | undefined): Promise<number | null> {
  if (child === undefined) return Promise.resolve(null);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function createClient(options: ClientOptions = {}): Promise<RpcClient> {
  const framing = options.framing ?? 'headers';
  let child: ChildProcess | undefined;
  let streams = options.streams;
  if (streams === undefined) {
    const spawned = spawnServer(options.spawn ?? {});
    child = spawned.child;
    streams = spawned.streams;
  }
  const exited = exitOf(child);
  const transport = connectStreams(streams, framing);
  const connection = createMessageConnection(transport.reader, transport.writer);
  connection.listen();

  const request = async <M extends MethodName>(
    method: M,
    params?: ParamsOf<M>,
    requestOptions: RequestOptions = {},
  ): Promise<ResultOf<M>> => {
    const source = new CancellationTokenSource();
    const onAbort = (): void => {
      source.cancel();
    };
    requestOptions.signal?.addEventListener('abort', onAbort, {once: true});
    let progress: {dispose(): void} | undefined;
    let sent: unknown = params ?? {};
    if (requestOptions.onProgress !== undefined) {
      const token = randomUUID();
      progress = connection.onProgress(WORK_DONE, token, requestOptions.onProgress);
      sent = {...(params ?? {}), workDoneToken: token};
    }
    try {
      if (requestOptions.signal?.aborted === true) source.cancel();
      return await connection.sendRequest<ResultOf<M>>(method, sent, source.token);
    } finally {
      requestOptions.signal?.removeEventListener('abort', onAbort);
      progress?.dispose();
      source.dispose();
    }
  };

  const api = new Proxy({} as NamespacedApi, {
    get: (_target, noun) =>
      new Proxy(
        {},
        {
          get: (_inner, verb) => (params?: unknown, requestOptions?: RequestOptions) =>
            request(`${String(noun)}.${String(verb)}` as MethodName, params as never, requestOptions),
        },
      ),
  });

  let initialized: ResultOf<'initialize'> | undefined;
  if (options.initialize !== false) {
    const params =
      options.initialize === true || options.initialize === undefined
        ? {clientInfo: {name: 'bcs-executor client'}}
        : options.initialize;
    initialized = await request('initialize', params);
  }

  let ended = false;
  const finish = async (): Promise<number | null> => {
    if (!ended) {
      ended = true;
      transport.end();
    }
    const code = await exited;
    connection.dispose();
    return code;
  };

  return {
    initialized,
    framing,
    child,
    connection,
    api,
    request,
    on(name, handler) {
      const disposable = connection.onNotification(name, handler as (params: unknown) => void);
      return () => {
        disposable.dispose();
      };
    },
    async shutdown() {
      await request('shutdown');
      await connection.sendNotification('exit');
      return finish();
    },
    close: finish,
  };
}
