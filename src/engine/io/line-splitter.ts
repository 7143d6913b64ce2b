/**
Turns a log stream's chunks into lines. Docker frames split anywhere, mid-line and mid-UTF-8 character, so
each stream (stdout, stderr) has its own streaming decoder and its own partial line. Line ends are `\n` or
`\r\n` (a TTY's), the `\r` dropped; a last line without a newline comes out at `end()`.

With timestamps, Docker puts one before each message. Lines that carry none (a TTY writes several lines in
one message) take the last timestamp seen on their stream. Known limit: Docker stores a line longer than 16 KiB
as several messages, each with its own timestamp, so such a line keeps the inner timestamps in its text.
*/
import {StringDecoder} from 'node:string_decoder';
import type {LogChunk} from '../../runtime/port.js';
import {splitTimestamp} from './log-time.js';

/** One complete line of one stream. */
export interface SplitLine {
  readonly stream: 'stdout' | 'stderr';
  /** Docker's RFC 3339 timestamp ('' when timestamps were not asked for and none was seen). */
  readonly ts: string;
  readonly text: string;
}

export interface LineSplitterOptions {
  /** Whether lines start with Docker's timestamp (logs asked with `timestamps`). */
  readonly timestamps: boolean;
  /**
  A partial line longer than this many characters is emitted as a line of its own, so output without
  newlines cannot grow memory without bound (default 1 MiB).
  */
  readonly maxLineChars?: number;
}

const DEFAULT_MAX_LINE_CHARS = 1024 * 1024;

interface StreamState {
  readonly decoder: StringDecoder;
  partial: string;
  lastTs: string;
}

export class LineSplitter {
  readonly #timestamps: boolean;
  readonly #maxLineChars: number;
  readonly #streams: Record<'stdout' | 'stderr', StreamState> = {
    stdout: {decoder: new StringDecoder('utf8'), partial: '', lastTs: ''},
    stderr: {decoder: new StringDecoder('utf8'), partial: '', lastTs: ''},
  };

  constructor(options: LineSplitterOptions) {
    this.#timestamps = options.timestamps;
    this.#maxLineChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  }

  /** Feeds one chunk; returns the lines it completed, in order. */
  push(chunk: LogChunk): SplitLine[] {
    const state = this.#streams[chunk.stream];
    const text = state.partial + state.decoder.write(chunk.data);
    const lines: SplitLine[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      lines.push(this.#line(chunk.stream, text.slice(start, newline)));
      start = newline + 1;
    }
    state.partial = text.slice(start);
    while (state.partial.length > this.#maxLineChars) {
      lines.push(this.#line(chunk.stream, state.partial.slice(0, this.#maxLineChars)));
      state.partial = state.partial.slice(this.#maxLineChars);
    }
    return lines;
  }

  /** Ends both streams: the last partial lines (stdout first), with any incomplete character as U+FFFD. */
  end(): SplitLine[] {
    const lines: SplitLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const state = this.#streams[stream];
      const rest = state.partial + state.decoder.end();
      state.partial = '';
      if (rest !== '') lines.push(this.#line(stream, rest));
    }
    return lines;
  }

  #line(stream: 'stdout' | 'stderr', raw: string): SplitLine {
    const state = this.#streams[stream];
    const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!this.#timestamps) return {stream, ts: state.lastTs, text: body};
    const split = splitTimestamp(body);
    if (split === undefined) return {stream, ts: state.lastTs, text: body};
    state.lastTs = split.ts;
    return {stream, ts: split.ts, text: split.text};
  }
}
