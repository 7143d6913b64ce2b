/**
One rpc connection's life: `initialize` first, requests (each with an AbortSignal bridged from
`$/cancelRequest`), `shutdown`, then `exit` or the end of input. At the end every subscription closes, requests
still running are aborted (the engine rolls back what they started), and the engine is closed; pods keep running.
*/
import type {CancellationToken} from 'vscode-jsonrpc/node';
import {EngineError, type RuntimeVersion} from '../../src/index.js';
import {checkReadOnly, methodNamed, parseParams} from '../dispatch.js';
import type {EngineHandle} from '../engine-handle.js';
import {RPC_ERROR, rpcError, toResponseError} from '../errors.js';
import type {FramingState} from '../framing/framing.js';
import type {Logger} from '../log.js';
import {maskForLog} from '../mask.js';
import type {AnyMethod, CallContext, WorkDoneProgress} from '../methods/define.js';
import type {ServerPolicy} from '../policy.js';
import {CLIENT_NOTIFICATIONS, PROTOCOL_VERSION} from '../protocol.js';
import {NotificationPump, type Outlet} from './pump.js';
import {Subscriptions} from './subscriptions.js';

export type LifecycleState = 'new' | 'ready' | 'shutdown' | 'exited';

export interface SessionOptions {
  readonly engine: EngineHandle;
  readonly policy: ServerPolicy;
  readonly log: Logger;
  readonly serverInfo: {readonly name: string; readonly version: string};
  readonly framing: FramingState;
  readonly maxMessageBytes: number;
  readonly outlet: Outlet;
  readonly sendProgress: (token: string | number, value: WorkDoneProgress) => void;
  /** How long `initialize` waits to learn whether the engine answers (default 150 ms). */
  readonly initializeProbeMs?: number;
  /** How long requests may still run after the input ended (default 30 s). */
  readonly drainMs?: number;
}

export interface EngineStatus {
  readonly reachable: boolean;
  readonly endpoint: string;
  readonly apiVersion: string | null;
  readonly version?: RuntimeVersion;
  readonly error?: string;
}

export interface InitializeResult {
  readonly serverInfo: {readonly name: string; readonly version: string};
  readonly protocolVersion: string;
  readonly capabilities: {
    readonly framing: 'headers' | 'ndjson';
    readonly batches: boolean;
    readonly maxMessageBytes: number;
    readonly readOnly: boolean;
    readonly allowPrivileged: boolean;
    readonly allowBind: string[];
    readonly cancellation: boolean;
    readonly progress: boolean;
    readonly subscriptions: string[];
  };
  readonly engine: EngineStatus;
}

interface InFlight {
  readonly method: string;
  readonly cancel: LazyCancel;
  done: Promise<void>;
}

const NOTIFICATION_NAMES: ReadonlySet<string> = new Set(CLIENT_NOTIFICATIONS);

function settleWithin(promises: readonly Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void Promise.allSettled(promises).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export class Session {
  readonly subscriptions: Subscriptions;
  readonly #options: SessionOptions;
  readonly #pump: NotificationPump;
  readonly #inflight = new Set<InFlight>();
  #state: LifecycleState = 'new';
  #received = 0;
  #finished = 0;
  #ending: Promise<number> | undefined;
  #clientName: string | undefined;
  #resolveEnded: (code: number) => void = () => undefined;
  /** Resolves with the exit code once the session has ended. */
  readonly ended: Promise<number>;

  constructor(options: SessionOptions) {
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
    this.#options = options;
    this.#pump = new NotificationPump(options.outlet);
    this.subscriptions = new Subscriptions(this.#pump, options.log);
  }

  get state(): LifecycleState {
    return this.#state;
  }

  get policy(): ServerPolicy {
    return this.#options.policy;
  }

  /** Counts a request the reader delivered (to drain them when the input ends). */
  received(): void {
    this.#received++;
  }

  async request(method: string, raw: unknown, token: CancellationToken): Promise<unknown> {
    try {
      const def = this.#admit(method);
      return await this.#run(def, raw, token);
    } finally {
      this.#finished++;
    }
  }

  /** Lifecycle and method lookup, before anything else. */
  #admit(method: string): AnyMethod {
    if (NOTIFICATION_NAMES.has(method)) {
      throw rpcError(
        RPC_ERROR.InvalidRequest,
        `Invalid Request: ${method} is a notification; send it without an id`,
        {
          code: 'NOTIFICATION_WITH_ID',
          method,
        },
      );
    }
    if (this.#state === 'new' && method !== 'initialize') {
      throw rpcError(RPC_ERROR.ServerNotInitialized, 'Server not initialized: send initialize first', {
        code: 'SERVER_NOT_INITIALIZED',
        method,
      });
    }
    if ((this.#state === 'shutdown' && method !== 'shutdown') || this.#state === 'exited') {
      throw rpcError(RPC_ERROR.InvalidRequest, 'Invalid Request: the server is shutting down', {
        code: 'SHUTTING_DOWN',
        method,
      });
    }
    const def = methodNamed(method);
    if (def === undefined) {
      throw rpcError(RPC_ERROR.MethodNotFound, `Method not found: ${method}`, {
        code: 'METHOD_NOT_FOUND',
        method,
      });
    }
    return def;
  }

  async #run(def: AnyMethod, raw: unknown, token: CancellationToken): Promise<unknown> {
    const cancel = new LazyCancel(token, def.name);
    const entry: InFlight = {method: def.name, cancel, done: Promise.resolve()};
    const log = this.#options.log;
    const debug = log.enabled('debug');
    const started = debug ? performance.now() : 0;
    if (debug) log.log('debug', `-> ${def.name}`, {params: maskForLog(raw)});
    const work = this.#invoke(def, raw, cancel);
    entry.done = work.then(
      () => undefined,
      () => undefined,
    );
    this.#inflight.add(entry);
    try {
      const result = await work;
      if (debug) log.log('debug', `<- ${def.name} ok`, {ms: Math.round(performance.now() - started)});
      return result;
    } catch (error) {
      const response = toResponseError(error, cancel.aborted);
      if (response.code === RPC_ERROR.InternalError) {
        log.log('error', `${def.name} failed`, {
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      } else if (debug) {
        log.log('debug', `<- ${def.name} error ${response.code}`, {message: response.message});
      }
      throw response;
    } finally {
      cancel.dispose();
      this.#inflight.delete(entry);
    }
  }

  async #invoke(def: AnyMethod, raw: unknown, cancel: LazyCancel): Promise<unknown> {
    checkReadOnly(def, this.#options.policy.readOnly);
    const params = parseParams(def, raw);
    const token = def.progress === true ? progressToken(raw) : undefined;
    const send = this.#options.sendProgress;
    const options = this.#options;
    const ctx: CallContext = {
      method: def.name,
      // Built on first use: most quick methods never wait, and a signal per request costs throughput.
      get signal() {
        return cancel.signal;
      },
      engine: () => options.engine.get(),
      policy: options.policy,
      log: options.log,
      face: 'rpc',
      session: this,
      progress: token === undefined ? () => undefined : (value) => send(token, value),
    };
    await def.policy?.(params, ctx);
    if (token === undefined) return def.handle(params, ctx);
    send(token, {kind: 'begin', title: def.name});
    try {
      return await def.handle(params, ctx);
    } finally {
      send(token, {kind: 'end'});
    }
  }

  notification(method: string, params: unknown): void {
    if (method === 'exit') {
      void this.end('exit');
      return;
    }
    if (method === 'initialized' || method === '$/setTrace') return;
    const known = methodNamed(method) !== undefined;
    this.#options.log.log(
      'warn',
      known
        ? `dropped ${method}: it is a request and came without an id (notifications get no answer, so it was not run)`
        : `dropped unknown notification ${method}`,
      {params: maskForLog(params)},
    );
  }

  /** `initialize`: the server's identity and capabilities, and whether the engine answers right now. */
  async initialize(clientName: string | undefined): Promise<InitializeResult> {
    if (this.#state !== 'new') {
      throw rpcError(RPC_ERROR.InvalidRequest, 'Invalid Request: initialize was already called', {
        code: 'ALREADY_INITIALIZED',
      });
    }
    this.#state = 'ready';
    this.#clientName = clientName;
    if (clientName !== undefined) this.#options.log.log('info', `client ${clientName} connected`);
    const policy = this.#options.policy;
    return {
      serverInfo: {...this.#options.serverInfo},
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {
        framing: this.#options.framing.framing,
        batches: false,
        maxMessageBytes: this.#options.maxMessageBytes,
        readOnly: policy.readOnly,
        allowPrivileged: policy.allowPrivileged,
        allowBind: [...policy.allowBindRoots],
        cancellation: true,
        progress: true,
        subscriptions: ['events', 'logs', 'stats'],
      },
      engine: await this.#probeEngine(),
    };
  }

  async #probeEngine(): Promise<EngineStatus> {
    const handle = this.#options.engine;
    const signal = AbortSignal.timeout(this.#options.initializeProbeMs ?? 150);
    try {
      const engine = await Promise.race([
        handle.get(),
        new Promise<never>((_, reject) => {
          signal.addEventListener('abort', () => {
            reject(new Error('the engine is still starting'));
          });
        }),
      ]);
      const version = await engine.version({signal});
      return {
        reachable: true,
        endpoint: engine.connection().endpoint,
        apiVersion: version.apiVersion,
        version,
      };
    } catch (error) {
      const connection = handle.peek()?.connection();
      const message = signal.aborted
        ? `no answer within ${this.#options.initializeProbeMs ?? 150} ms; engine/connectionChanged reports when it does`
        : error instanceof Error
          ? error.message
          : String(error);
      return {
        reachable: false,
        endpoint: connection?.endpoint ?? handle.endpoint,
        apiVersion:
          connection?.apiVersion === undefined || connection.apiVersion === '' ? null : connection.apiVersion,
        error: message,
      };
    }
  }

  /** `shutdown`: no new work; running requests finish (bounded), subscriptions close. The process waits for `exit`. */
  async shutdown(): Promise<null> {
    if (this.#state === 'shutdown') return null;
    this.#state = 'shutdown';
    this.subscriptions.closeAll();
    const others = [...this.#inflight].filter((entry) => entry.method !== 'shutdown');
    await settleWithin(
      others.map((entry) => entry.done),
      this.#options.drainMs ?? 30_000,
    );
    for (const entry of this.#inflight) if (entry.method !== 'shutdown') entry.cancel.abort();
    await settleWithin(
      others.map((entry) => entry.done),
      5000,
    );
    return null;
  }

  /**
  Ends the session. `exit`: running requests are aborted now; exit code 0 after shutdown, else 1 (LSP). End of
  input: requests already received still get their answers (bounded by drainMs), then the same; exit code 0.
  */
  end(reason: 'exit' | 'closed'): Promise<number> {
    this.#ending ??= this.#end(reason).then((code) => {
      this.#resolveEnded(code);
      return code;
    });
    return this.#ending;
  }

  async #end(reason: 'exit' | 'closed'): Promise<number> {
    const orderly = this.#state === 'shutdown';
    this.subscriptions.closeAll();
    if (reason === 'closed') await this.#drain(this.#options.drainMs ?? 30_000);
    this.#options.log.log('debug', `ending the session (${reason})`);
    this.#state = 'exited';
    this.#pump.close();
    for (const entry of this.#inflight) entry.cancel.abort();
    await settleWithin(
      [...this.#inflight].map((entry) => entry.done),
      5000,
    );
    this.#options.log.log('debug', 'closing the engine');
    await settleWithin([this.#options.engine.close()], 5000);
    this.#options.log.log(
      'info',
      `session ended (${reason})`,
      this.#clientName === undefined ? {} : {client: this.#clientName},
    );
    return reason === 'exit' && !orderly ? 1 : 0;
  }

  /** Waits until every request received has been answered, or `ms` passed. */
  async #drain(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.#finished < this.#received && Date.now() < deadline) {
      await settleWithin(
        [...this.#inflight].map((entry) => entry.done),
        Math.min(50, deadline - Date.now()),
      );
      // Requests still queued inside vscode-jsonrpc are dispatched one per tick.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
A request's AbortSignal, made only when a handler asks for it, aborted by `$/cancelRequest` or by the server
ending the session (whichever came first, even before the signal existed).
*/
class LazyCancel {
  readonly #token: CancellationToken;
  readonly #method: string;
  #controller: AbortController | undefined;
  #listener: {dispose(): void} | undefined;
  #aborted = false;

  constructor(token: CancellationToken, method: string) {
    this.#token = token;
    this.#method = method;
  }

  /** Cancelled by the client or by the server. */
  get aborted(): boolean {
    return this.#aborted || this.#token.isCancellationRequested;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.aborted) controller.abort(this.#reason());
      else this.#listener = this.#token.onCancellationRequested(() => controller.abort(this.#reason()));
    }
    return this.#controller.signal;
  }

  abort(): void {
    this.#aborted = true;
    this.#controller?.abort(this.#reason());
  }

  dispose(): void {
    this.#listener?.dispose();
  }

  #reason(): EngineError {
    return new EngineError('CANCELLED', `${this.#method} cancelled`);
  }
}

function progressToken(raw: unknown): string | number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const token = (raw as Record<string, unknown>)['workDoneToken'];
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}
