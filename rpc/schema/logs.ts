/** Params shared by the log reads (pod.logs, container.logs) and the log subscription. */
import {z} from 'zod';
import {logsMaxBytes, since, tail} from './common.js';

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const grep = z
  .string()
  .min(1)
  .refine(isRegExp, {error: 'is not a valid regular expression'})
  .describe('a regular expression (JavaScript syntax) lines must match');

export const logReadFields = {
  tail: tail.exactOptional(),
  since: since.exactOptional(),
  grep: grep.exactOptional(),
  maxBytes: logsMaxBytes.exactOptional(),
};

/** What agents get when they ask for no cap: enough to read, small enough for a context window. */
export const MCP_LOG_DEFAULTS = {tail: 200, maxBytes: 64 * 1024} as const;
