/** `bcs-executor inspect POD [--json]`: one pod in detail, with its spec (secret values masked). */
import {assertKnownFlags, UsageError} from '../argv.js';
import {withEngine} from './engine-session.js';
import {podDetails} from './format.js';
import {podJson, printJson} from './pod-json.js';
import {EXIT, type CommandContext} from './table.js';

export async function run(ctx: CommandContext): Promise<number> {
  assertKnownFlags(ctx.args, ['host', 'json']);
  const [ref, ...extra] = ctx.args.positionals;
  if (ref === undefined) throw new UsageError('a POD (name or id) is required');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0] ?? ''}`);
  return await withEngine(ctx, async (engine) => {
    const pod = await engine.getPod(ref);
    const spec = await engine.getPodSpec(ref).catch(() => null);
    if (ctx.args.flags.has('json')) printJson(ctx.stdout, {...podJson(pod), spec});
    else ctx.stdout.write(`${podDetails(pod)}\n`);
    return EXIT.ok;
  });
}
