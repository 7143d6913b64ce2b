import tar from 'tar-stream';

/** One entry of an in-memory tar archive. */
export type TarEntry =
  | {
      readonly type: 'file';
      readonly name: string;
      readonly content: Buffer | string;
      readonly mode?: number;
      readonly uid?: number;
      readonly gid?: number;
      readonly mtime?: Date;
    }
  | {
      readonly type: 'directory';
      readonly name: string;
      readonly mode?: number;
      readonly uid?: number;
      readonly gid?: number;
    }
  | {readonly type: 'symlink'; readonly name: string; readonly target: string};

/**
Packs entries into a complete tar archive in memory (with its end-of-archive blocks, which the seed forgot), so
nothing is ever written to the host's disk.
*/
export async function packTar(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (entry.type === 'file') {
        const content = typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content;
        pack.entry(
          {
            name: entry.name,
            type: 'file',
            mode: entry.mode ?? 0o644,
            uid: entry.uid ?? 0,
            gid: entry.gid ?? 0,
            mtime: entry.mtime ?? new Date(),
            size: content.length,
          },
          content,
          done,
        );
      } else if (entry.type === 'directory') {
        pack.entry(
          {
            name: entry.name,
            type: 'directory',
            mode: entry.mode ?? 0o755,
            uid: entry.uid ?? 0,
            gid: entry.gid ?? 0,
          },
          done,
        );
      } else {
        pack.entry({name: entry.name, type: 'symlink', linkname: entry.target, mode: 0o777}, done);
      }
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}
