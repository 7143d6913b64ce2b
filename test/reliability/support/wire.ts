/**
A raw peer for the fuzz: it writes any bytes to a spawned server and reads its replies in either framing
without copying the whole stream on every chunk (the reply stream runs to tens of MB). Replies are kept by id;
replies with a null id (answers to input that had no readable id) are counted and kept apart.
*/
import type {Spawned} from './server.js';

export type Framing = 'headers' | 'ndjson';

/** A message from the server. */
export interface Reply {
  readonly id?: unknown;
  readonly method?: string;
  readonly result?: unknown;
  readonly error?: {
    readonly code: number;
    readonly message: string;
    readonly data?: {readonly code?: string};
  };
}

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

/** The key a reply id is kept under: ids of both types in one map, `7` and `"7"` apart. */
export function idKey(id: unknown): string {
  return typeof id === 'number' ? `n:${id}` : `s:${String(id)}`;
}

export class WirePeer {
  readonly #spawned: Spawned;
  readonly #framing: Framing;
  readonly #byId = new Map<string, Reply[]>();
  readonly #nullReplies: Reply[] = [];
  readonly #notifications: Reply[] = [];
  readonly #problems: string[] = [];
  readonly #waiters = new Set<() => void>();
  #pending: Buffer = Buffer.alloc(0);
  #bodyLength = -1;

  constructor(spawned: Spawned, framing: Framing) {
    this.#spawned = spawned;
    this.#framing = framing;
    spawned.fromServer.on('data', (chunk: Buffer) => {
      this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
      this.#parse();
      for (const wake of this.#waiters) wake();
    });
  }

  /** Writes bytes to the server; resolves once the pipe took them (so a long run never floods memory). */
  write(bytes: Buffer): Promise<void> {
    const stdin = this.#spawned.child.stdin!;
    return new Promise((resolve, reject) => {
      stdin.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Replies to `id` so far (normally one). */
  repliesTo(id: unknown): readonly Reply[] {
    return this.#byId.get(idKey(id)) ?? [];
  }

  /** Every id answered so far, as keys. */
  answeredKeys(): IterableIterator<string> {
    return this.#byId.keys();
  }

  get nullReplies(): readonly Reply[] {
    return this.#nullReplies;
  }

  get notifications(): readonly Reply[] {
    return this.#notifications;
  }

  /** Output that was not a well-framed JSON message (there should be none). */
  get problems(): readonly string[] {
    return this.#problems;
  }

  /** Waits until `done()` holds, or `timeoutMs` passed (then false). */
  async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 200));
        this.#waiters.add(wake);
      });
    }
    return true;
  }

  #parse(): void {
    for (;;) {
      const body = this.#framing === 'ndjson' ? this.#nextLine() : this.#nextFrame();
      if (body === undefined) return;
      this.#accept(body);
    }
  }

  #nextLine(): Buffer | undefined {
    const newline = this.#pending.indexOf(0x0a);
    if (newline === -1) return undefined;
    const line = this.#pending.subarray(0, newline);
    this.#pending = this.#pending.subarray(newline + 1);
    return line;
  }

  #nextFrame(): Buffer | undefined {
    if (this.#bodyLength === -1) {
      const end = this.#pending.indexOf(HEADER_END);
      if (end === -1) return undefined;
      const header = this.#pending.toString('latin1', 0, end);
      const match = /^Content-Length: (\d+)$/.exec(header);
      if (match === null) {
        this.#problems.push(`bad header from the server: ${JSON.stringify(header.slice(0, 200))}`);
        this.#pending = this.#pending.subarray(end + HEADER_END.length);
        return undefined;
      }
      this.#bodyLength = Number(match[1]);
      this.#pending = this.#pending.subarray(end + HEADER_END.length);
    }
    if (this.#pending.length < this.#bodyLength) return undefined;
    const body = this.#pending.subarray(0, this.#bodyLength);
    this.#pending = this.#pending.subarray(this.#bodyLength);
    this.#bodyLength = -1;
    return body;
  }

  #accept(body: Buffer): void {
    let message: Reply;
    try {
      message = JSON.parse(body.toString('utf8')) as Reply;
    } catch {
      this.#problems.push(`not JSON from the server: ${JSON.stringify(body.toString('utf8').slice(0, 200))}`);
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.#problems.push(`not a message from the server: ${body.toString('utf8').slice(0, 200)}`);
    } else if (!('id' in message)) {
      this.#notifications.push(message);
    } else if (message.id === null) {
      this.#nullReplies.push(message);
    } else {
      const key = idKey(message.id);
      const kept = slim(message);
      const list = this.#byId.get(key);
      if (list === undefined) this.#byId.set(key, [kept]);
      else list.push(kept);
    }
  }
}

/**
A reply without its result's bulk (rpc.discover answers run to hundreds of KB): a subscription id if it has
one, null if it was null, else just true.
*/
function slim(message: Reply): Reply {
  if (!('result' in message)) return message;
  const result = message.result;
  const subscriptionId =
    typeof result === 'object' && result !== null && 'subscriptionId' in result
      ? result.subscriptionId
      : undefined;
  if (subscriptionId !== undefined) return {id: message.id, result: {subscriptionId}};
  return {id: message.id, result: result === null ? null : true};
}
