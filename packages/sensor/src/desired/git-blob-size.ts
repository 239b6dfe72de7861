import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { constants, inflateSync } from 'node:zlib';

/**
 * The size of a blob in a repository's object store, read from the object's header alone (a few hundred bytes),
 * so that a file too large to read is refused before it is inflated: isomorphic-git's readBlob inflates the whole
 * object into memory (a 50 MB compose file cost ~350 ms and ~300 MB). Loose objects and version-2 pack indexes are
 * understood; undefined when the object is elsewhere (alternates, another format): the caller then reads the
 * blob and checks its length.
 */
export async function gitBlobSize(gitdir: string, oid: string): Promise<number | undefined> {
  if (!/^[0-9a-f]{40}$/.test(oid)) return undefined;
  try {
    return (await looseSize(gitdir, oid)) ?? (await packedSize(gitdir, oid));
  } catch {
    return undefined;
  }
}

/** Read up to `length` bytes at `position` of a file. */
async function readAt(file: string, position: number, length: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Inflate the beginning of a zlib stream (a truncated one: whatever its first bytes give). */
function inflateStart(deflated: Buffer): Buffer {
  return inflateSync(deflated, { finishFlush: constants.Z_SYNC_FLUSH });
}

/** A loose object: zlib of `blob <size>\0<content>`. */
async function looseSize(gitdir: string, oid: string): Promise<number | undefined> {
  let head: Buffer;
  try {
    head = await readAt(path.join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2)), 0, 4096);
  } catch {
    return undefined;
  }
  const text = inflateStart(head).subarray(0, 64).toString('latin1');
  const m = /^blob (\d+)\0/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** A packed object: its offset from the pack's .idx (version 2), then the size in its header (or its delta's). */
async function packedSize(gitdir: string, oid: string): Promise<number | undefined> {
  const packDir = path.join(gitdir, 'objects', 'pack');
  let names: string[];
  try {
    names = (await readdir(packDir)).filter((n) => n.endsWith('.idx'));
  } catch {
    return undefined;
  }
  const want = Buffer.from(oid, 'hex');
  for (const idx of names) {
    const offset = await offsetInIndex(path.join(packDir, idx), want);
    if (offset !== undefined) return sizeInPack(path.join(packDir, idx.replace(/\.idx$/, '.pack')), offset);
  }
  return undefined;
}

async function offsetInIndex(idxFile: string, want: Buffer): Promise<number | undefined> {
  const header = await readAt(idxFile, 0, 8 + 256 * 4);
  // version 2: \377tOc, 2, then the fan-out table
  if (header.length < 8 + 1024 || header.readUInt32BE(0) !== 0xff744f63 || header.readUInt32BE(4) !== 2) return undefined;
  const fan = (i: number) => header.readUInt32BE(8 + i * 4);
  const first = want[0] as number;
  const lo = first === 0 ? 0 : fan(first - 1);
  const hi = fan(first);
  const total = fan(255);
  if (hi <= lo) return undefined;
  const names = await readAt(idxFile, 8 + 1024 + lo * 20, (hi - lo) * 20);
  let index = -1;
  for (let i = 0; i < hi - lo; i++) {
    if (names.subarray(i * 20, i * 20 + 20).equals(want)) {
      index = lo + i;
      break;
    }
  }
  if (index === -1) return undefined;
  const offsets = 8 + 1024 + total * 24; // after the names (20 bytes each) and the CRCs (4 each)
  const small = (await readAt(idxFile, offsets + index * 4, 4)).readUInt32BE(0);
  if ((small & 0x80000000) === 0) return small;
  const large = await readAt(idxFile, offsets + total * 4 + (small & 0x7fffffff) * 8, 8);
  return Number(large.readBigUInt64BE(0));
}

async function sizeInPack(packFile: string, offset: number): Promise<number | undefined> {
  const buf = await readAt(packFile, offset, 4096);
  let i = 0;
  let c = buf[i++] as number;
  const type = (c >> 4) & 7;
  let size = c & 15;
  let shift = 4;
  while (c & 0x80) {
    c = buf[i++] as number;
    size += (c & 0x7f) * 2 ** shift;
    shift += 7;
  }
  if (type === 3) return size; // a blob: its own size
  if (type !== 6 && type !== 7) return undefined;
  // a delta (against an offset in this pack, or another object): its data starts with the base's size and the result's
  if (type === 6) while ((buf[i++] as number) & 0x80);
  else i += 20;
  const delta = inflateStart(buf.subarray(i));
  let j = 0;
  const varint = () => {
    let value = 0;
    let bit = 0;
    let b: number;
    do {
      if (j >= delta.length) throw new Error('short delta header');
      b = delta[j++] as number;
      value += (b & 0x7f) * 2 ** bit;
      bit += 7;
    } while (b & 0x80);
    return value;
  };
  varint(); // the base's size
  return varint();
}
