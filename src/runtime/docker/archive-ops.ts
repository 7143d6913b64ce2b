import type {Readable} from 'node:stream';
import type {CallOptions, PathStat} from '../port.js';
import {seg, type DockerContext} from './docker-context.js';
import {decodePathStat, PATH_STAT_HEADER} from './path-stat.js';

const path = (id: string, where: string) => ({resource: 'path' as const, ref: `${id}:${where}`});

/**
Extracts a tar into directory `where` of the container. A missing directory is NOT_FOUND (resource `path`
unless Docker says the container itself is missing). Podman creates a missing directory instead, so there the
directory is looked up first.
*/
export function putArchive(
  ctx: DockerContext,
  id: string,
  where: string,
  tar: Buffer | Readable,
  options: CallOptions = {},
): Promise<void> {
  return ctx.call(path(id, where), options.signal, async (api, client) => {
    if (client.flavor === 'podman') {
      const found = await api.stream({
        method: 'HEAD',
        path: `/containers/${seg(id)}/archive`,
        query: {path: where},
        signal: options.signal,
      });
      found.resume();
    }
    const res = await api.stream({
      method: 'PUT',
      path: `/containers/${seg(id)}/archive`,
      query: {path: where},
      file: tar,
      headers: {'Content-Type': 'application/x-tar'},
      signal: options.signal,
    });
    res.resume();
  });
}

/** A tar stream of `where` (a file or a directory with its contents). */
export function getArchive(
  ctx: DockerContext,
  id: string,
  where: string,
  options: CallOptions = {},
): Promise<Readable> {
  return ctx.call(path(id, where), options.signal, (api) =>
    api.stream({
      method: 'GET',
      path: `/containers/${seg(id)}/archive`,
      query: {path: where},
      signal: options.signal,
    }),
  );
}

/** `HEAD .../archive`: the stat of `where` from the `X-Docker-Container-Path-Stat` header. */
export function statPath(
  ctx: DockerContext,
  id: string,
  where: string,
  options: CallOptions = {},
): Promise<PathStat> {
  return ctx.call(path(id, where), options.signal, async (api) => {
    const res = await api.stream({
      method: 'HEAD',
      path: `/containers/${seg(id)}/archive`,
      query: {path: where},
      signal: options.signal,
    });
    res.resume();
    const header = res.headers[PATH_STAT_HEADER];
    return decodePathStat(Array.isArray(header) ? header[0] : header);
  });
}
