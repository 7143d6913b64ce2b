/**
The alternate screen, entered by hand (Ink 6 has no option for it) and left on every exit path: a normal
quit, Ctrl-C, SIGTERM/SIGHUP, an uncaught error, or `process.exit` from anywhere (tui-anchors 6.3 item 7).
*/

export const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H\u001B[2J';
export const LEAVE_ALT_SCREEN = '\u001B[?1049l';
export const SHOW_CURSOR = '\u001B[?25h';
export const CLEAR_SCREEN = '\u001B[H\u001B[2J';

const SIGNAL_EXIT: Readonly<Record<string, number>> = {SIGTERM: 143, SIGHUP: 129, SIGINT: 130};

/** Enters the alternate screen and restores the terminal once, however the process ends. */
export class TerminalGuard {
  #active = false;
  readonly #handlers: [string, (...args: unknown[]) => void][] = [];

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly stdout: NodeJS.WriteStream,
    private readonly stderr: NodeJS.WriteStream,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  /** Enters the alternate screen and installs the exit-path handlers. */
  enter(): void {
    if (this.#active) return;
    this.#active = true;
    this.stdout.write(ENTER_ALT_SCREEN);
    this.#on('exit', () => this.restore());
    for (const signal of Object.keys(SIGNAL_EXIT)) {
      this.#on(signal, () => {
        this.restore();
        this.exit(SIGNAL_EXIT[signal] ?? 1);
      });
    }
    const crash = (error: unknown): void => {
      this.restore();
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.stderr.write(`bcs-executor: the terminal UI crashed: ${text}\n`);
      this.exit(1);
    };
    this.#on('uncaughtException', crash);
    this.#on('unhandledRejection', crash);
  }

  /** Leaves the alternate screen, shows the cursor and ends raw mode; safe to call more than once. */
  restore(): void {
    if (!this.#active) return;
    this.#active = false;
    try {
      if (this.stdin.isTTY) this.stdin.setRawMode(false);
    } catch {
      // stdin may already be closed when the process is going away.
    }
    this.stdout.write(`${SHOW_CURSOR}${LEAVE_ALT_SCREEN}`);
    for (const [event, handler] of this.#handlers.splice(0)) process.off(event, handler);
  }

  #on(event: string, handler: (...args: unknown[]) => void): void {
    this.#handlers.push([event, handler]);
    process.on(event, handler);
  }
}
