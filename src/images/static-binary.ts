import {open} from 'node:fs/promises';

/**
True when `path` is an ELF executable with no program interpreter (PT_INTERP), i.e. statically linked: the only
kind that runs in a FROM-scratch image. Reads the ELF header and program headers only.
*/
export async function isStaticElf(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const header = Buffer.alloc(64);
    const {bytesRead} = await handle.read(header, 0, 64, 0);
    if (bytesRead < 64 || header.readUInt32BE(0) !== 0x7f454c46) return false;
    const is64 = header[4] === 2;
    const little = header[5] === 1;
    if (!is64) return false;
    const u16 = (b: Buffer, at: number): number => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
    const u32 = (b: Buffer, at: number): number => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
    const u64 = (b: Buffer, at: number): number =>
      Number(little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at));
    const phoff = u64(header, 0x20);
    const phentsize = u16(header, 0x36);
    const phnum = u16(header, 0x38);
    if (phnum === 0 || phentsize < 4) return false;
    const table = Buffer.alloc(phentsize * phnum);
    await handle.read(table, 0, table.length, phoff);
    const PT_INTERP = 3;
    for (let i = 0; i < phnum; i++) {
      if (u32(table, i * phentsize) === PT_INTERP) return false;
    }
    return true;
  } finally {
    await handle.close();
  }
}

/** The first path among `candidates` that is a static ELF executable, or undefined. */
export async function findStaticBinary(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    if (await isStaticElf(candidate)) return candidate;
  }
  return undefined;
}
