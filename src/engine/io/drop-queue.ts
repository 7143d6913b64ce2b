/**
A bounded queue between producers that must never wait (log streams read as fast as Docker sends) and one
consumer that may be slow (a pipe, a JSON-RPC connection). When full, the oldest item goes: a follower wants
the freshest lines. Losses are not silent: the consumer receives `{kind: 'dropped', count}` exactly where
the gap is, before the first item that came after the lost ones.
*/

/** What the consumer receives: an item, or the number of items lost at this point of the sequence. */
export type QueueItem<T> =
  {readonly kind: 'item'; readonly value: T} | {readonly kind: 'dropped'; readonly count: number};

export class DropQueue<T> {
  readonly #capacity: number;
  readonly #ring: (T | undefined)[];
  #head = 0;
  #size = 0;
  /** Lost since the consumer last took something: reported before the next item. */
  #pendingDropped = 0;
  #totalDropped = 0;
  #closed = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity ${capacity} < 1`);
    this.#capacity = capacity;
    this.#ring = new Array<T | undefined>(capacity);
  }

  /** Adds an item; when full, the oldest is dropped and counted. Ignored after `close`. */
  push(value: T): void {
    if (this.#closed) return;
    if (this.#size === this.#capacity) {
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#capacity;
      this.#size -= 1;
      this.#pendingDropped += 1;
      this.#totalDropped += 1;
    }
    this.#ring[(this.#head + this.#size) % this.#capacity] = value;
    this.#size += 1;
    this.#notify();
  }

  /** No more items; the consumer drains what is buffered, then ends (or throws `error` when given). */
  close(error?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error =
      error === undefined || error instanceof Error
        ? error
        : new Error('queue closed with a non-Error', {cause: error});
    this.#notify();
  }

  /** Items dropped since the queue was made. */
  get dropped(): number {
    return this.#totalDropped;
  }

  /** Items waiting. */
  get size(): number {
    return this.#size;
  }

  /** The next item or drop marker, waiting for one; undefined once closed and drained. */
  async next(): Promise<QueueItem<T> | undefined> {
    for (;;) {
      if (this.#pendingDropped > 0) {
        const count = this.#pendingDropped;
        this.#pendingDropped = 0;
        return {kind: 'dropped', count};
      }
      if (this.#size > 0) {
        const value = this.#ring[this.#head] as T;
        this.#ring[this.#head] = undefined;
        this.#head = (this.#head + 1) % this.#capacity;
        this.#size -= 1;
        return {kind: 'item', value};
      }
      if (this.#closed) {
        if (this.#error !== undefined) throw this.#error;
        return undefined;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
