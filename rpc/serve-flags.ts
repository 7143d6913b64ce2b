/** The flags `bcs-executor rpc` and `bcs-executor mcp` share: policy and log level. */
import {isLogLevel, type LogLevel} from './log.js';
import {resolveRoots, type ServerPolicy} from './policy.js';

export const SERVE_FLAGS = ['read-only', 'allow-privileged', 'allow-bind', 'log-level'] as const;
export const SERVE_VALUE_FLAGS = ['allow-bind', 'log-level'] as const;

export const SERVE_FLAGS_HELP = [
  '  --read-only          serve only methods that change nothing',
  '  --allow-privileged   allow privileged containers, host devices and privileged exec',
  '  --allow-bind ROOT    allow host binds and upload sources under ROOT (repeatable); none by default',
  '  --log-level LEVEL    error, warn (default), info, debug or trace; the log goes to stderr',
].join('\n');

export interface ServeSettings {
  readonly policy: ServerPolicy;
  readonly logLevel: LogLevel;
}

interface Flags {
  readonly flags: ReadonlyMap<string, string | true>;
  readonly repeated: ReadonlyMap<string, readonly string[]>;
}

/** Reads the shared flags; a string is a usage problem to report. */
export async function serveSettings(args: Flags): Promise<ServeSettings | string> {
  const level = args.flags.get('log-level') ?? 'warn';
  if (level === true || !isLogLevel(level)) return '--log-level takes error, warn, info, debug or trace';
  for (const flag of ['read-only', 'allow-privileged']) {
    if (typeof args.flags.get(flag) === 'string') return `--${flag} takes no value`;
  }
  const roots = args.repeated.get('allow-bind') ?? [];
  if (roots.some((root) => !root.startsWith('/'))) return '--allow-bind takes an absolute path';
  return {
    logLevel: level,
    policy: {
      readOnly: args.flags.has('read-only'),
      allowPrivileged: args.flags.has('allow-privileged'),
      allowBindRoots: await resolveRoots(roots),
    },
  };
}
