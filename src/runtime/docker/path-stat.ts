import type {PathStat} from '../port.js';
import {EngineError} from '../../errors.js';
import {num, str} from './json.js';

/** The header `HEAD /containers/{id}/archive` answers with. */
export const PATH_STAT_HEADER = 'x-docker-container-path-stat';

/** Go's os.ModeSymlink. */
const SYMLINK_BIT = 2 ** 27;

/**
Decodes `X-Docker-Container-Path-Stat` (base64 JSON `{name, size, mode, mtime, linkTarget}`). `mode` is Go's
os.FileMode: permission bits plus type bits high up (directory is 1<<31, symlink 1<<27). Only a symlink has a
link target (podman fills in the path itself for every other file).
*/
export function decodePathStat(header: string | undefined): PathStat {
  if (header === undefined || header === '') {
    throw new EngineError('ENGINE_ERROR', 'the engine sent no path stat header', {
      details: {statusCode: 200, engineMessage: `missing ${PATH_STAT_HEADER}`},
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch (error) {
    throw new EngineError('ENGINE_ERROR', 'the engine sent an unreadable path stat header', {
      details: {statusCode: 200, engineMessage: header},
      cause: error,
    });
  }
  const mode = num(json, 'mode');
  return {
    name: str(json, 'name'),
    size: num(json, 'size'),
    mode,
    mtime: str(json, 'mtime'),
    linkTarget: (mode & SYMLINK_BIT) !== 0 ? str(json, 'linkTarget') : '',
  };
}
