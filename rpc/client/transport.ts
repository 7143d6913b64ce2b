/**
How the client reaches a server: spawn `bcs-executor rpc` (the built binary by default) with pipes, or use
streams you already have. Either framing works; the server answers in the one the client speaks.
*/
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {
  StreamMessageReader,
  StreamMessageWriter,
  type MessageReader,
  type MessageWriter,
} from 'vscode-jsonrpc/node';
import {FramingState, type Framing} from '../framing/framing.js';
import {FramedMessageReader} from '../framing/reader.js';
import {FramedMessageWriter} from '../framing/writer.js';
import {SERVER_NODE_FLAGS} from './node-flags.js';

export interface SpawnOptions {
  /** Default: this Node binary. */
  readonly command?: string;
  /** Default: the built program and `rpc`. Extra server flags go in `serverArgs`. */
  readonly args?: readonly string[];
  readonly serverArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The server's stderr (its log): inherited by default. */
  readonly stderr?: 'inherit' | 'pipe' | 'ignore';
}

export interface StreamsOptions {
  /** What the server writes (its stdout). */
  readonly fromServer: NodeJS.ReadableStream;
  /** What the server reads (its stdin). */
  readonly toServer: NodeJS.WritableStream;
}

export interface Transport {
  readonly reader: MessageReader;
  readonly writer: MessageWriter;
  readonly child?: ChildProcess;
  /** Ends the server's input (the server drains and exits). */
  end(): void;
}

/** The built program, next to this package's sources. */
export const DEFAULT_BINARY = fileURLToPath(new URL('../../dist/bcs-executor.mjs', import.meta.url));

export function spawnServer(options: SpawnOptions): {child: ChildProcess; streams: StreamsOptions} {
  const command = options.command ?? process.execPath;
  const args = options.args ?? [...SERVER_NODE_FLAGS, DEFAULT_BINARY, 'rpc'];
  const child = spawn(command, [...args, ...(options.serverArgs ?? [])], {
    stdio: ['pipe', 'pipe', options.stderr ?? 'inherit'],
    ...(options.env === undefined ? {} : {env: options.env}),
    ...(options.cwd === undefined ? {} : {cwd: options.cwd}),
  });
  if (child.stdout === null || child.stdin === null) throw new Error('the server was spawned without pipes');
  return {child, streams: {fromServer: child.stdout, toServer: child.stdin}};
}

export function connectStreams(streams: StreamsOptions, framing: Framing): Omit<Transport, 'child'> {
  const end = (): void => {
    streams.toServer.end();
  };
  if (framing === 'headers') {
    return {
      reader: new StreamMessageReader(streams.fromServer),
      writer: new StreamMessageWriter(streams.toServer),
      end,
    };
  }
  const state = new FramingState('ndjson');
  const reader = new FramedMessageReader(streams.fromServer, {
    framing: state,
    onFault: (fault) => {
      process.emitWarning(`bcs-executor client: bad message from the server: ${fault.message}`);
    },
  });
  return {reader, writer: new FramedMessageWriter(streams.toServer, state), end};
}
