/**
`bcs-executor demo [--wait running|healthy] [--timeout S] [--json]`: applies the bundled demo pod (local images
only; the demo image is built first when it is missing).
*/
import {buildDemoImage, createDockerRuntime, demoPodSpec} from '../../src/index.js';
import {assertKnownFlags, UsageError} from '../argv.js';
import {applySpec, waitFlags} from './apply.js';
import {reportError} from './engine-session.js';
import {type CommandContext} from './table.js';

export async function run(ctx: CommandContext): Promise<number> {
  assertKnownFlags(ctx.args, ['host', 'wait', 'timeout', 'json']);
  if (ctx.args.positionals.length > 0) throw new UsageError('demo takes no arguments');
  waitFlags(ctx);
  try {
    const runtime = await createDockerRuntime(ctx.host === undefined ? {} : {endpoint: ctx.host});
    const image = await buildDemoImage(runtime);
    if (image.built && !ctx.args.flags.has('json')) ctx.stderr.write(`built ${image.ref}\n`);
  } catch (error) {
    return reportError(ctx, error);
  }
  return await applySpec(ctx, demoPodSpec());
}
