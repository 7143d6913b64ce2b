/**
Opens an engine for a headless command: connects to the Docker engine (so an unreachable engine is a clear
error up front, exit 1), runs the command, and closes the engine's watcher (pods keep running).
*/
import {createDockerRuntime, createEngine, isEngineError, type Engine} from '../../src/index.js';
import {EXIT, type CommandContext} from './table.js';
import {cniOptionsFrom} from '../cni-options.js';

export async function withEngine(
  ctx: CommandContext,
  work: (engine: Engine) => Promise<number>,
): Promise<number> {
  let engine: Engine | undefined;
  try {
    const runtime = await createDockerRuntime(ctx.host === undefined ? {} : {endpoint: ctx.host});
    // Headless commands are one-shot: no crash-rule sweep of other processes' pods on the way, and no turn as
    // the supervisor (it would end the moment the command does).
    engine = createEngine({runtime, cni: cniOptionsFrom(ctx.cni), reconcileOnStart: false, supervise: false});
    return await work(engine);
  } catch (error) {
    return reportError(ctx, error);
  } finally {
    await engine?.close();
  }
}

/** Prints an engine error (every validation problem on its own line) and maps it to an exit code. */
export function reportError(ctx: CommandContext, error: unknown): number {
  if (isEngineError(error)) {
    ctx.stderr.write(`bcs-executor: ${error.code}: ${error.message}\n`);
    return error.code === 'VALIDATION' ? EXIT.usage : EXIT.failed;
  }
  ctx.stderr.write(`bcs-executor: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failed;
}
