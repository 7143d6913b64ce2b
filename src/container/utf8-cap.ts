/**
Output caps that cut on a UTF-8 character boundary (the seed cut raw bytes at 256, splitting characters).
*/

/** The longest UTF-8 sequence; a cut never backs off further than this. */
const MAX_SEQUENCE_BYTES = 4;

function isContinuationByte(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/**
The largest length `<= maxBytes` at which `bytes` can be cut without splitting a UTF-8 character. Bytes that
are not valid UTF-8 are cut at `maxBytes` (there is no character to keep whole).
*/
export function utf8CutLength(bytes: Uint8Array, maxBytes: number): number {
  if (bytes.length <= maxBytes) return bytes.length;
  let cut = maxBytes;
  // The byte at `cut` is the first one dropped: a continuation byte there means a character starts before it.
  while (cut > 0 && maxBytes - cut < MAX_SEQUENCE_BYTES - 1 && isContinuationByte(bytes[cut])) cut -= 1;
  return isContinuationByte(bytes[cut]) ? maxBytes : cut;
}

/** `bytes` decoded as UTF-8, at most `maxBytes` of them, cut on a character boundary. */
export function capUtf8(
  bytes: Buffer,
  maxBytes: number,
): {readonly text: string; readonly truncated: boolean} {
  const length = utf8CutLength(bytes, maxBytes);
  return {text: bytes.subarray(0, length).toString('utf8'), truncated: length < bytes.length};
}

/**
Collects a stream's output up to a cap. Everything past the cap is counted and dropped (the stream is still
drained, so the writer never blocks on a full pipe).
*/
export class CappedOutput {
  readonly #maxBytes: number;
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  #seen = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Bytes received in total, kept or not. */
  get seenBytes(): number {
    return this.#seen;
  }

  push(chunk: Buffer): void {
    this.#seen += chunk.length;
    // A few bytes past the cap are kept so the cut can see whether it falls inside a character.
    const room = this.#maxBytes + MAX_SEQUENCE_BYTES - this.#kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.#chunks.push(part);
    this.#kept += part.length;
  }

  /** The text, cut on a character boundary; `truncated` when anything was left out. */
  result(): {readonly text: string; readonly truncated: boolean} {
    const capped = capUtf8(Buffer.concat(this.#chunks), this.#maxBytes);
    return {text: capped.text, truncated: capped.truncated || this.#seen > this.#kept};
  }
}
