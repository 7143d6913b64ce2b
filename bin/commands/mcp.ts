/**
`bcs-executor mcp`: the same methods as Model Context Protocol tools on stdin/stdout (the official MCP SDK).
The process exits when the client closes stdin; pods keep running.
*/
import {Writable} from 'node:stream';
import {startMcpServer} from '../../rpc/mcp/server.js';
import {lazyEngine} from '../../rpc/engine-handle.js';
import {createLogger} from '../../rpc/log.js';
import {serveSettings, SERVE_FLAGS} from '../../rpc/serve-flags.js';
import {claimStdout} from '../../rpc/stdio.js';
import {createEngine, DockerRuntime} from '../../src/index.js';
import {assertKnownFlags, UsageError} from '../argv.js';
import {programVersion} from '../version.js';
import {EXIT, type CommandContext} from './table.js';
import {cniOptionsFrom} from '../cni-options.js';

export async function run(ctx: CommandContext): Promise<number> {
  assertKnownFlags(ctx.args, ['host', 'help', ...SERVE_FLAGS]);
  if (ctx.args.positionals.length > 0)
    throw new UsageError(`unexpected argument ${ctx.args.positionals[0] ?? ''}`);
  const settings = await serveSettings(ctx.args);
  if (typeof settings === 'string') throw new UsageError(settings);
  const output = claimStdout(ctx.stdout, ctx.stderr);
  const log = createLogger(ctx.stderr, settings.logLevel, 'bcs-executor mcp');
  const runtime = new DockerRuntime(ctx.host === undefined ? {} : {endpoint: ctx.host});
  const engine = lazyEngine(runtime.endpoint, () =>
    Promise.resolve(createEngine({runtime, cni: cniOptionsFrom(ctx.cni)})),
  );
  // The SDK's transport writes to a Writable; this one hands its bytes to stdout's original write.
  const protocol = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      output.write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      callback();
    },
  });
  const server = await startMcpServer({
    input: process.stdin,
    output: protocol,
    engine,
    policy: settings.policy,
    log,
    serverInfo: {name: 'bcs-executor', version: programVersion()},
  });
  void engine.get().catch((error: unknown) => {
    log.log('warn', `engine not ready: ${error instanceof Error ? error.message : String(error)}`);
  });
  const code = await server.done;
  await output.flush();
  process.exit(code === 0 ? EXIT.ok : EXIT.failed);
}
