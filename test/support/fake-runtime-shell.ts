/**
The fake runtime's idea of running a command: a tiny interpreter for the few things tests run in busybox
containers (`echo`, `sleep`, `exit`, `cat`, `true`, `false`, `pwd`, `env`, `sh -c '...; ...'` with `>&2`,
`> file`, `&&`, `||`, quotes and `$VAR`). It turns a command into a timeline of steps (write, sleep,
exit) that the fake plays with timers. A top-level command it does not know (`httpd`, `/pause`) runs until
stopped, like a daemon; inside `sh -c` an unknown command fails with 127, like a shell.
*/

export type Step =
  | {readonly kind: 'write'; readonly stream: 'stdout' | 'stderr'; readonly data: string}
  | {readonly kind: 'sleep'; readonly ms: number}
  | {readonly kind: 'forever'}
  | {readonly kind: 'exit'; readonly code: number};

/** What a command may touch while being interpreted. */
export interface ShellContext {
  readonly env: readonly string[];
  readonly workingDir: string;
  readonly stdin?: Buffer;
  readFile(path: string): Buffer | undefined;
  writeFile(path: string, data: string, append: boolean): void;
}

/**
Interprets argv (entrypoint + cmd) into steps; the last step is always `exit` or `forever`. A top-level
command the interpreter does not know runs forever as a container's main process (a daemon), and fails with
126 as an exec, as runc reports a missing executable.
*/
export function interpret(
  argv: readonly string[],
  ctx: ShellContext,
  role: 'main' | 'exec' = 'main',
): Step[] {
  const [program = '', ...args] = argv;
  const name = program.split('/').pop() ?? program;
  if ((name === 'sh' || name === 'bash' || name === 'ash') && args[0] === '-c' && args[1] !== undefined) {
    return runScript(args[1], ctx);
  }
  if (name === 'sh' && args.length === 0) {
    // An interactive shell with no stdin open exits at once (EOF).
    return ctx.stdin === undefined ? [{kind: 'exit', code: 0}] : runScript(ctx.stdin.toString('utf8'), ctx);
  }
  const steps: Step[] = [];
  const result = runCommand([name, ...args], ctx, steps, new Map(), role === 'main' ? 'daemon' : 'exec');
  if (result === 'forever') return [...steps, {kind: 'forever'}];
  return [...steps, {kind: 'exit', code: result}];
}

type Outcome = number | 'forever';

/** Runs a `sh -c` script: commands separated by `;`, newlines, `&&`, `||` (and `&`, taken as `;`). */
function runScript(script: string, ctx: ShellContext): Step[] {
  if (/\bwhile\b|\buntil\b|\btail\s+-f\b/.test(script)) return [{kind: 'forever'}];
  const steps: Step[] = [];
  const vars = new Map<string, string>();
  let status = 0;
  let skip: 'and' | 'or' | undefined;
  for (const {words, next} of parseScript(script, ctx, vars, () => status)) {
    if (skip === 'and' && status !== 0) {
      skip = next === 'or' ? 'or' : next === 'and' ? 'and' : undefined;
      continue;
    }
    if (skip === 'or' && status === 0) {
      skip = next === 'and' ? 'and' : next === 'or' ? 'or' : undefined;
      continue;
    }
    const outcome = runCommand(words, ctx, steps, vars, 'shell');
    if (outcome === 'forever') return [...steps, {kind: 'forever'}];
    if (typeof outcome === 'number' && outcome >= EXIT_FLAG)
      return [...steps, {kind: 'exit', code: outcome - EXIT_FLAG}];
    status = outcome;
    skip = next === 'and' ? 'and' : next === 'or' ? 'or' : undefined;
  }
  return [...steps, {kind: 'exit', code: status}];
}

/** Added to a status to say "the shell exits now with this code". */
const EXIT_FLAG = 1_000;

function runCommand(
  words: readonly string[],
  ctx: ShellContext,
  steps: Step[],
  vars: Map<string, string>,
  mode: 'daemon' | 'exec' | 'shell',
): Outcome {
  const {argv, stream, file} = redirections(words);
  const [program = '', ...args] = argv;
  const name = program.split('/').pop() ?? program;
  const write = (data: string) => {
    if (file !== undefined) ctx.writeFile(resolvePath(file.path, ctx.workingDir), data, file.append);
    else if (data !== '') steps.push({kind: 'write', stream, data});
  };
  switch (name) {
    case '':
      return 0;
    case 'echo': {
      const noNewline = args[0] === '-n';
      const text = (noNewline ? args.slice(1) : args).join(' ');
      write(noNewline ? text : `${text}\n`);
      return 0;
    }
    case 'printf':
      write((args[0] ?? '').replace(/\\n/g, '\n').replace(/%s/g, () => args[1] ?? ''));
      return 0;
    case 'true':
    case ':':
    case 'trap':
    case 'wait':
      return 0;
    case 'false':
      return 1;
    case 'exit':
      return EXIT_FLAG + (Number(args[0] ?? '0') & 0xff);
    case 'sleep': {
      const seconds = args[0] === 'infinity' ? Infinity : Number(args[0] ?? '0');
      if (!Number.isFinite(seconds)) return 'forever';
      steps.push({kind: 'sleep', ms: Math.max(0, seconds * 1000)});
      return 0;
    }
    case 'cat': {
      if (args.length === 0) {
        write(ctx.stdin?.toString('utf8') ?? '');
        return 0;
      }
      let status = 0;
      for (const path of args) {
        const data = ctx.readFile(resolvePath(path, ctx.workingDir));
        if (data === undefined) {
          steps.push({
            kind: 'write',
            stream: 'stderr',
            data: `cat: can't open '${path}': No such file or directory\n`,
          });
          status = 1;
        } else {
          write(data.toString('utf8'));
        }
      }
      return status;
    }
    case 'pwd':
      write(`${ctx.workingDir === '' ? '/' : ctx.workingDir}\n`);
      return 0;
    case 'env':
      write(ctx.env.map((entry) => `${entry}\n`).join(''));
      return 0;
    default: {
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(program);
      if (assignment !== null && args.length === 0) {
        vars.set(assignment[1] ?? '', assignment[2] ?? '');
        return 0;
      }
      if (mode === 'daemon') return 'forever';
      if (mode === 'exec') {
        steps.push({
          kind: 'write',
          stream: 'stderr',
          data: `OCI runtime exec failed: exec: "${program}": executable file not found in $PATH: unknown\n`,
        });
        return 126;
      }
      steps.push({kind: 'write', stream: 'stderr', data: `sh: ${program}: not found\n`});
      return 127;
    }
  }
}

function redirections(words: readonly string[]): {
  argv: string[];
  stream: 'stdout' | 'stderr';
  file: {path: string; append: boolean} | undefined;
} {
  const argv: string[] = [];
  let stream: 'stdout' | 'stderr' = 'stdout';
  let file: {path: string; append: boolean} | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '>&2' || word === '1>&2') stream = 'stderr';
    else if (word === '2>&1' || word === '2>/dev/null') continue;
    else if (word === '>' || word === '>>') {
      file = {path: words[i + 1] ?? '', append: word === '>>'};
      i++;
    } else if (/^>>?\S/.test(word)) file = {path: word.replace(/^>>?/, ''), append: word.startsWith('>>')};
    else argv.push(word);
  }
  if (file?.path === '/dev/null') return {argv, stream, file: undefined};
  return {argv, stream, file};
}

function resolvePath(path: string, workingDir: string): string {
  if (path.startsWith('/')) return path;
  return `${workingDir === '' || workingDir === '/' ? '' : workingDir}/${path}`;
}

/** One command of a script and what joins it to the next. */
interface ParsedCommand {
  readonly words: string[];
  readonly next: 'seq' | 'and' | 'or';
}

/** Splits a script into commands of words, honouring quotes and expanding `$VAR`, `${VAR}` and `$?`. */
function parseScript(
  script: string,
  ctx: ShellContext,
  vars: ReadonlyMap<string, string>,
  status: () => number,
): Generator<ParsedCommand> {
  const lookup = (name: string): string => {
    if (name === '?') return String(status());
    if (vars.has(name)) return vars.get(name) ?? '';
    const entry = ctx.env.find((item) => item.startsWith(`${name}=`));
    return entry === undefined ? '' : entry.slice(name.length + 1);
  };
  return (function* () {
    let words: string[] = [];
    let word = '';
    let inWord = false;
    let quote: "'" | '"' | undefined;
    const endWord = () => {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    };
    for (let i = 0; i < script.length; i++) {
      const ch = script[i] ?? '';
      if (quote === "'") {
        if (ch === "'") quote = undefined;
        else word += ch;
        continue;
      }
      if (ch === '\\' && i + 1 < script.length) {
        word += script[++i] ?? '';
        inWord = true;
        continue;
      }
      if (ch === '$') {
        const match = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*)|(\?))/.exec(
          script.slice(i),
        );
        if (match !== null) {
          word += lookup(match[1] ?? match[2] ?? match[3] ?? '');
          inWord = true;
          i += match[0].length - 1;
          continue;
        }
      }
      if (quote === '"') {
        if (ch === '"') quote = undefined;
        else word += ch;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        inWord = true;
        continue;
      }
      const two = script.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        endWord();
        yield {words, next: two === '&&' ? 'and' : 'or'};
        words = [];
        i++;
        continue;
      }
      if (ch === ';' || ch === '\n' || (ch === '&' && script[i + 1] !== '2' && script[i - 1] !== '>')) {
        endWord();
        if (words.length > 0) yield {words, next: 'seq'};
        words = [];
        continue;
      }
      if (ch === ' ' || ch === '\t') {
        endWord();
        continue;
      }
      word += ch;
      inWord = true;
    }
    endWord();
    if (words.length > 0) yield {words, next: 'seq'};
  })();
}
