/**
`bcs-executor mcp`: the method table as Model Context Protocol tools, over stdio with the official SDK.
*/
import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js';
import {StdioServerTransport} from '@modelcontextprotocol/sdk/server/stdio.js';
import type {Readable, Writable} from 'node:stream';
import type {EngineHandle} from '../engine-handle.js';
import type {Logger} from '../log.js';
import type {ServerPolicy} from '../policy.js';
import {registerTools} from './tools.js';

export interface McpServerOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly engine: EngineHandle;
  readonly policy: ServerPolicy;
  readonly log: Logger;
  readonly serverInfo: {readonly name: string; readonly version: string};
}

export interface RunningMcpServer {
  /** Resolves when the client disconnects (end of input) and the engine is closed. */
  readonly done: Promise<number>;
}

export async function startMcpServer(options: McpServerOptions): Promise<RunningMcpServer> {
  const server = new McpServer(
    {name: options.serverInfo.name, version: options.serverInfo.version},
    {
      capabilities: {tools: {}},
      instructions:
        'Pods are groups of Docker containers sharing one network namespace. Create one with pod_create (a spec with name and containers), then use pod_list, container_exec, container_logs, pod_remove. Container refs are ids, Docker names or POD/CONTAINER.',
    },
  );
  registerTools(server, options);
  const transport = new StdioServerTransport(options.input, options.output);
  const done = new Promise<number>((resolve) => {
    const finish = (): void => {
      void options.engine
        .close()
        .catch(() => undefined)
        .then(() => {
          resolve(0);
        });
    };
    transport.onclose = finish;
    options.input.once('end', () => {
      void server.close().finally(finish);
    });
  });
  await server.connect(transport);
  options.log.log('info', 'mcp server ready');
  return {done};
}
