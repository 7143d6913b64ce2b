/** Small schemas every method shares: refs, timeouts, signals, subscription ids, progress tokens. */
import {z} from 'zod';

/** Every params object: by name, unknown fields refused. */
export const params = z.strictObject;

/**
Longest refs accepted. Real ones are names and ids (Docker's are at most 255 characters, a 64-digit id); a
bound keeps a megabyte "ref" from being parsed, looked up and echoed back in its NOT_FOUND message.
*/
export const MAX_REF_LENGTH = 512;

export const podRef = z
  .string()
  .min(1)
  .max(MAX_REF_LENGTH)
  .describe('a pod name or its infra container id (a unique prefix of at least 4 characters)');

export const containerRef = z
  .string()
  .min(1)
  .max(MAX_REF_LENGTH)
  .describe('a container id (or a unique prefix), its Docker name, or POD/CONTAINER');

export const imageRef = z
  .string()
  .min(1)
  .max(MAX_REF_LENGTH)
  .describe('an image reference (name[:tag][@digest]) or id');

export const timeoutMs = z
  .int()
  .min(1)
  .max(24 * 60 * 60 * 1000)
  .describe('milliseconds before the wait gives up with Timeout (1006)');

export const graceSeconds = z.int().min(0).max(3600).describe('seconds between the stop signal and SIGKILL');

export const killSignal = z
  .union([
    z
      .string()
      .max(32)
      .regex(/^(SIG)?[A-Z][A-Z0-9+-]*$/),
    z.int().min(1).max(64),
  ])
  .describe('a signal name (SIGTERM, TERM) or number; default SIGKILL');

export const force = z.boolean().describe('remove even when running');

export const subscriptionId = z
  .string()
  .min(1)
  .max(MAX_REF_LENGTH)
  .describe('the id a *.subscribe call returned');

/** LSP's work-done token: `$/progress {token, value}` notifications carry it. */
export const workDoneToken = z
  .union([z.string().max(MAX_REF_LENGTH), z.int()])
  .describe('when given, progress is reported as $/progress notifications with this token');

/** Mutating results. */
export const changed = z.boolean().describe('false when the object was already in that state');

export const changedResult = z.object({changed});

/** Unix seconds or RFC 3339. */
export const since = z
  .union([z.int().min(0), z.string().min(1).max(64)])
  .describe('only lines after this time: Unix seconds or RFC 3339');

export const tail = z.int().min(0).max(1_000_000).describe('the last N lines of each container');

export const logsMaxBytes = z
  .int()
  .min(1)
  .max(64 * 1024 * 1024)
  .describe('cap on the text returned; `truncated` says when lines were left out');
