/** The bench's pseudo-terminal: a tmux server of its own, and a control-mode client for keys and output. */
import {execFile, spawn} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import {rm} from 'node:fs/promises';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../dist/bcs-executor.mjs', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A tmux server of our own running the binary (under `node NODE_ARGS`). */
export class Pty {
  readonly socket = `bcs-bench-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(readonly nodeArgs: readonly string[] = []) {}

  tmux(args: readonly string[]): Promise<{stdout: string}> {
    return run('tmux', ['-L', this.socket, ...args], {timeout: 10_000});
  }

  async start(): Promise<void> {
    await this.tmux([
      'new-session',
      '-d',
      '-s',
      'b',
      '-x',
      '120',
      '-y',
      '40',
      `env CI=false ${[process.execPath, ...this.nodeArgs, binary].join(' ')}; sleep 600`,
    ]);
  }

  async screen(): Promise<string> {
    return (await this.tmux(['capture-pane', '-p', '-t', 'b'])).stdout;
  }

  async waitFor(pattern: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen();
      if (pattern.test(screen)) return screen;
      await sleep(200);
    }
    throw new Error(`the TUI did not show ${String(pattern)} in ${timeoutMs} ms:\n${screen}`);
  }

  async pid(): Promise<number> {
    const shell = (await this.tmux(['display-message', '-p', '-t', 'b', '#{pane_pid}'])).stdout.trim();
    const {stdout} = await run('pgrep', ['-P', shell, '-f', 'bcs-executor.mjs']);
    return Number(stdout.trim().split('\n')[0]);
  }

  async kill(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
    // tmux 3.3 can leave the socket file of a killed server behind.
    const dir = process.env['TMUX_TMPDIR'] ?? '/tmp';
    await rm(join(dir, `tmux-${process.getuid?.() ?? 0}`, this.socket), {force: true});
  }
}

/**
A tmux control-mode client on the session: keys go in as commands on its stdin and the pane's output comes
back as `%output` notifications, so neither side spawns a process per key (a `tmux send-keys` per key would
add its own start-up to every measurement).
*/
export class Control {
  readonly #child: ChildProcess;
  #seen = '';
  #waiter: {needle: string; resolve: () => void} | undefined;

  constructor(socket: string) {
    this.#child = spawn('tmux', ['-L', socket, '-C', 'attach-session', '-t', 'b'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let partial = '';
    this.#child.stdout?.setEncoding('utf8');
    this.#child.stdout?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('%output ')) continue;
        // `%output %PANE DATA`, with bytes below 32 and the backslash written as \ooo octal.
        const data = line
          .slice(line.indexOf(' ', 8) + 1)
          .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
        this.#seen += data;
        if (this.#waiter !== undefined && this.#seen.includes(this.#waiter.needle)) this.#waiter.resolve();
      }
    });
  }

  /** Sends a key and resolves with the time until the pane printed `needle` (Infinity after 2 s). */
  async keyToOutput(key: string, needle: string): Promise<number> {
    this.#seen = '';
    const started = performance.now();
    const shown = new Promise<void>((resolve) => (this.#waiter = {needle, resolve}));
    this.#child.stdin?.write(`send-keys -t b ${key}\n`);
    const timeout = sleep(2000).then(() => 'timeout' as const);
    const outcome = await Promise.race([shown, timeout]);
    this.#waiter = undefined;
    return outcome === 'timeout' ? Number.POSITIVE_INFINITY : performance.now() - started;
  }

  close(): void {
    this.#child.stdin?.end();
    this.#child.kill();
  }
}
