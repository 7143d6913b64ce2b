/**
The server's log: stderr only (stdout carries protocol bytes), one line per entry, filtered by `--log-level`.
*/
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  readonly level: LogLevel;
  enabled(level: LogLevel): boolean;
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** A logger writing `time level message {fields}` lines to `stream`. */
export function createLogger(
  stream: NodeJS.WritableStream,
  level: LogLevel,
  name = 'bcs-executor rpc',
): Logger {
  const rank = LOG_LEVELS.indexOf(level);
  const enabled = (at: LogLevel): boolean => LOG_LEVELS.indexOf(at) <= rank;
  return {
    level,
    enabled,
    log(at, message, fields) {
      if (!enabled(at)) return;
      const tail = fields === undefined || Object.keys(fields).length === 0 ? '' : ` ${safeJson(fields)}`;
      stream.write(`${new Date().toISOString()} ${name} ${at}: ${message}${tail}\n`);
    },
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = {level: 'error', enabled: () => false, log: () => undefined};

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserializable]';
  }
}
