/** `bcs-executor stop POD [--grace S] [--json]`: stops the apps in reverse order, then the infra. */
import {assertKnownFlags, UsageError} from '../argv.js';
import {withEngine} from './engine-session.js';
import {podJson, printJson} from './pod-json.js';
import {EXIT, type CommandContext} from './table.js';

export async function run(ctx: CommandContext): Promise<number> {
  assertKnownFlags(ctx.args, ['host', 'grace', 'json']);
  const [ref, ...extra] = ctx.args.positionals;
  if (ref === undefined) throw new UsageError('a POD (name or id) is required');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0] ?? ''}`);
  const grace = ctx.args.flags.get('grace');
  const graceSeconds = grace === undefined ? undefined : Number(grace);
  if (graceSeconds !== undefined && (!Number.isFinite(graceSeconds) || graceSeconds < 0)) {
    throw new UsageError('--grace takes a number of seconds (0 or more)');
  }
  return await withEngine(ctx, async (engine) => {
    const result = await engine.stopPod(ref, graceSeconds === undefined ? {} : {graceSeconds});
    if (ctx.args.flags.has('json'))
      printJson(ctx.stdout, {changed: result.changed, pod: podJson(result.pod)});
    else
      ctx.stdout.write(
        `pod ${result.pod.name}: ${result.changed ? 'stopped' : 'already stopped'} (${result.pod.status})\n`,
      );
    return EXIT.ok;
  });
}
