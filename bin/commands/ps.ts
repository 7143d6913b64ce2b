/** `bcs-executor ps [--json]`: the pods, with their containers. */
import {assertKnownFlags, UsageError} from '../argv.js';
import {withEngine} from './engine-session.js';
import {podsTable} from './format.js';
import {podJson, printJson} from './pod-json.js';
import {EXIT, type CommandContext} from './table.js';

export async function run(ctx: CommandContext): Promise<number> {
  assertKnownFlags(ctx.args, ['host', 'json']);
  if (ctx.args.positionals.length > 0) throw new UsageError('ps takes no arguments');
  return await withEngine(ctx, async (engine) => {
    const pods = await engine.listPods();
    if (ctx.args.flags.has('json')) printJson(ctx.stdout, pods.map(podJson));
    else ctx.stdout.write(`${podsTable(pods)}\n`);
    return EXIT.ok;
  });
}
