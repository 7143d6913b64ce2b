/**
Back-pressure for notifications. Subscriptions queue what they want to say; the pump sends it only while
the client keeps up (the output holds less than the high-water mark), taking from each subscription in turn.
Replies never wait for the pump, so a flood of log lines or a client that reads slowly delays no request.
*/

/** Where notifications go (the connection), and how full the pipe to the client is. */
export interface Outlet {
  send(method: string, params: unknown): void;
  pendingBytes(): number;
  drained(): Promise<void>;
}

/** One subscription's outgoing queue. */
export interface NotificationSource {
  /** The next notification to send, or undefined when there is nothing right now. */
  take(): {readonly method: string; readonly params: unknown} | undefined;
}

/** Bytes queued towards the client above which the pump waits for it to read. */
export const HIGH_WATER_BYTES = 256 * 1024;

export class NotificationPump {
  readonly #outlet: Outlet;
  readonly #highWater: number;
  readonly #ready = new Set<NotificationSource>();
  #running = false;
  #closed = false;

  constructor(outlet: Outlet, highWater = HIGH_WATER_BYTES) {
    this.#outlet = outlet;
    this.#highWater = highWater;
  }

  /** Says `source` has something to send. */
  wake(source: NotificationSource): void {
    if (this.#closed) return;
    this.#ready.add(source);
    if (this.#running) return;
    this.#running = true;
    // Later, not now: the reply to the subscribe call goes out before its first notification.
    setImmediate(() => {
      void this.#run();
    });
  }

  /** Forgets a source (its subscription ended). */
  remove(source: NotificationSource): void {
    this.#ready.delete(source);
  }

  close(): void {
    this.#closed = true;
    this.#ready.clear();
  }

  async #run(): Promise<void> {
    try {
      while (!this.#closed && this.#ready.size > 0) {
        if (this.#outlet.pendingBytes() > this.#highWater) {
          await this.#outlet.drained();
          continue;
        }
        for (const source of [...this.#ready]) {
          const next = source.take();
          if (next === undefined) this.#ready.delete(source);
          else this.#outlet.send(next.method, next.params);
        }
        // Let requests in between rounds.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#running = false;
    }
  }
}
