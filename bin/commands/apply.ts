/**
`bcs-executor apply FILE [--wait running|healthy] [--timeout S] [--json]`: creates the pod of a spec file (JSON
or YAML; `-` reads stdin), recreates it when the spec changed, or leaves it as it is.
*/
import {readFile} from 'node:fs/promises';
import {parsePodSpec, type PodSpec, type OperationProgress} from '../../src/index.js';
import {assertKnownFlags, UsageError} from '../argv.js';
import {reportError, withEngine} from './engine-session.js';
import {podJson, printJson} from './pod-json.js';
import {podDetails} from './format.js';
import {EXIT, type CommandContext} from './table.js';

async function readSpecText(file: string): Promise<string> {
  if (file !== '-') return await readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The --wait and --timeout flags shared by apply and demo. */
export function waitFlags(ctx: CommandContext): {wait?: 'running' | 'healthy'; timeoutMs?: number} {
  const wait = ctx.args.flags.get('wait');
  const timeout = ctx.args.flags.get('timeout');
  const result: {wait?: 'running' | 'healthy'; timeoutMs?: number} = {};
  if (wait !== undefined) {
    if (wait !== 'running' && wait !== 'healthy') throw new UsageError('--wait takes running or healthy');
    result.wait = wait;
  }
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (typeof timeout !== 'string' || !Number.isFinite(seconds) || seconds <= 0) {
      throw new UsageError('--timeout takes a number of seconds greater than 0');
    }
    result.timeoutMs = Math.round(seconds * 1000);
  }
  return result;
}

/** Applies a parsed spec and prints the outcome; exit 1 when the pod ends up failed. */
export async function applySpec(ctx: CommandContext, spec: PodSpec): Promise<number> {
  const json = ctx.args.flags.has('json');
  const options = waitFlags(ctx);
  return await withEngine(ctx, async (engine) => {
    const onProgress = (progress: OperationProgress): void => {
      if (!json) ctx.stderr.write(`  ${progress.step}: ${progress.message}\n`);
    };
    const result = await engine.applyPod(spec, {...options, onProgress});
    if (json) {
      printJson(ctx.stdout, {action: result.action, changed: result.changed, pod: podJson(result.pod)});
    } else {
      // A create that failed was rolled back: there is no pod to describe, only why.
      const headline =
        result.pod.status === 'failed' && result.pod.id === ''
          ? `pod ${result.pod.name} was not created, and nothing of it was left: ${result.pod.message}`
          : `pod ${result.pod.name} ${result.action}: ${result.pod.status}`;
      ctx.stdout.write(`${headline}\n${podDetails(result.pod)}\n`);
    }
    return result.pod.status === 'failed' ? EXIT.failed : EXIT.ok;
  });
}

export async function run(ctx: CommandContext): Promise<number> {
  assertKnownFlags(ctx.args, ['host', 'wait', 'timeout', 'json']);
  const [file, ...extra] = ctx.args.positionals;
  if (file === undefined) throw new UsageError('a spec FILE is required (or - for stdin)');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0] ?? ''}`);
  waitFlags(ctx);
  let spec: PodSpec;
  try {
    spec = parsePodSpec(await readSpecText(file));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      ctx.stderr.write(`bcs-executor apply: no such file: ${file}\n`);
      return EXIT.usage;
    }
    return reportError(ctx, error);
  }
  return await applySpec(ctx, spec);
}
