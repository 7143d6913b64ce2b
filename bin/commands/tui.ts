/**
`bcs-executor` / `bcs-executor tui`: the terminal UI. The engine is built over a runtime that connects lazily,
so the TUI opens (and says "engine unreachable, retrying") even when dockerd is down.
*/
import {readFile} from 'node:fs/promises';
import {
  buildDemoImage,
  createEngine,
  demoPodSpec,
  DockerRuntime,
  EngineError,
  parsePodSpec,
} from '../../src/index.js';
import type {PodSpec} from '../../src/index.js';
import {runTui} from '../../ui/run-tui.js';
import {assertKnownFlags, UsageError} from '../argv.js';
import type {CommandContext} from './table.js';
import {cniOptionsFrom} from '../cni-options.js';

/** Another demo spec file than the bundled one (tests use a copy with their own name, labels and port). */
export const DEMO_SPEC_ENV = 'BCS_EXECUTOR_DEMO_SPEC';

async function readSpec(file: string): Promise<PodSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EngineError('NOT_FOUND', `cannot read ${file}: ${(error as Error).message}`, {cause: error});
  }
  return parsePodSpec(text);
}

/** Runs the TUI; the exit code is 0 after quitting, 2 without a terminal. */
export async function run(ctx: CommandContext): Promise<number> {
  assertKnownFlags(ctx.args, ['host']);
  if (ctx.args.positionals.length > 0) throw new UsageError('the terminal UI takes no arguments');
  let runtime: DockerRuntime | undefined;
  const code = await runTui({
    endpoint: ctx.host,
    openEngine: (endpoint) => {
      runtime = new DockerRuntime({endpoint});
      return {engine: createEngine({runtime, cni: cniOptionsFrom(ctx.cni)}), endpoint: runtime.endpoint};
    },
    specs: {
      loadSpec: readSpec,
      async demoSpec() {
        const file = process.env[DEMO_SPEC_ENV];
        // The demo runs from local images only: build the demo image when it is missing (as `demo` does).
        if (runtime !== undefined) await buildDemoImage(runtime);
        return file === undefined || file === '' ? demoPodSpec() : await readSpec(file);
      },
    },
    stdin: process.stdin,
    stdout: ctx.stdout,
    stderr: ctx.stderr,
  });
  // The terminal is restored; a stream still draining (a log follow, the events watch) must not hold the
  // process open after the user quit.
  setTimeout(() => process.exit(code), 1000).unref();
  return code;
}
