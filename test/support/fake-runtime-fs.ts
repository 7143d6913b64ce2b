/**
An in-memory file tree for the fake runtime: images carry one, containers start from a copy. It takes and
gives tar archives the way Docker's archive endpoints do.
*/
import {posix} from 'node:path';
import {Readable} from 'node:stream';
import {extract, pack} from 'tar-stream';
import type {PathStat} from '../../src/runtime/port.js';
import {engineError, goFileMode, notFound} from './fake-runtime-util.js';

export interface FakeFile {
  readonly type: 'file' | 'dir' | 'symlink';
  /** Unix permission bits, with 0o1000 sticky, 0o2000 setgid, 0o4000 setuid. */
  readonly mode: number;
  readonly mtime: Date;
  readonly data?: Buffer;
  readonly linkTarget?: string;
}

/** The directories Docker gives every container whatever its image holds. */
const BASE_DIRS = ['/', '/dev', '/etc', '/proc', '/sys'];

export class FakeFs {
  readonly #files = new Map<string, FakeFile>();

  constructor(now: Date = new Date(0)) {
    for (const dir of BASE_DIRS) this.#files.set(dir, {type: 'dir', mode: 0o755, mtime: now});
  }

  /** A deep enough copy: entries are immutable, so sharing them is safe. */
  clone(): FakeFs {
    const copy = new FakeFs();
    for (const [path, file] of this.#files) copy.#files.set(path, file);
    return copy;
  }

  get(path: string): FakeFile | undefined {
    return this.#files.get(normalize(path));
  }

  /** Writes one entry, creating missing parent directories (0755) as Docker's extraction does. */
  set(path: string, file: FakeFile): void {
    const target = normalize(path);
    let parent = posix.dirname(target);
    while (!this.#files.has(parent)) {
      this.#files.set(parent, {type: 'dir', mode: 0o755, mtime: file.mtime});
      parent = posix.dirname(parent);
    }
    this.#files.set(target, file);
  }

  /** Reads a file, following symlinks; undefined when absent or not a file. */
  read(path: string): Buffer | undefined {
    let target = normalize(path);
    for (let hops = 0; hops < 16; hops++) {
      const file = this.#files.get(target);
      if (file === undefined) return undefined;
      if (file.type === 'file') return file.data ?? Buffer.alloc(0);
      if (file.type !== 'symlink') return undefined;
      target = normalize(posix.resolve(posix.dirname(target), file.linkTarget ?? ''));
    }
    return undefined;
  }

  write(path: string, data: string, append: boolean, now: Date): void {
    const previous = append ? (this.read(path) ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const existing = this.get(path);
    this.set(path, {
      type: 'file',
      mode: existing?.mode ?? 0o644,
      mtime: now,
      data: Buffer.concat([previous, Buffer.from(data, 'utf8')]),
    });
  }

  /** Docker's `HEAD .../archive`: what `statPath` answers. */
  stat(path: string, ref: string): PathStat {
    const file = this.get(path);
    if (file === undefined)
      throw notFound('path', ref, `Could not find the file ${path} in container ${ref}`);
    const name = normalize(path) === '/' ? '/' : posix.basename(normalize(path));
    return {
      name,
      size:
        file.type === 'dir'
          ? 4096
          : file.type === 'symlink'
            ? (file.linkTarget ?? '').length
            : (file.data?.length ?? 0),
      mode: goFileMode(file.type, file.mode),
      mtime: file.mtime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      linkTarget: file.linkTarget ?? '',
    };
  }

  /** Docker's `PUT .../archive`: extracts a tar into directory `dir`, which must exist. */
  async extractInto(dir: string, tar: Buffer | Readable, ref: string, now: Date): Promise<void> {
    const target = this.get(dir);
    if (target === undefined)
      throw notFound('path', ref, `Could not find the file ${dir} in container ${ref}`);
    if (target.type !== 'dir') throw engineError(500, 'extraction point is not a directory');
    const entries = await readTar(tar);
    for (const entry of entries) {
      const path = posix.join(normalize(dir), entry.name);
      const mtime = entry.mtime ?? now;
      if (entry.type === 'directory') this.set(path, {type: 'dir', mode: entry.mode ?? 0o755, mtime});
      else if (entry.type === 'symlink') {
        this.set(path, {type: 'symlink', mode: 0o777, mtime, linkTarget: entry.linkname ?? ''});
      } else if (entry.type === 'file')
        this.set(path, {type: 'file', mode: entry.mode ?? 0o644, mtime, data: entry.data});
    }
  }

  /** Docker's `GET .../archive`: a tar whose root entry is the basename of `path`. */
  archive(path: string, ref: string): Readable {
    const root = normalize(path);
    const file = this.get(root);
    if (file === undefined)
      throw notFound('path', ref, `Could not find the file ${path} in container ${ref}`);
    const base = root === '/' ? '.' : posix.basename(root);
    const tar = pack();
    const add = (name: string, entry: FakeFile) => {
      const header = {name, mode: entry.mode, mtime: entry.mtime};
      if (entry.type === 'dir') tar.entry({...header, type: 'directory'});
      else if (entry.type === 'symlink')
        tar.entry({...header, type: 'symlink', linkname: entry.linkTarget ?? ''});
      else tar.entry(header, entry.data ?? Buffer.alloc(0));
    };
    add(base, file);
    if (file.type === 'dir') {
      const prefix = root === '/' ? '/' : `${root}/`;
      for (const [name, entry] of [...this.#files].sort(([a], [b]) => a.localeCompare(b))) {
        if (name.startsWith(prefix) && name !== root) add(posix.join(base, name.slice(prefix.length)), entry);
      }
    }
    tar.finalize();
    return Readable.from(tar as AsyncIterable<Buffer>);
  }

  /** Copies `from` (a file or a directory's contents) of another tree to `to` here (Dockerfile COPY). */
  copyFrom(source: FakeFs, from: string, to: string): boolean {
    const root = normalize(from);
    const file = source.get(root);
    if (file === undefined) return false;
    if (file.type !== 'dir') {
      const dest = to.endsWith('/') ? posix.join(to, posix.basename(root)) : to;
      this.set(dest, file);
      return true;
    }
    const prefix = root === '/' ? '/' : `${root}/`;
    for (const [name, entry] of source.#files) {
      if (name.startsWith(prefix)) this.set(posix.join(normalize(to), name.slice(prefix.length)), entry);
    }
    return true;
  }

  /** Builds a tree from a tar (a build context). */
  static async fromTar(tar: Buffer | Readable, now: Date): Promise<FakeFs> {
    const fs = new FakeFs(now);
    await fs.extractInto('/', tar, 'context', now);
    return fs;
  }
}

function normalize(path: string): string {
  const out = posix.normalize(`/${path}`);
  return out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out;
}

interface TarEntry {
  readonly name: string;
  readonly type: string;
  readonly mode: number | undefined;
  readonly mtime: Date | undefined;
  readonly linkname: string | undefined;
  readonly data: Buffer;
}

async function readTar(tar: Buffer | Readable): Promise<TarEntry[]> {
  const reader = extract();
  const source = Buffer.isBuffer(tar) ? Readable.from([tar]) : tar;
  source.pipe(reader);
  const entries: TarEntry[] = [];
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
    const {header} = entry;
    entries.push({
      name: header.name.replace(/^\.\//, ''),
      type: header.type ?? 'file',
      mode: header.mode,
      mtime: header.mtime,
      linkname: header.linkname ?? undefined,
      data: Buffer.concat(chunks),
    });
  }
  return entries;
}
