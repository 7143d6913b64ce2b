/**
The MCP SDK's own Client on a `bcs-executor mcp` this suite spawned itself (spawnKept), so every byte the
server writes is kept, and the environment (DOCKER_HOST) reaches it whole: the SDK's StdioClientTransport
spawns with a reduced environment and does not let the test read stdout.
*/
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {ReadBuffer, serializeMessage} from '@modelcontextprotocol/sdk/shared/stdio.js';
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {spawnKept, type Spawned} from './server.js';

/** A Transport over a spawned server's pipes. */
class SpawnedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #spawned: Spawned;
  readonly #buffer = new ReadBuffer();

  constructor(spawned: Spawned) {
    this.#spawned = spawned;
  }

  start(): Promise<void> {
    this.#spawned.fromServer.on('data', (chunk: Buffer) => {
      this.#buffer.append(chunk);
      try {
        for (
          let message = this.#buffer.readMessage();
          message !== null;
          message = this.#buffer.readMessage()
        ) {
          this.onmessage?.(message);
        }
      } catch (error) {
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.#spawned.child.once('exit', () => this.onclose?.());
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#spawned.child.stdin!.write(serializeMessage(message), (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }

  close(): Promise<void> {
    this.#spawned.child.stdin!.end();
    return Promise.resolve();
  }
}

/** `bcs-executor mcp ...serverArgs`, connected. */
export async function startMcp(serverArgs: readonly string[] = []): Promise<{client: Client} & Spawned> {
  const spawned = spawnKept({face: 'mcp', serverArgs});
  const client = new Client({name: 'reliability', version: '1.0.0'});
  await client.connect(new SpawnedTransport(spawned));
  return {client, ...spawned};
}

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

/** A tool error's `{code, data}` (the rpc error it stands for), or undefined for a success. */
export function toolError(result: ToolResult): {code: number; data?: {code?: string}} | undefined {
  if (result.isError !== true) return undefined;
  const content = result.content as {type: string; text?: string}[];
  const text = content.find((part) => part.type === 'text')?.text ?? '{}';
  try {
    return (JSON.parse(text) as {error: {code: number; data?: {code?: string}}}).error;
  } catch {
    // The SDK's own errors (an unknown tool, args its schema refused) are plain text.
    return {code: 0, data: {code: text}};
  }
}

/** Ends the session (closing stdin) and waits for the exit code. */
export async function stopMcp(running: {client: Client} & Spawned): Promise<number | null> {
  await running.client.close();
  return await running.exited;
}
