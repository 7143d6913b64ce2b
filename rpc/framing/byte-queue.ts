/**
A queue of received chunks that is cheap to append to and to take whole messages from: a large message is
joined once, when complete, not on every chunk.
*/
export class ByteQueue {
  #chunks: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** Puts bytes back at the front (a frame that ran into the next one returns the overrun). */
  unshift(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.unshift(chunk);
    this.#length += chunk.length;
  }

  /** Everything queued as one buffer (joined once and kept joined). */
  peek(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks, this.#length)];
    return this.#chunks[0] ?? Buffer.alloc(0);
  }

  /** Removes and returns the first `n` bytes (n <= length). */
  take(n: number): Buffer {
    const all = this.peek();
    const head = all.subarray(0, n);
    this.#replace(all.subarray(n));
    return head;
  }

  /** Drops the first `n` bytes (or everything). */
  drop(n: number): void {
    if (n >= this.#length) {
      this.clear();
      return;
    }
    let left = n;
    while (left > 0) {
      const first = this.#chunks[0];
      if (first === undefined) break;
      if (first.length <= left) {
        this.#chunks.shift();
        left -= first.length;
      } else {
        this.#chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    this.#length -= n;
  }

  clear(): void {
    this.#chunks = [];
    this.#length = 0;
  }

  #replace(rest: Buffer): void {
    this.#chunks = rest.length === 0 ? [] : [rest];
    this.#length = rest.length;
  }
}
