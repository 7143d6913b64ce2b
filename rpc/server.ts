/**
`bcs-executor rpc` over any pair of streams: the framed reader and writer, a vscode-jsonrpc connection, and a
session that serves the method table. Faults the reader finds are answered here (vscode-jsonrpc sends no
-32700 and ignores batches); everything else goes through the session.
*/
import {
  createMessageConnection,
  ProgressType,
  type Logger as JsonRpcLogger,
  type Message,
  type RequestMessage,
  type ResponseMessage,
} from 'vscode-jsonrpc/node';
import type {EngineHandle} from './engine-handle.js';
import {DEFAULT_FRAME_LIMITS, FramingState, type FrameLimits} from './framing/framing.js';
import {FramedMessageReader} from './framing/reader.js';
import {FramedMessageWriter} from './framing/writer.js';
import type {Logger} from './log.js';
import type {WorkDoneProgress} from './methods/define.js';
import type {ServerPolicy} from './policy.js';
import {Session} from './session/session.js';
import {throttleProgress} from './session/throttle-progress.js';

export interface RpcServerOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Writes protocol bytes (default: output.write); see FramedMessageWriter. */
  readonly write?: (data: string) => unknown;
  readonly engine: EngineHandle;
  readonly policy: ServerPolicy;
  readonly log: Logger;
  readonly serverInfo: {readonly name: string; readonly version: string};
  readonly limits?: Partial<FrameLimits>;
  readonly initializeProbeMs?: number;
  readonly drainMs?: number;
}

export interface RpcServer {
  /** Resolves with the exit code when the session ended (`exit`, or the end of input). */
  readonly done: Promise<number>;
  readonly session: Session;
  /** Ends the session as if the input had ended (answered requests drain first). */
  close(): Promise<number>;
  /** Ends the session now, as `exit` does: running requests are cancelled and rolled back. */
  terminate(): Promise<number>;
}

const WORK_DONE = new ProgressType<WorkDoneProgress>();

/** `system.ping` with no params or `{}` (with `engine: true` it waits for the engine: the normal path). */
function isPlainPing(message: Message): message is RequestMessage & {id: string | number} {
  if (!('method' in message) || message.method !== 'system.ping') return false;
  const {id, params} = message as RequestMessage;
  if (typeof id !== 'string' && typeof id !== 'number') return false;
  return (
    params === undefined ||
    (typeof params === 'object' &&
      params !== null &&
      !Array.isArray(params) &&
      Object.keys(params).length === 0)
  );
}

function jsonRpcLogger(log: Logger): JsonRpcLogger {
  return {
    error: (message) => log.log('error', message),
    warn: (message) => log.log('warn', message),
    info: (message) => log.log('debug', message),
    log: (message) => log.log('trace', message),
  };
}

export function startRpcServer(options: RpcServerOptions): RpcServer {
  const {log} = options;
  const limits = {...DEFAULT_FRAME_LIMITS, ...options.limits};
  const framing = new FramingState();
  const writer = new FramedMessageWriter(options.output, framing, options.write);
  // The reader is built before the session (the session needs the connection); it counts requests through this.
  const current: {session?: Session} = {};
  const reader = new FramedMessageReader(options.input, {
    framing,
    limits,
    onFraming: (detected) => log.log('debug', `framing: ${detected}`),
    // A plain liveness ping is answered as it is read, not behind the requests queued before it: a client
    // that pipelines 50 pod.create calls still learns within milliseconds that the server is alive.
    intercept: (message) => {
      if (!isPlainPing(message) || current.session?.state !== 'ready') return false;
      const pong: ResponseMessage = {jsonrpc: '2.0', id: message.id, result: {ok: true}};
      void writer.write(pong);
      return true;
    },
    onMessage: (message) => {
      if ('id' in message && 'method' in message) current.session?.received();
    },
    onFault: (fault) => {
      log.log('warn', `protocol error ${fault.code}: ${fault.message}`, {id: fault.id, ...fault.data});
      const response: ResponseMessage = {
        jsonrpc: '2.0',
        id: fault.id,
        error: {code: fault.code, message: fault.message, data: fault.data},
      };
      void writer.write(response);
    },
    onSkipped: (bytes, reason) => log.log('warn', `skipped ${bytes} bytes: ${reason}`),
  });
  const connection = createMessageConnection(reader, writer, jsonRpcLogger(log));
  const progress = throttleProgress((token, value) => {
    void connection.sendProgress(WORK_DONE, token, value);
  });
  const live = new Session({
    engine: options.engine,
    policy: options.policy,
    log,
    serverInfo: options.serverInfo,
    framing,
    maxMessageBytes: limits.maxMessageBytes,
    outlet: {
      send: (method, params) => {
        void connection.sendNotification(method, params);
      },
      pendingBytes: () => writer.pendingBytes,
      drained: () => writer.drained(),
    },
    sendProgress: progress,
    ...(options.initializeProbeMs === undefined ? {} : {initializeProbeMs: options.initializeProbeMs}),
    ...(options.drainMs === undefined ? {} : {drainMs: options.drainMs}),
  });
  current.session = live;
  connection.onRequest((method, params, token) => live.request(method, params, token));
  connection.onNotification((method, params) => {
    live.notification(method, params);
  });
  connection.onError(([error]) => log.log('warn', `connection error: ${error.message}`));
  connection.onClose(() => {
    void live.end('closed');
  });
  connection.listen();
  const done = live.ended.then((code) => {
    connection.dispose();
    return code;
  });
  return {
    done,
    session: live,
    close: () => live.end('closed'),
    terminate: () => live.end('exit'),
  };
}
