/**
`bcs-executor rpc`: the JSON-RPC server on stdin/stdout. The engine is built on first use, so `initialize`
answers at once even when Docker is slow or down. The process exits when the session ends (`exit`, or the
end of stdin); pods keep running.
*/
import {lazyEngine} from '../../rpc/engine-handle.js';
import {enableMemoryRelief} from '../../rpc/framing/memory-relief.js';
import {createLogger} from '../../rpc/log.js';
import {serveSettings, SERVE_FLAGS} from '../../rpc/serve-flags.js';
import {startRpcServer} from '../../rpc/server.js';
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
  enableMemoryRelief();
  const output = claimStdout(ctx.stdout, ctx.stderr);
  const log = createLogger(ctx.stderr, settings.logLevel);
  const runtime = new DockerRuntime(ctx.host === undefined ? {} : {endpoint: ctx.host});
  const engine = lazyEngine(runtime.endpoint, () =>
    Promise.resolve(createEngine({runtime, cni: cniOptionsFrom(ctx.cni)})),
  );
  const server = startRpcServer({
    input: process.stdin,
    output: ctx.stdout,
    write: output.write,
    engine,
    policy: settings.policy,
    log,
    serverInfo: {name: 'bcs-executor', version: programVersion()},
  });
  // A signal ends the session as `exit` does, so work in flight is cancelled and rolled back, not cut.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.log('info', `${signal}: ending the session`);
      void server.terminate();
    });
  }
  // Start connecting now, while the client sends initialize; a failure here is retried on first use.
  void engine.get().catch((error: unknown) => {
    log.log('warn', `engine not ready: ${error instanceof Error ? error.message : String(error)}`);
  });
  const code = await server.done;
  await output.flush();
  // The session is over: exit now rather than wait for stdin or the engine's sockets to let go.
  process.exit(code === 0 ? EXIT.ok : EXIT.failed);
}
