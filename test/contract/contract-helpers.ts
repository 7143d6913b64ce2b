/**
Shared plumbing of the runtime contract: the subject under test, unique labels per test, bounded waits and
stream collection. Nothing here knows which runtime it talks to.
*/
import {randomBytes} from 'node:crypto';
import type {Readable} from 'node:stream';
import type {ExecutionContext} from 'ava';
import {extract, pack} from 'tar-stream';
import {isEngineError, type ErrorCode} from '../../src/errors.js';
import type {ContainerCreateSpec, ContainerRuntime, ExecDetails} from '../../src/runtime/port.js';
import {testLabels, uniqueName} from '../support/run-id.js';

/** What a contract run needs from its maker. */
export interface ContractSubject {
  readonly runtime: ContainerRuntime;
  /** A local image with busybox tools (`sh`, `echo`, `sleep`, `cat`) and a writable `/tmp`. */
  readonly imageRef: string;
  /** Removes everything the run created (called once, after all tests). */
  readonly cleanup: () => Promise<void>;
}

export type MakeSubject = () => Promise<ContractSubject>;

/** The label every object of one test carries, on top of the run label, so filters see only that test. */
export const CASE_LABEL = 'dev.bcs-executor.test-case';

/** A fresh case: its labels, its label filter and a name maker. */
export function newCase(): {
  readonly labels: Record<string, string>;
  readonly filter: string;
  readonly name: (prefix: string) => string;
} {
  const caseId = randomBytes(4).toString('hex');
  return {labels: testLabels({[CASE_LABEL]: caseId}), filter: `${CASE_LABEL}=${caseId}`, name: uniqueName};
}

/** The deadline of one wait in the contract: generous for a loaded CI box, still bounded. */
export const WAIT_MS = 30_000;

export function deadline(ms = WAIT_MS): AbortSignal {
  return AbortSignal.timeout(ms);
}

/** A container spec running `cmd` under init (so SIGTERM stops it at once), with the case's labels. */
export function spec(
  imageRef: string,
  labels: Record<string, string>,
  cmd: readonly string[],
  extra: Partial<ContainerCreateSpec> = {},
): ContainerCreateSpec {
  return {image: imageRef, cmd, labels, ...extra, host: {init: true, ...extra.host}};
}

/** Creates and starts a container that sleeps for five minutes; returns its id. */
export async function startSleeper(
  subject: ContractSubject,
  labels: Record<string, string>,
  extra: Partial<ContainerCreateSpec> = {},
): Promise<string> {
  const {id} = await subject.runtime.createContainer(spec(subject.imageRef, labels, ['sleep', '300'], extra));
  await subject.runtime.startContainer(id);
  return id;
}

/** Asserts that `work` rejects with an EngineError of `code`; returns it for more checks. */
export async function rejectsWith(
  t: ExecutionContext,
  work: Promise<unknown>,
  code: ErrorCode,
): Promise<{
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}> {
  const error = await t.throwsAsync(work);
  if (!isEngineError(error)) {
    t.fail(`expected EngineError ${code}, got ${String(error)}`);
    return {code, message: '', details: {}};
  }
  t.is(error.code, code, error.message);
  return error;
}

/** Reads a stream to its end, as text. */
export async function collect(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `ms`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  ms = WAIT_MS,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until an exec has finished and has an exit code (Docker's inspect races the stream's end). */
export function execFinished(runtime: ContainerRuntime, execId: string): Promise<ExecDetails> {
  return eventually(async () => {
    const details = await runtime.inspectExec(execId);
    return !details.running && details.exitCode !== null ? details : undefined;
  }, `exec ${execId} to finish`);
}

/** A tar holding one file. */
export async function tarOf(name: string, content: string, mode = 0o644): Promise<Buffer> {
  const tar = pack();
  tar.entry({name, mode, mtime: new Date()}, content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The regular files of a tar stream, name → content. */
export async function untar(source: Readable): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const reader = extract();
  source.pipe(reader);
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
    if (entry.header.type === 'file') files.set(entry.header.name, Buffer.concat(chunks).toString('utf8'));
  }
  return files;
}
