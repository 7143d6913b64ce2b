/** `bcs-executor rm POD [--force] [--json]`: removes a pod; a running pod needs --force (stopped first). */
import {EngineError} from '../../src/index.js';
import {assertKnownFlags, UsageError} from '../argv.js';
import {withEngine} from './engine-session.js';
import {printJson} from './pod-json.js';
import {EXIT, type CommandContext} from './table.js';

const ACTIVE = new Set(['init', 'starting', 'running', 'killing']);

export async function run(ctx: CommandContext): Promise<number> {
  assertKnownFlags(ctx.args, ['host', 'force', 'json']);
  const [ref, ...extra] = ctx.args.positionals;
  if (ref === undefined) throw new UsageError('a POD (name or id) is required');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0] ?? ''}`);
  const force = ctx.args.flags.has('force');
  return await withEngine(ctx, async (engine) => {
    if (!force) {
      const pod = await engine.getPod(ref);
      if (ACTIVE.has(pod.status)) {
        throw new EngineError(
          'INVALID_STATE',
          `pod ${pod.name} is ${pod.status}: stop it first or use --force`,
          {
            details: {resource: 'pod', ref, state: pod.status},
          },
        );
      }
    }
    const result = await engine.removePod(ref, {force: true});
    if (ctx.args.flags.has('json')) printJson(ctx.stdout, result);
    else ctx.stdout.write(`pod ${result.name}: ${result.changed ? 'removed' : 'already gone'}\n`);
    return EXIT.ok;
  });
}
