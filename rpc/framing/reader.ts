/**
The server's MessageReader for both framings. It detects the framing from the first non-whitespace byte,
splits frames, parses and checks each one, and reports what it cannot deliver as a fault (answered by the
server) instead of vscode-jsonrpc's silent drop. A partly received message is expired after a quiet period,
so a wrong Content-Length or a truncated line never wedges the connection.
*/
import {
  AbstractMessageReader,
  Disposable,
  type DataCallback,
  type Message,
  type MessageReader,
} from 'vscode-jsonrpc/node';
import {RPC_ERROR} from '../error-codes.js';
import {checkMessage} from './check-message.js';
import {readableId, type ProtocolFault} from './fault.js';
import {
  DEFAULT_FRAME_LIMITS,
  detectFraming,
  FramingState,
  isJsonWhitespace,
  type FrameLimits,
  type Framing,
} from './framing.js';
import {HeaderSplitter} from './header-splitter.js';
import {noteTraffic} from './memory-relief.js';
import {NdjsonSplitter} from './ndjson-splitter.js';
import type {FrameNote, FrameSplitter, SplitterSink} from './splitter.js';

export interface FramedReaderOptions {
  readonly framing?: FramingState;
  readonly limits?: Partial<FrameLimits>;
  /** Called for every fault; the server answers it. */
  readonly onFault: (fault: ProtocolFault) => void;
  /** Called once, when the framing is known. */
  readonly onFraming?: (framing: Framing) => void;
  /** Sees every message before vscode-jsonrpc does (the server counts requests to drain them at end of input). */
  readonly onMessage?: (message: Message) => void;
  /**
  Answers a message itself, ahead of vscode-jsonrpc's queue (which runs one message per tick, in order): true
  when it did, and the message goes no further.
  */
  readonly intercept?: (message: Message) => boolean;
  /** Skipped bytes, for the log. */
  readonly onSkipped?: (bytes: number, reason: string) => void;
}

export class FramedMessageReader extends AbstractMessageReader implements MessageReader {
  readonly framing: FramingState;
  readonly #input: NodeJS.ReadableStream;
  readonly #options: FramedReaderOptions;
  readonly #limits: FrameLimits;
  #splitter: FrameSplitter | undefined;
  #callback: DataCallback | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(input: NodeJS.ReadableStream, options: FramedReaderOptions) {
    super();
    this.#input = input;
    this.#options = options;
    this.framing = options.framing ?? new FramingState();
    this.#limits = {...DEFAULT_FRAME_LIMITS, ...options.limits};
  }

  listen(callback: DataCallback): Disposable {
    this.#callback = callback;
    const onData = (chunk: Buffer | string): void => {
      this.#push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    };
    const onEnd = (): void => {
      this.#end();
    };
    const onError = (error: Error): void => {
      this.fireError(error);
    };
    this.#input.on('data', onData);
    this.#input.on('end', onEnd);
    this.#input.on('close', onEnd);
    this.#input.on('error', onError);
    return Disposable.create(() => {
      this.#callback = undefined;
      this.#clearTimer();
      this.#input.off('data', onData);
      this.#input.off('end', onEnd);
      this.#input.off('close', onEnd);
      this.#input.off('error', onError);
    });
  }

  override dispose(): void {
    this.#clearTimer();
    super.dispose();
  }

  #push(chunk: Buffer): void {
    let data = chunk;
    if (this.#splitter === undefined) {
      let start = 0;
      while (start < data.length && isJsonWhitespace(data[start] ?? 0)) start++;
      if (start === data.length) return;
      data = data.subarray(start);
      const framing = this.framing.detected ? this.framing.framing : detectFraming(data[0] ?? 0);
      this.framing.set(framing);
      this.#splitter = this.#makeSplitter(framing);
      this.#options.onFraming?.(framing);
    }
    this.#splitter.push(data);
    this.#armTimer();
  }

  #makeSplitter(framing: Framing): FrameSplitter {
    const sink: SplitterSink = {
      frame: (body, note) => {
        this.#frame(body, note);
      },
      fault: (fault) => {
        this.#options.onFault(fault);
      },
      skipped: (bytes, reason) => {
        noteTraffic(bytes);
        this.#options.onSkipped?.(bytes, reason);
      },
    };
    return framing === 'ndjson'
      ? new NdjsonSplitter(sink, this.#limits)
      : new HeaderSplitter(sink, this.#limits);
  }

  #frame(body: Buffer, note: FrameNote): void {
    noteTraffic(body.length);
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      this.#options.onFault({
        id: null,
        code: RPC_ERROR.ParseError,
        message: 'Parse error: the message is not valid JSON',
        data: {
          code: 'PARSE_ERROR',
          reason: error instanceof Error ? error.message : String(error),
          ...frameDetail(note),
        },
      });
      return;
    }
    // A header frame whose length was wrong is refused even when its JSON happens to be whole: the client's
    // framing is broken, and answering with its id lets it see that instead of hanging.
    if (note.kind === 'overrun' || (note.kind === 'incomplete' && this.framing.framing === 'headers')) {
      this.#options.onFault({
        id: readableId(value),
        code: RPC_ERROR.InvalidRequest,
        message: 'Invalid Request: the Content-Length header does not match the message',
        data: {code: 'CONTENT_LENGTH_MISMATCH', ...frameDetail(note)},
      });
      return;
    }
    const checked = checkMessage(value);
    if ('fault' in checked) this.#options.onFault(checked.fault);
    else {
      if (this.#options.intercept?.(checked.message) === true) return;
      this.#options.onMessage?.(checked.message);
      this.#callback?.(checked.message);
    }
  }

  #armTimer(): void {
    this.#clearTimer();
    if (this.#ended || (this.#splitter?.pending ?? 0) === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#splitter?.expire();
    }, this.#limits.partialMessageTimeoutMs);
    // A half message must not keep the process alive after stdin is gone.
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#clearTimer();
    this.#splitter?.expire();
    this.fireClose();
  }
}

function frameDetail(note: FrameNote): Record<string, number> {
  if (note.kind === 'overrun') return {declaredBytes: note.declared, actualBytes: note.actual};
  if (note.kind === 'incomplete') {
    return note.declared === undefined
      ? {receivedBytes: note.received}
      : {declaredBytes: note.declared, receivedBytes: note.received};
  }
  return {};
}
