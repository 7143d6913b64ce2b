/**
stdout belongs to the protocol. Before a server starts, console output and any stray `process.stdout.write`
are sent to stderr; the server alone writes to stdout, through the original write kept here.
*/
import {Console} from 'node:console';

export interface ProtocolOutput {
  /** Writes protocol bytes to stdout. */
  readonly write: (data: string) => boolean;
  /** Resolves once everything written has been handed to the OS. */
  flush(): Promise<void>;
}

export function claimStdout(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): ProtocolOutput {
  const original = stdout.write.bind(stdout) as (
    data: string,
    callback?: (error?: Error | null) => void,
  ) => boolean;
  // Anything else that writes to stdout (a library, a stray console.log) lands on stderr instead.
  stdout.write = ((...args: Parameters<NodeJS.WriteStream['write']>) =>
    (stderr.write as (...rest: unknown[]) => boolean)(...args)) as NodeJS.WriteStream['write'];
  globalThis.console = new Console({stdout: stderr, stderr});
  return {
    write: (data) => original(data),
    flush: () =>
      new Promise((resolve) => {
        original('', () => {
          resolve();
        });
      }),
  };
}
