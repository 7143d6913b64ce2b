/**
Files into a container (seed-spec §2 UploadToContainer, fixes of §8.15): the tar is built on the fly (tar-fs
for a directory, tar-stream for one file, in memory for given content), complete with its end-of-archive
blocks, so nothing is ever written to the host; a host file or directory is streamed, so a 100 MB upload costs
the server no more than a few buffers; and the upload lands exactly at `dest`, for a directory too.
*/
import {createReadStream} from 'node:fs';
import {open, stat} from 'node:fs/promises';
import {posix} from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {pack as packDirectory, type Headers} from 'tar-fs';
import tarStream from 'tar-stream';
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

/** A tar stream of one host file, read as it is sent. */
function fileTarStream(
  source: string,
  base: string,
  info: {
    readonly size: number;
    readonly mode: number;
    readonly uid: number;
    readonly gid: number;
    readonly mtime: Date;
  },
): Readable {
  const pack = tarStream.pack();
  const entry = pack.entry({
    name: base,
    type: 'file',
    size: info.size,
    mode: info.mode & 0o7777,
    uid: info.uid,
    gid: info.gid,
    mtime: info.mtime,
  });
  pipeline(createReadStream(source), entry).then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(hostReadError(error, source)),
  );
  // tar-stream packs are streamx streams: hand the runtime a Node stream.
  return Readable.from(pack as AsyncIterable<Buffer>, {objectMode: false});
}

/**
The tar of a host file or directory as a stream, its top entry named `base`. Modes are kept; the owner is the
host's unless `uid`/`gid` are given. The source is checked before the stream starts (missing, unreadable, not a
file or directory), so those are clear errors, not a broken upload.
*/
export async function hostPathTar(source: string, base: string, owner: OwnerOptions = {}): Promise<Readable> {
  try {
    const info = await stat(source);
    if (info.isDirectory()) {
      const map = (header: Headers): Headers => ({
        ...header,
        name: header.name === '.' ? base : `${base}/${header.name}`,
        uid: owner.uid ?? header.uid,
        gid: owner.gid ?? header.gid,
      });
      return Readable.from(packDirectory(source, {map}) as AsyncIterable<Buffer>, {objectMode: false});
    }
    if (!info.isFile()) {
      throw validationError(
        [{path: 'source', message: `${source} is neither a file nor a directory`}],
        'upload',
      );
    }
    // Open it now, so a file the server may not read fails here rather than mid-upload.
    await (await open(source, 'r')).close();
    return fileTarStream(source, base, {
      size: info.size,
      mode: info.mode,
      uid: owner.uid ?? info.uid,
      gid: owner.gid ?? info.gid,
      mtime: info.mtime,
    });
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
  tar: Buffer | Readable,
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
