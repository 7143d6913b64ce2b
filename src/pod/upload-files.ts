/**
The `files` of a container (the seed's LOCALFILE messages), written between create and start: each goes in an
in-memory tar (packTar) with its mode and owner, so nothing touches the host's disk (the seed left `<src>.tar`
behind and chowned to host uids, §8 item 15). Missing parent directories are created (the seed got a 404).
*/
import {posix} from 'node:path';
import {packTar, type TarEntry} from '../archive/tar.js';
import {EngineError, isEngineError} from '../errors.js';
import type {ContainerRuntime} from '../runtime/port.js';
import type {BcsFileMessage} from '../task/types.js';

const DIRECTORY_MODE = 0o755;

/** The file's mode: its octal `mode`, else the seed's `right: "rw"` (0666), else 0644. */
export function fileMode(file: BcsFileMessage): number {
  if (file.mode !== undefined && file.mode !== '') return Number.parseInt(file.mode, 8);
  return file.right === 'rw' ? 0o666 : 0o644;
}

/** `uid` or `uid:gid` (numbers only: names would need the container's /etc/passwd). */
export function fileOwner(file: BcsFileMessage): {readonly uid: number; readonly gid: number} {
  const user = file.user ?? '';
  if (user === '') return {uid: 0, gid: 0};
  const [uidText = '', gidText] = user.split(':');
  const uid = Number(uidText);
  const gid = gidText === undefined ? uid : Number(gidText);
  if (!/^\d+$/.test(uidText) || !Number.isInteger(gid) || gid < 0) {
    throw new EngineError('VALIDATION', `file owner "${user}" is not uid or uid:gid`, {
      details: {
        issues: [{path: 'owner', message: 'is not uid or uid:gid', allowed: 'e.g. 1000 or 1000:1000'}],
      },
    });
  }
  return {uid, gid};
}

/** The deepest existing ancestor of `dir` in the container, and the directories to make under it. */
async function existingAncestor(
  runtime: ContainerRuntime,
  id: string,
  dir: string,
  signal: AbortSignal | undefined,
): Promise<{readonly base: string; readonly missing: string[]}> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      await runtime.statPath(id, current, signal === undefined ? {} : {signal});
      return {base: current, missing};
    } catch (error) {
      if (!isEngineError(error) || error.code !== 'NOT_FOUND' || current === '/') throw error;
      missing.unshift(posix.basename(current));
      current = posix.dirname(current);
    }
  }
}

/** Writes one file into container `id` (created or running). */
export async function uploadFile(
  runtime: ContainerRuntime,
  id: string,
  file: BcsFileMessage,
  options: {readonly signal?: AbortSignal} = {},
): Promise<void> {
  const dir = posix.dirname(file.to);
  const {uid, gid} = fileOwner(file);
  const {base, missing} = await existingAncestor(runtime, id, dir, options.signal);
  const entries: TarEntry[] = [];
  let prefix = '';
  for (const name of missing) {
    prefix = prefix === '' ? name : `${prefix}/${name}`;
    entries.push({type: 'directory', name: prefix, mode: DIRECTORY_MODE, uid, gid});
  }
  const fileName = prefix === '' ? posix.basename(file.to) : `${prefix}/${posix.basename(file.to)}`;
  entries.push({
    type: 'file',
    name: fileName,
    content: Buffer.from(file.base64, 'base64'),
    mode: fileMode(file),
    uid,
    gid,
  });
  await runtime.putArchive(
    id,
    base,
    await packTar(entries),
    options.signal === undefined ? {} : {signal: options.signal},
  );
}

/** Writes every file of a task, in order. */
export async function uploadFiles(
  runtime: ContainerRuntime,
  id: string,
  files: readonly BcsFileMessage[],
  options: {readonly signal?: AbortSignal} = {},
): Promise<void> {
  for (const file of files) await uploadFile(runtime, id, file, options);
}
