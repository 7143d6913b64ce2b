/**
Docker's multiplexed stream format (non-TTY logs, attach and exec): frames of an 8-byte header
`[type, 0, 0, 0, size (uint32 BE)]` and `size` bytes of payload; type 1 is stdout, 2 stderr, 0 stdin echoed
on stdout. Frames split anywhere across chunks, so the parser keeps the partial frame between pushes.
*/
export interface DemuxedFrame {
  readonly stream: 'stdout' | 'stderr';
  readonly data: Buffer;
}

const HEADER_BYTES = 8;

export class FrameDemuxer {
  #pending: Buffer = Buffer.alloc(0);

  /** Feeds one chunk; returns the complete frames it finished, in order. */
  push(chunk: Buffer): DemuxedFrame[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: DemuxedFrame[] = [];
    let offset = 0;
    while (this.#pending.length - offset >= HEADER_BYTES) {
      const type = this.#pending.readUInt8(offset);
      const size = this.#pending.readUInt32BE(offset + 4);
      if (this.#pending.length - offset - HEADER_BYTES < size) break;
      const start = offset + HEADER_BYTES;
      const data = Buffer.from(this.#pending.subarray(start, start + size));
      frames.push({stream: type === 2 ? 'stderr' : 'stdout', data});
      offset = start + size;
    }
    this.#pending = this.#pending.subarray(offset);
    return frames;
  }

  /** Bytes of an unfinished frame still held. */
  get bufferedBytes(): number {
    return this.#pending.length;
  }
}

/** Builds one frame; for tests and for the fake runtime's raw streams. */
export function encodeFrame(stream: 'stdout' | 'stderr', data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(stream === 'stderr' ? 2 : 1, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}
