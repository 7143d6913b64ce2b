/**
An interactive shell in a container with the real terminal: Ink is unmounted by the caller first, then the
TTY is handed over raw both ways, resizes are forwarded, and everything is put back when the shell ends.
*/
import type {Engine} from '../../src/index.js';
import {toEngineError} from '../../src/index.js';
import type {Target} from '../model/view-state.js';
import {CLEAR_SCREEN, SHOW_CURSOR} from './terminal-guard.js';

/** bash when the image has it, else sh. */
export const SHELL_COMMAND: readonly string[] = [
  '/bin/sh',
  '-c',
  'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi',
];

/** How the shell ended. */
export type ShellOutcome = {readonly exitCode: number | null} | {readonly error: string};

/** Runs the shell until it exits; never throws. */
export async function runShell(
  engine: Engine,
  target: Target,
  stdin: NodeJS.ReadStream,
  stdout: NodeJS.WriteStream,
): Promise<ShellOutcome> {
  stdout.write(
    `${CLEAR_SCREEN}${SHOW_CURSOR}bcs-executor: shell in ${target.label}; exit it to return to the TUI\r\n`,
  );
  let exec;
  try {
    exec = await engine.execInteractive(target.ref, {
      cmd: SHELL_COMMAND,
      rows: stdout.rows || 24,
      cols: stdout.columns || 80,
      env: ['TERM=xterm-256color'],
    });
  } catch (error) {
    return {error: toEngineError(error).message};
  }
  const session = exec;
  // 'readable' and read(), as Ink reads stdin: a 'data' listener would switch the stream to flowing mode,
  // and Ink, mounted again afterwards, would then never see another 'readable'.
  const onInput = (): void => {
    for (let chunk: unknown = stdin.read(); chunk !== null; chunk = stdin.read()) {
      session.input.write(chunk as Buffer | string);
    }
  };
  const onOutput = (chunk: Buffer | string): void => {
    stdout.write(chunk);
  };
  const onResize = (): void => {
    void session.resize(stdout.rows || 24, stdout.columns || 80).catch(() => undefined);
  };
  stdin.setRawMode(true);
  stdin.ref();
  stdin.on('readable', onInput);
  session.output.on('data', onOutput);
  stdout.on('resize', onResize);
  try {
    return {exitCode: await session.exited};
  } catch (error) {
    return {error: toEngineError(error).message};
  } finally {
    stdout.off('resize', onResize);
    session.output.off('data', onOutput);
    stdin.off('readable', onInput);
    stdin.setRawMode(false);
    session.close();
    stdout.write(CLEAR_SCREEN);
  }
}
