/**
The two framings a client may speak: LSP-style `Content-Length` headers, or newline-delimited JSON (MCP, ACP).
The server picks one from the first non-whitespace byte it reads and answers in the same.
*/

export type Framing = 'headers' | 'ndjson';

/** Whitespace JSON allows between values (space, tab, LF, CR). */
export function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** `{` or `[` starts a JSON value, so the client sends bare JSON lines; anything else is a header. */
export function detectFraming(firstByte: number): Framing {
  return firstByte === 0x7b || firstByte === 0x5b ? 'ndjson' : 'headers';
}

/** Where the framing, once detected, is kept for the writer (replies use the client's framing). */
export class FramingState {
  #framing: Framing | undefined;

  constructor(initial?: Framing) {
    this.#framing = initial;
  }

  /** The detected framing; headers until the client said otherwise (LSP is the default). */
  get framing(): Framing {
    return this.#framing ?? 'headers';
  }

  get detected(): boolean {
    return this.#framing !== undefined;
  }

  set(framing: Framing): void {
    this.#framing = framing;
  }
}

/** Limits that keep a hostile or broken client from wedging the reader or exhausting memory. */
export interface FrameLimits {
  /** Largest message body accepted; bigger ones are answered -32600 and skipped (default 16 MiB). */
  readonly maxMessageBytes: number;
  /** Longest header block before the reader gives up on it and resyncs (default 8 KiB). */
  readonly maxHeaderBytes: number;
  /** How long a partly received message may sit with no new bytes before it is answered and dropped. */
  readonly partialMessageTimeoutMs: number;
}

export const DEFAULT_FRAME_LIMITS: FrameLimits = {
  maxMessageBytes: 16 * 1024 * 1024,
  maxHeaderBytes: 8 * 1024,
  partialMessageTimeoutMs: 1000,
};
