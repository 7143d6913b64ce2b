/**
Newline-delimited JSON: one message per line (MCP's stdio rule). A line longer than the limit is answered
-32600 and skipped up to its newline, so the next line is read normally.
*/
import {RPC_ERROR} from '../error-codes.js';
import {ByteQueue} from './byte-queue.js';
import {isJsonWhitespace, type FrameLimits} from './framing.js';
import {COMPLETE, type FrameSplitter, type SplitterSink} from './splitter.js';

const NEWLINE = 0x0a;

export class NdjsonSplitter implements FrameSplitter {
  readonly #sink: SplitterSink;
  readonly #limits: FrameLimits;
  readonly #queue = new ByteQueue();
  /** Inside a line that was too long: everything up to its newline is dropped. */
  #discarding = false;
  #discarded = 0;

  constructor(sink: SplitterSink, limits: FrameLimits) {
    this.#sink = sink;
    this.#limits = limits;
  }

  get pending(): number {
    return this.#discarding ? 0 : this.#queue.length;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) break;
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.#discarding) {
        this.#endDiscard(piece.length);
        continue;
      }
      let line = piece;
      if (this.#queue.length > 0) {
        this.#queue.push(piece);
        line = this.#queue.take(this.#queue.length);
      }
      if (line.length > this.#limits.maxMessageBytes) this.#tooLarge(line.length);
      else this.#emit(line);
    }
    const rest = chunk.subarray(start);
    if (this.#discarding) {
      this.#discarded += rest.length;
      return;
    }
    this.#queue.push(rest);
    if (this.#queue.length > this.#limits.maxMessageBytes) {
      this.#tooLarge(this.#queue.length);
      this.#discarding = true;
      this.#discarded = this.#queue.length;
      this.#queue.clear();
    }
  }

  expire(): void {
    if (this.#queue.length === 0) return;
    const partial = this.#queue.take(this.#queue.length);
    if (partial.every(isJsonWhitespace)) return;
    this.#sink.frame(partial, {kind: 'incomplete', received: partial.length});
  }

  #emit(line: Buffer): void {
    if (line.every(isJsonWhitespace)) return;
    this.#sink.frame(line, COMPLETE);
  }

  #endDiscard(bytes: number): void {
    this.#discarding = false;
    this.#sink.skipped(this.#discarded + bytes + 1, 'the rest of a message over the size limit');
    this.#discarded = 0;
  }

  #tooLarge(received: number): void {
    this.#sink.fault({
      id: null,
      code: RPC_ERROR.InvalidRequest,
      message: `Message too large: more than ${this.#limits.maxMessageBytes} bytes`,
      data: {code: 'MESSAGE_TOO_LARGE', limitBytes: this.#limits.maxMessageBytes, receivedBytes: received},
    });
  }
}
