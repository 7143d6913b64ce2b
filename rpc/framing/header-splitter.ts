/**
LSP-style framing: `Content-Length: N\r\n\r\n` then N bytes of JSON. A broken header or a wrong length never
wedges the reader: junk before a header is skipped up to the next `Content-Length`, a body that ran into the
next header gives the overrun back, and a body that never completes is expired by the reader's timer.
*/
import {RPC_ERROR} from '../error-codes.js';
import {ByteQueue} from './byte-queue.js';
import {isJsonWhitespace, type FrameLimits} from './framing.js';
import {COMPLETE, type FrameSplitter, type SplitterSink} from './splitter.js';

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;
const LENGTH_HEADER = /content-length[ \t]*:/gi;
/** Bytes kept when a header block never ends: enough for a `Content-Length` split across chunks. */
const KEEP_TAIL = 32;
/** How far before a blank line a header can start, when looking for one inside a body. */
const HEADER_WINDOW = 256;

type State =
  | {readonly kind: 'header'}
  | {readonly kind: 'body'; readonly length: number}
  | {readonly kind: 'skip'; remaining: number};

type HeaderBlock =
  {readonly ok: true; readonly length: number} | {readonly ok: false; readonly reason: string};

export class HeaderSplitter implements FrameSplitter {
  readonly #sink: SplitterSink;
  readonly #limits: FrameLimits;
  readonly #queue = new ByteQueue();
  #state: State = {kind: 'header'};

  constructor(sink: SplitterSink, limits: FrameLimits) {
    this.#sink = sink;
    this.#limits = limits;
  }

  get pending(): number {
    if (this.#state.kind === 'body') return Math.max(1, this.#queue.length);
    return this.#state.kind === 'header' ? this.#queue.length : 0;
  }

  push(chunk: Buffer): void {
    this.#queue.push(chunk);
    this.#drain();
  }

  expire(): void {
    const state = this.#state;
    if (state.kind === 'body') {
      const partial = this.#queue.take(this.#queue.length);
      this.#state = {kind: 'header'};
      this.#sink.frame(partial, {kind: 'incomplete', declared: state.length, received: partial.length});
    } else if (state.kind === 'header' && this.#queue.length > 0) {
      const bytes = this.#queue.length;
      this.#queue.clear();
      this.#sink.fault({
        id: null,
        code: RPC_ERROR.InvalidRequest,
        message: 'Invalid header: the header block never ended (expected a blank line after Content-Length)',
        data: {code: 'INVALID_HEADER', receivedBytes: bytes},
      });
    }
  }

  #drain(): void {
    for (;;) {
      const state = this.#state;
      if (state.kind === 'skip') {
        const n = Math.min(state.remaining, this.#queue.length);
        this.#queue.drop(n);
        state.remaining -= n;
        if (state.remaining > 0) return;
        this.#state = {kind: 'header'};
      } else if (state.kind === 'body') {
        if (this.#queue.length < state.length) return;
        const body = this.#queue.take(state.length);
        this.#state = {kind: 'header'};
        this.#body(body, state.length);
      } else if (!this.#header()) {
        return;
      }
    }
  }

  /** Reads one header block if it is all there; false when more bytes are needed. */
  #header(): boolean {
    if (this.#queue.length === 0) return false;
    const buffer = this.#queue.peek();
    let lead = 0;
    // Blank lines between messages are harmless.
    while (lead < buffer.length && isJsonWhitespace(buffer[lead] ?? 0)) lead++;
    if (lead > 0) {
      this.#queue.drop(lead);
      return true;
    }
    const end = buffer.indexOf(HEADER_END);
    if (end === -1) {
      if (buffer.length <= this.#limits.maxHeaderBytes) return false;
      const text = buffer.toString('latin1');
      const at = lastLengthHeader(text);
      const drop = at > 0 ? at : buffer.length - KEEP_TAIL;
      this.#queue.drop(drop);
      this.#sink.skipped(drop, 'a header block over the size limit');
      return true;
    }
    const block = buffer.toString('latin1', 0, end);
    const parsed = parseHeaderBlock(block);
    if (parsed.ok) {
      this.#queue.drop(end + HEADER_END.length);
      if (parsed.length > this.#limits.maxMessageBytes) {
        this.#tooLarge(parsed.length);
        this.#state = {kind: 'skip', remaining: parsed.length};
      } else {
        this.#state = {kind: 'body', length: parsed.length};
      }
      return true;
    }
    // Junk before a real header (the rest of a body whose Content-Length was too short): resync on it.
    const at = lastLengthHeader(block);
    if (at > 0) {
      this.#queue.drop(at);
      this.#sink.skipped(at, 'bytes before a Content-Length header');
      return true;
    }
    this.#queue.drop(end + HEADER_END.length);
    this.#sink.fault({
      id: null,
      code: RPC_ERROR.InvalidRequest,
      message: `Invalid header: ${parsed.reason}`,
      data: {code: 'INVALID_HEADER', reason: parsed.reason},
    });
    return true;
  }

  #body(body: Buffer, declared: number): void {
    const overrun = overrunAt(body);
    if (overrun === -1) {
      this.#sink.frame(body, COMPLETE);
      return;
    }
    // The declared length swallowed the start of the next message: hand that back, and flag this frame.
    this.#queue.unshift(body.subarray(overrun));
    this.#sink.frame(body.subarray(0, overrun), {kind: 'overrun', declared, actual: overrun});
  }

  #tooLarge(length: number): void {
    this.#sink.fault({
      id: null,
      code: RPC_ERROR.InvalidRequest,
      message: `Message too large: ${length} bytes, the limit is ${this.#limits.maxMessageBytes}`,
      data: {code: 'MESSAGE_TOO_LARGE', limitBytes: this.#limits.maxMessageBytes, receivedBytes: length},
    });
  }
}

function parseHeaderBlock(block: string): HeaderBlock {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    const match = HEADER_LINE.exec(line);
    if (match === null)
      return {ok: false, reason: `malformed header line ${JSON.stringify(line.slice(0, 80))}`};
    if (match[1]?.toLowerCase() !== 'content-length') continue;
    const value = match[2] ?? '';
    if (!/^\d{1,15}$/.test(value))
      return {ok: false, reason: `Content-Length ${JSON.stringify(value)} is not a byte count`};
    length = Number(value);
  }
  return length === undefined ? {ok: false, reason: 'missing Content-Length'} : {ok: true, length};
}

/** Where the last `Content-Length:` in `text` starts, or -1. */
function lastLengthHeader(text: string): number {
  let last = -1;
  for (const match of text.matchAll(LENGTH_HEADER)) last = match.index;
  return last;
}

/**
Where a header starts inside a body, or -1. JSON cannot hold a raw blank line after `Content-Length: N`, so
finding one means the declared length was too long.
*/
function overrunAt(body: Buffer): number {
  let from = 0;
  for (;;) {
    const blank = body.indexOf(HEADER_END, from);
    if (blank === -1) return -1;
    const start = Math.max(0, blank - HEADER_WINDOW);
    const window = body.toString('latin1', start, blank);
    const at = lastLengthHeader(window);
    if (at !== -1 && /^content-length[ \t]*:[ \t]*\d+[ \t]*(\r\n|$)/i.test(window.slice(at))) {
      const absolute = start + at;
      return absolute > 0 ? absolute : -1;
    }
    from = blank + 1;
  }
}
