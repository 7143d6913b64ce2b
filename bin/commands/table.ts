import type {ParsedArgs} from '../argv.js';

/** Exit codes of every command: 0 ok, 1 the operation failed, 2 bad usage or invalid spec. */
export const EXIT = {ok: 0, failed: 1, usage: 2} as const;

export interface CommandContext {
  readonly args: ParsedArgs;
  /** `--host` or DOCKER_HOST or undefined (the default socket). */
  readonly host: string | undefined;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export interface CommandSpec {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  /** Flags that take a value. */
  readonly valueFlags: readonly string[];
  /** Loaded on demand so `--version` and `rpc` never pay for Ink. */
  readonly load: () => Promise<{run: (ctx: CommandContext) => Promise<number>}>;
}

/** Every command, in help order. Each module is imported only when its command runs. */
export const COMMANDS: readonly CommandSpec[] = [];
