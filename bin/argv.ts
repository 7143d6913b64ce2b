/** A small argv parser: `--flag`, `--key value`, `--key=value`, `-h`, and positionals; `--` ends flags. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
  /** Flags given more than once, in order (`--allow-bind A --allow-bind B`). */
  readonly repeated: Map<string, string[]>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
Parses argv. `valueFlags` lists the flags that take a value; any other `--x` is a boolean. Unknown flags are
the command's business (it checks `flags` against what it accepts).
*/
export function parseArgs(argv: readonly string[], valueFlags: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const repeated = new Map<string, string[]>();
  const put = (name: string, value: string | true): void => {
    flags.set(name, value);
    if (typeof value === 'string') repeated.set(name, [...(repeated.get(name) ?? []), value]);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) {
        put(name, arg.slice(eq + 1));
      } else if (valueFlags.has(name)) {
        const value = argv[i + 1];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        put(name, value);
        i++;
      } else {
        put(name, true);
      }
    } else if (arg === '-h') {
      put('help', true);
    } else if (arg === '-v') {
      put('version', true);
    } else {
      positionals.push(arg);
    }
  }
  return {positionals, flags, repeated};
}

/** Throws a UsageError naming the first flag the command does not accept. */
export function assertKnownFlags(args: ParsedArgs, known: readonly string[]): void {
  for (const name of args.flags.keys()) {
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
  }
}
