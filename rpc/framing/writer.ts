/**
The server's MessageWriter: one message per write, in the framing the client chose. Writes never wait for
the pipe (stdout on a pipe is asynchronous in Node), so a reply is queued at once; `pendingBytes` and
`drained()` let the notification pump hold back while the client is slow to read.
*/
import {AbstractMessageWriter, type Message, type MessageWriter} from 'vscode-jsonrpc/node';
import type {FramingState} from './framing.js';
import {noteTraffic} from './memory-relief.js';

export class FramedMessageWriter extends AbstractMessageWriter implements MessageWriter {
  readonly #output: NodeJS.WritableStream & {readonly writableLength?: number};
  readonly #framing: FramingState;
  readonly #write: (data: string) => unknown;
  #closed = false;

  /**
  `write` defaults to the output's own; the rpc command passes stdout's original write, having pointed
  `process.stdout.write` at stderr so nothing else can put bytes on the protocol stream.
  */
  constructor(output: NodeJS.WritableStream, framing: FramingState, write?: (data: string) => unknown) {
    super();
    this.#output = output;
    this.#framing = framing;
    this.#write = write ?? ((data) => output.write(data));
    output.on('error', (error: Error) => {
      this.fireError(error);
    });
    output.on('close', () => {
      this.#closed = true;
      this.fireClose();
    });
  }

  /** Bytes written but not yet taken by the client. */
  get pendingBytes(): number {
    return this.#output.writableLength ?? 0;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves when the output has room again (at once if it has). */
  drained(): Promise<void> {
    if (this.#closed || this.pendingBytes === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#output.off('drain', done);
        this.#output.off('close', done);
        resolve();
      };
      this.#output.on('drain', done);
      this.#output.on('close', done);
    });
  }

  write(message: Message): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const data = frame(JSON.stringify(message), this.#framing);
    noteTraffic(data.length);
    this.#write(data);
    return Promise.resolve();
  }

  end(): void {
    // stdout stays open for the process; the connection just stops writing.
  }
}

/** One message in the given framing. JSON.stringify never emits a raw newline, so NDJSON needs no escaping. */
export function frame(json: string, framing: FramingState): string {
  return framing.framing === 'ndjson'
    ? `${json}\n`
    : `Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`;
}
