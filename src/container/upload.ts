/**
Files into a container (seed-spec §2 UploadToContainer, fixes of §8.15): the tar is built in memory (tar-fs
for a directory, tar-stream for one file or given content), complete with its end-of-archive blocks, so
nothing is ever written to the host; and the upload lands exactly at `dest`, for a directory too.
*/
import {stat} from 'node:fs/promises';
import {readFile} from 'node:fs/promises';
import {posix} from 'node:path';
import {pack as packDirectory, type Headers} from 'tar-fs';
import {packTar} from '../archive/tar.js';
import {EngineError, isEngineError, validationError, type ValidationIssue} from '../errors.js';
import type {ContainerRuntime} from '../runtime/port.js';

export interface UploadTarget {
  /** The directory of the container the tar is extracted into. */
  readonly parent: string;
  /** The name of the uploaded entry inside `parent`. */
  readonly base: string;
}

export interface OwnerOptions {
  readonly uid?: number;
  readonly gid?: number;
}

function idIssues(options: OwnerOptions & {readonly mode?: number}): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const key of ['uid', 'gid'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      issues.push({path: key, message: `${value} is not a whole number >= 0`});
    }
  }
  const mode = options.mode;
  if (mode !== undefined && !(Number.isSafeInteger(mode) && mode >= 0 && mode <= 0o7777)) {
    issues.push({path: 'mode', message: `${mode} is not a permission mode`, allowed: '0 to 0o7777'});
  }
  return issues;
}

/** Splits an absolute container path into the directory to extract into and the entry name. */
export function uploadTarget(
  dest: string,
  options: OwnerOptions & {readonly mode?: number} = {},
): UploadTarget {
  const normalized = posix.normalize(dest).replace(/\/+$/, '');
  const issues = idIssues(options);
  if (!dest.startsWith('/') || normalized === '' || normalized === '/') {
    issues.unshift({
      path: 'dest',
      message: `"${dest}" is not an absolute path below /`,
      allowed: 'an absolute path such as /etc/app.conf',
    });
  }
  if (issues.length > 0) throw validationError(issues, 'upload');
  return {parent: posix.dirname(normalized), base: posix.basename(normalized)};
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A host error reading `source`, in engine words. */
function hostReadError(error: unknown, source: string): EngineError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') {
    return new EngineError('NOT_FOUND', `upload source ${source} does not exist on the host`, {
      details: {resource: 'hostPath', ref: source},
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError(
    code === 'EACCES' || code === 'EPERM' ? 'FORBIDDEN' : 'ENGINE_ERROR',
    `cannot read ${source}: ${message}`,
    {
      details: {ref: source, errno: code},
      cause: error,
    },
  );
}

/**
The tar of a host file or directory, its top entry named `base`. Modes are kept; the owner is the host's
unless `uid`/`gid` are given.
*/
export async function hostPathTar(source: string, base: string, owner: OwnerOptions = {}): Promise<Buffer> {
  try {
    const info = await stat(source);
    if (info.isDirectory()) {
      const map = (header: Headers): Headers => ({
        ...header,
        name: header.name === '.' ? base : `${base}/${header.name}`,
        uid: owner.uid ?? header.uid,
        gid: owner.gid ?? header.gid,
      });
      return await collect(packDirectory(source, {map}) as AsyncIterable<Buffer>);
    }
    if (!info.isFile()) {
      throw validationError(
        [{path: 'source', message: `${source} is neither a file nor a directory`}],
        'upload',
      );
    }
    return await packTar([
      {
        type: 'file',
        name: base,
        content: await readFile(source),
        mode: info.mode & 0o7777,
        uid: owner.uid ?? info.uid,
        gid: owner.gid ?? info.gid,
        mtime: info.mtime,
      },
    ]);
  } catch (error) {
    throw isEngineError(error) ? error : hostReadError(error, source);
  }
}

/** The tar of one file `base` holding `content` (mode 0o644 and owner root unless given). */
export function contentTar(
  base: string,
  content: Buffer | string,
  options: OwnerOptions & {readonly mode?: number} = {},
): Promise<Buffer> {
  return packTar([
    {
      type: 'file',
      name: base,
      content,
      mode: options.mode ?? 0o644,
      uid: options.uid ?? 0,
      gid: options.gid ?? 0,
    },
  ]);
}

/**
Extracts `tar` into `target.parent` of container `id`. A missing parent directory is NOT_FOUND saying so (a
missing container stays the runtime's NOT_FOUND about the container).
*/
export async function putTar(
  runtime: ContainerRuntime,
  id: string,
  target: UploadTarget,
  tar: Buffer,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    await runtime.putArchive(id, target.parent, tar, signal === undefined ? {} : {signal});
  } catch (error) {
    if (isEngineError(error) && error.code === 'NOT_FOUND' && error.details['resource'] !== 'container') {
      throw new EngineError(
        'NOT_FOUND',
        `cannot upload to ${posix.join(target.parent, target.base)}: directory ${target.parent} does not exist in container ${id}`,
        {details: {...error.details, resource: 'path', ref: `${id}:${target.parent}`}, cause: error},
      );
    }
    throw error;
  }
}
