/**
One rpc connection's life: `initialize` first, requests (each with an AbortSignal bridged from
`$/cancelRequest`), `shutdown`, then `exit` or the end of input. At the end every subscription closes, requests
still running are aborted (the engine rolls back what they started), and the engine is closed; pods keep running.
*/
import type {CancellationToken} from 'vscode-jsonrpc/node';
import {checkReadOnly, methodNamed, parseParams} from '../dispatch.js';
import type {EngineHandle} from '../engine-handle.js';
import {RPC_ERROR, rpcError, toResponseError} from '../errors.js';
import type {FramingState} from '../framing/framing.js';
import type {Logger} from '../log.js';
import {maskForLog} from '../mask.js';
import type {AnyMethod, CallContext, WorkDoneProgress} from '../methods/define.js';
import type {ServerPolicy} from '../policy.js';
import {CLIENT_NOTIFICATIONS} from '../protocol.js';
import {LazyCancel} from './lazy-cancel.js';
import {initializeResult, type InitializeResult} from './initialize.js';
import {probeEngine} from './probe-engine.js';
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
    return initializeResult(
      this.#options,
      await probeEngine(this.#options.engine, this.#options.initializeProbeMs ?? 150),
    );
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

function progressToken(raw: unknown): string | number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const token = (raw as Record<string, unknown>)['workDoneToken'];
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}
