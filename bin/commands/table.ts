import type {ParsedArgs} from '../argv.js';
import type {CniFlags} from '../cni-flags.js';

/** Exit codes of every command: 0 ok, 1 the operation failed, 2 bad usage or invalid spec. */
export const EXIT = {ok: 0, failed: 1, usage: 2} as const;

export interface CommandContext {
  readonly args: ParsedArgs;
  /** `--host` or DOCKER_HOST or undefined (the default socket). */
  readonly host: string | undefined;
  /** `--cni-conf-dir`, `--cni-plugin-dir` as given (cni-options.ts adds the environment and the defaults). */
  readonly cni: CniFlags;
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
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'tui',
    usage: 'tui [--host URL]',
    summary: 'the terminal UI (the default command)',
    valueFlags: [],
    load: () => import('./tui.js'),
  },
  {
    name: 'apply',
    usage: 'apply FILE [--wait running|healthy] [--timeout S] [--json]',
    summary: 'create or update the pod of a spec file (JSON or YAML, - for stdin)',
    valueFlags: ['wait', 'timeout'],
    load: () => import('./apply.js'),
  },
  {
    name: 'ps',
    usage: 'ps [--json]',
    summary: 'list pods and their containers',
    valueFlags: [],
    load: () => import('./ps.js'),
  },
  {
    name: 'inspect',
    usage: 'inspect POD [--json]',
    summary: 'show one pod in detail, with its spec',
    valueFlags: [],
    load: () => import('./inspect.js'),
  },
  {
    name: 'stop',
    usage: 'stop POD [--grace S] [--json]',
    summary: 'stop a pod (apps in reverse order, then the infra)',
    valueFlags: ['grace'],
    load: () => import('./stop.js'),
  },
  {
    name: 'rm',
    usage: 'rm POD [--force] [--json]',
    summary: 'remove a pod (--force stops a running one first)',
    valueFlags: [],
    load: () => import('./rm.js'),
  },
  {
    name: 'demo',
    usage: 'demo [--wait running|healthy] [--timeout S] [--json]',
    summary: 'start the bundled demo pod (local images only)',
    valueFlags: ['wait', 'timeout'],
    load: () => import('./demo.js'),
  },
  {
    name: 'rpc',
    usage: 'rpc [--read-only] [--allow-privileged] [--allow-bind ROOT]... [--log-level LEVEL]',
    summary:
      'JSON-RPC 2.0 server on stdin/stdout (Content-Length or newline-delimited JSON; docs/protocol.md)',
    valueFlags: ['allow-bind', 'log-level'],
    load: () => import('./rpc.js'),
  },
  {
    name: 'mcp',
    usage: 'mcp [--read-only] [--allow-privileged] [--allow-bind ROOT]... [--log-level LEVEL]',
    summary: 'the same methods as Model Context Protocol tools on stdin/stdout',
    valueFlags: ['allow-bind', 'log-level'],
    load: () => import('./mcp.js'),
  },
];
