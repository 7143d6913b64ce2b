/**
Test helpers for the rpc face: an in-process server over PassThrough streams (with any Engine), the typed
client on top of it, a spawned binary, and a raw peer that writes bytes and reads parsed replies in either
framing (for hostile input).
*/
import {spawn, type ChildProcess} from 'node:child_process';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {createClient, type ClientOptions, type RpcClient} from '../../rpc/client/index.js';
import {SERVER_NODE_FLAGS} from '../../rpc/client/node-flags.js';
import {lazyEngine, type EngineHandle} from '../../rpc/engine-handle.js';
import {createLogger, silentLogger, type LogLevel} from '../../rpc/log.js';
import {DEFAULT_POLICY, type ServerPolicy} from '../../rpc/policy.js';
import {startRpcServer, type RpcServer, type RpcServerOptions} from '../../rpc/server.js';
import type {ContainerSpec, Engine, PodSpec} from '../../src/index.js';
import {testLabels} from './run-id.js';

/** The built program (`npm run build`), or another build named by BCS_EXECUTOR_BINARY. */
export const BINARY =
  process.env['BCS_EXECUTOR_BINARY'] ??
  fileURLToPath(new URL('../../dist/bcs-executor.mjs', import.meta.url));

/** The typed client on a spawned `bcs-executor rpc` (the real binary over real pipes). */
export function spawnClient(
  options: {
    readonly framing?: 'headers' | 'ndjson';
    readonly serverArgs?: readonly string[];
    readonly stderr?: 'inherit' | 'pipe';
  } = {},
): Promise<RpcClient> {
  return createClient({
    spawn: {
      args: [...SERVER_NODE_FLAGS, BINARY, 'rpc', ...(options.serverArgs ?? [])],
      stderr: options.stderr ?? 'inherit',
    },
    framing: options.framing ?? 'headers',
    initialize: {clientInfo: {name: 'e2e'}},
  });
}

export interface InProcess {
  readonly server: RpcServer;
  /** What the test writes: the server's stdin. */
  readonly toServer: PassThrough;
  /** What the server writes: its stdout. */
  readonly fromServer: PassThrough;
}

/** A server on PassThrough streams. `logLevel` sends its log to stderr (debugging a test). */
export function inProcessServer(
  engine: Engine,
  options: Partial<Omit<RpcServerOptions, 'input' | 'output' | 'engine' | 'log' | 'policy'>> & {
    readonly policy?: Partial<ServerPolicy>;
    readonly logLevel?: LogLevel;
    /** Instead of `engine` (an engine that is slow to build, or never builds). */
    readonly engineHandle?: EngineHandle;
  } = {},
): InProcess {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const {policy, logLevel, engineHandle, ...rest} = options;
  const server = startRpcServer({
    input: toServer,
    output: fromServer,
    engine: engineHandle ?? lazyEngine('unix:///stub.sock', () => Promise.resolve(engine)),
    policy: {...DEFAULT_POLICY, ...policy},
    log: logLevel === undefined ? silentLogger : createLogger(process.stderr, logLevel),
    serverInfo: {name: 'bcs-executor', version: 'test'},
    ...rest,
  });
  return {server, toServer, fromServer};
}

/** The typed client over an in-process server. */
export async function inProcessClient(
  engine: Engine,
  options: Parameters<typeof inProcessServer>[1] & Pick<ClientOptions, 'framing' | 'initialize'> = {},
): Promise<{client: RpcClient} & InProcess> {
  const {framing, initialize, ...serverOptions} = options;
  const running = inProcessServer(engine, serverOptions);
  const client = await createClient({
    streams: {fromServer: running.fromServer, toServer: running.toServer},
    ...(framing === undefined ? {} : {framing}),
    ...(initialize === undefined ? {} : {initialize}),
  });
  return {client, ...running};
}

export type RawMessage = Record<string, unknown> & {
  readonly id?: unknown;
  readonly error?: {code: number; message: string; data?: Record<string, unknown>};
};

/**
A peer that speaks bytes: `send` writes anything (broken frames included), `next` waits for the next parsed
message from the server, in whatever framing it answers.
*/
export class RawPeer {
  readonly #messages: RawMessage[] = [];
  readonly #waiters: (() => void)[] = [];
  #buffer = Buffer.alloc(0);
  readonly #write: (data: string | Buffer) => void;

  constructor(fromServer: NodeJS.ReadableStream, write: (data: string | Buffer) => void) {
    this.#write = write;
    fromServer.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
  }

  send(data: string | Buffer): void {
    this.#write(data);
  }

  /** One message in LSP framing. */
  sendFramed(message: unknown): void {
    const json = JSON.stringify(message);
    this.send(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  }

  /** One message as an NDJSON line. */
  sendLine(message: unknown): void {
    this.send(`${JSON.stringify(message)}\n`);
  }

  #parse(): void {
    for (;;) {
      const text = this.#buffer.toString('latin1');
      if (text.startsWith('Content-Length')) {
        const end = this.#buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        const length = Number(/Content-Length: (\d+)/.exec(text)?.[1]);
        if (this.#buffer.length < end + 4 + length) return;
        this.#push(this.#buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
        this.#buffer = this.#buffer.subarray(end + 4 + length);
      } else {
        const newline = this.#buffer.indexOf(0x0a);
        if (newline === -1) return;
        this.#push(this.#buffer.subarray(0, newline).toString('utf8'));
        this.#buffer = this.#buffer.subarray(newline + 1);
      }
    }
  }

  #push(json: string): void {
    this.#messages.push(JSON.parse(json) as RawMessage);
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** The next message matching `match` (earlier non-matching ones are kept for later calls). */
  async next(match: (message: RawMessage) => boolean = () => true, timeoutMs = 5000): Promise<RawMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#messages.findIndex(match);
      if (index !== -1) return this.#messages.splice(index, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message from the server within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The reply to request `id`. */
  reply(id: string | number | null, timeoutMs?: number): Promise<RawMessage> {
    return this.next(
      (message) => message.id === id && ('result' in message || 'error' in message),
      timeoutMs,
    );
  }

  /** Messages received and not yet taken. */
  get pending(): readonly RawMessage[] {
    return this.#messages;
  }
}

/** Spawns the built binary (`bcs-executor rpc ...args`) with pipes; stderr is collected. */
export function spawnBinary(
  args: readonly string[] = ['rpc'],
  env: NodeJS.ProcessEnv = process.env,
): {
  child: ChildProcess;
  peer: RawPeer;
  stderr: () => string;
  /** Resolves with stderr once it matches `pattern`; rejects after `timeoutMs` (stderr is its own pipe, so a
  line logged before a reply may arrive after it). */
  stderrMatching: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, BINARY, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const peer = new RawPeer(child.stdout, (data) => {
    child.stdin.write(data);
  });
  const stderrMatching = async (pattern: RegExp, timeoutMs = 5000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(stderr)) {
      if (Date.now() > deadline)
        throw new Error(`stderr did not match ${String(pattern)} in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return stderr;
  };
  return {child, peer, stderr: () => stderr, stderrMatching, exited};
}

/** A pod spec for e2e tests: demo-image containers, tagged with this run's label (removed by it afterwards). */
export function testPodSpec(
  name: string,
  containers: readonly ContainerSpec[] = [{name: 'app', image: 'bcs-executor/demo:local'}],
  extra: Partial<PodSpec> = {},
): PodSpec {
  return {name, labels: testLabels(), killPolicy: {graceSeconds: 2}, containers: [...containers], ...extra};
}

/** Waits for `check` to hold, polling every 20 ms, failing after `timeoutMs`. */
export async function eventually(
  check: () => boolean,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
