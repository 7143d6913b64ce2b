/**
Splits a byte stream of concatenated JSON values (Docker's `/events`, `/stats?stream=1`, pull and build
progress) into the text of each value. Messages may arrive split across chunks, several to a chunk, with
or without newlines between them, and split inside a multi-byte character; the splitter tracks brace depth
outside strings so it never relies on the separators.
*/
export class JsonValueSplitter {
  #pending: Buffer = Buffer.alloc(0);
  /** Index in #pending where scanning resumes. */
  #scanned = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #start = -1;

  /** Feeds one chunk; returns the complete top-level values it finished, as text. */
  push(chunk: Buffer | string): string[] {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.#pending = this.#pending.length === 0 ? bytes : Buffer.concat([this.#pending, bytes]);
    const out: string[] = [];
    const buf = this.#pending;
    let consumed = 0;
    for (let i = this.#scanned; i < buf.length; i++) {
      const byte = buf[i];
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (byte === BACKSLASH) this.#escaped = true;
        else if (byte === QUOTE) this.#inString = false;
        continue;
      }
      if (byte === QUOTE) {
        this.#inString = true;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (this.#depth === 0) this.#start = i;
        this.#depth++;
      } else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && this.#depth > 0) {
        this.#depth--;
        if (this.#depth === 0) {
          // Byte offsets are safe to cut at: JSON structure bytes are ASCII and never inside a UTF-8 sequence.
          out.push(buf.subarray(this.#start, i + 1).toString('utf8'));
          consumed = i + 1;
          this.#start = -1;
        }
      } else if (this.#depth === 0) {
        consumed = i + 1; // whitespace (or stray bytes) between values
      }
    }
    this.#pending = buf.subarray(consumed);
    this.#scanned = this.#pending.length;
    if (this.#start >= 0) this.#start -= consumed;
    return out;
  }

  /** Bytes held back waiting for the rest of a value. */
  get bufferedBytes(): number {
    return this.#pending.length;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
