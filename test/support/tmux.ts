/**
The real binary in a real pseudo-terminal: a tmux server of our own (its own socket, so nothing else's
sessions are touched), keys sent with `send-keys`, the screen read with `capture-pane`. Every wait is bounded.
Ink runs with CI=false: under CI=true it would draw nothing until exit (tui-anchors 6.4).
*/
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {rm} from 'node:fs/promises';
import {join} from 'node:path';

const TMUX_TIMEOUT_MS = 10_000;

function tmux(socket: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tmux', ['-L', socket, ...args], {timeout: TMUX_TIMEOUT_MS}, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`tmux ${args.join(' ')}: ${stderr.trim() || error.message}`, {cause: error}));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface TmuxOptions {
  readonly columns?: number;
  readonly rows?: number;
  /** Extra environment for the command (CI=false is always set). */
  readonly env?: Readonly<Record<string, string>>;
  /**
  Remove CI from the environment instead of setting CI=false. Ink renders live either way, but chalk's colour
  detection turns colours off whenever CI is present at all, whatever its value.
  */
  readonly withoutCi?: boolean;
}

/** One tmux server with one session running `command`. */
export class TmuxSession {
  readonly socket: string;
  readonly name = 'tui';

  private constructor(socket: string) {
    this.socket = socket;
  }

  /** Starts `argv` (shell-quoted here) in a detached session of its own server. */
  static async start(argv: readonly string[], options: TmuxOptions = {}): Promise<TmuxSession> {
    const session = new TmuxSession(`bcs-test-${process.pid}-${randomBytes(3).toString('hex')}`);
    const env = {...(options.withoutCi === true ? {} : {CI: 'false'}), ...options.env};
    const assignments = [
      ...(options.withoutCi === true ? ['-u', 'CI'] : []),
      ...Object.entries(env).map(([key, value]) => `${key}=${quote(value)}`),
    ];
    // `; sleep` keeps the pane (and its last screen) after the program exits, so a test can read the restored
    // terminal and the exit code that the shell prints.
    const command = `env ${assignments.join(' ')} ${argv.map(quote).join(' ')}; echo "[exit $?]"; sleep 600`;
    await tmux(session.socket, [
      'new-session',
      '-d',
      '-s',
      session.name,
      '-x',
      String(options.columns ?? 120),
      '-y',
      String(options.rows ?? 40),
      command,
    ]);
    return session;
  }

  /** The visible screen as text (no colours). */
  capture(): Promise<string> {
    return tmux(this.socket, ['capture-pane', '-p', '-t', this.name]);
  }

  /** The visible screen with its escape sequences (colours, inverse). */
  captureStyled(): Promise<string> {
    return tmux(this.socket, ['capture-pane', '-p', '-e', '-t', this.name]);
  }

  /** Waits until the screen matches; throws with the last screen when it does not within `timeoutMs`. */
  async waitFor(pattern: RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const test = typeof pattern === 'function' ? pattern : (screen: string) => pattern.test(screen);
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.capture();
      if (test(screen)) return screen;
      await sleep(100);
    }
    throw new Error(`the screen did not show ${String(pattern)} within ${timeoutMs} ms; it was:\n${screen}`);
  }

  /** Sends keys as tmux names them (`Enter`, `Escape`, `C-c`, `Tab`, `Down`). */
  async keys(...keys: string[]): Promise<void> {
    await tmux(this.socket, ['send-keys', '-t', this.name, ...keys]);
  }

  /** Types text literally. */
  async type(text: string): Promise<void> {
    await tmux(this.socket, ['send-keys', '-t', this.name, '-l', text]);
  }

  async resize(columns: number, rows: number): Promise<void> {
    await tmux(this.socket, ['resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows)]);
  }

  /** Whether the pane's alternate screen is on (tmux's `alternate_on`). */
  async alternateOn(): Promise<boolean> {
    return (
      (await tmux(this.socket, ['display-message', '-p', '-t', this.name, '#{alternate_on}'])).trim() === '1'
    );
  }

  /** Whether the pane shows its cursor (tmux's `cursor_flag`). */
  async cursorVisible(): Promise<boolean> {
    return (
      (await tmux(this.socket, ['display-message', '-p', '-t', this.name, '#{cursor_flag}'])).trim() === '1'
    );
  }

  /** The pid of the pane's shell (its child is the program). */
  async panePid(): Promise<number> {
    return Number(
      (await tmux(this.socket, ['display-message', '-p', '-t', this.name, '#{pane_pid}'])).trim(),
    );
  }

  /** Ends the server and everything in it, and removes its socket file; safe to call twice. */
  async kill(): Promise<void> {
    await tmux(this.socket, ['kill-server']).catch(() => undefined);
    // tmux 3.3 can leave the socket file of a killed server behind.
    const dir = process.env['TMUX_TMPDIR'] ?? '/tmp';
    await rm(join(dir, `tmux-${process.getuid?.() ?? 0}`, this.socket), {force: true});
  }
}

function quote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
