/**
 * A POSIX ustar archive written as a stream: each entry's 512-byte header, its bytes as they
 * come (never held whole), zero padding to the next 512-byte block, and two zero blocks at the
 * end. Enough for `tar -x`, 7-Zip and Windows' own tar to open an export of recordings; no
 * dependency for it. Regular files only.
 */
export interface TarEntry {
  /** The file name in the archive (UTF-8, at most 100 bytes: see tarName). */
  name: string;
  size: number;
  /** Epoch ms. */
  mtime: number;
  /** The bytes; exactly `size` of them, or the archive stops with an error. */
  body: () => AsyncIterable<Buffer | Uint8Array | string>;
}

const BLOCK = 512;
/** Sizes up to 8 GiB − 1 fit the 11 octal digits; larger ones use the base-256 form GNU tar and libarchive read. */
const OCTAL_SIZE_MAX = 8 ** 11 - 1;

/** The bytes one entry takes: its header and its body padded to whole blocks. */
export const tarEntrySize = (size: number): number => BLOCK + Math.ceil(size / BLOCK) * BLOCK;

/** The archive's whole length for entries of these sizes (the Content-Length of a download). */
export const tarSize = (sizes: readonly number[]): number => sizes.reduce((n, s) => n + tarEntrySize(s), 0) + 2 * BLOCK;

/** Octal digits, zero-padded to `width` − 1, then NUL (the field's last byte). */
function octal(buf: Buffer, offset: number, width: number, value: number): void {
  buf.write(`${Math.floor(value).toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
}

/** A name the ustar header holds as it is: ≤ 100 bytes of UTF-8, no path separators or control characters. */
export function isTarName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.length > 0 && Buffer.byteLength(name, 'utf8') <= 100 && !/[/\\\u0000-\u001f]/.test(name) && name !== '.' && name !== '..';
}

export function tarHeader(e: { name: string; size: number; mtime: number }): Buffer {
  if (!isTarName(e.name)) throw new Error(`tar entry name ${JSON.stringify(e.name)} does not fit a ustar header (≤ 100 bytes, no / or control characters)`);
  const h = Buffer.alloc(BLOCK);
  h.write(e.name, 0, 100, 'utf8');
  octal(h, 100, 8, 0o644); // mode
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  if (e.size <= OCTAL_SIZE_MAX) octal(h, 124, 12, e.size);
  else {
    h[124] = 0x80;
    let v = BigInt(e.size);
    for (let i = 135; i > 124; i--, v >>= 8n) h[i] = Number(v & 0xffn);
  }
  octal(h, 136, 12, Math.floor(e.mtime / 1000));
  h.write('0', 156, 1, 'ascii'); // typeflag: regular file
  h.write('ustar\u000000', 257, 8, 'ascii'); // magic "ustar\0" + version "00"
  h.write('tingjian', 265, 32, 'ascii'); // uname
  h.write('tingjian', 297, 32, 'ascii'); // gname
  // The checksum is the byte sum with its own field read as eight spaces.
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** The archive, chunk by chunk. */
export async function* tarStream(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): AsyncGenerator<Buffer> {
  for await (const e of entries) {
    yield tarHeader(e);
    let written = 0;
    for await (const chunk of e.body()) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      written += b.length;
      if (written > e.size) throw new Error(`tar entry ${e.name}: more than the ${e.size} bytes its header says`);
      yield b;
    }
    if (written !== e.size) throw new Error(`tar entry ${e.name}: ${written} bytes, its header says ${e.size}`);
    const pad = (BLOCK - (e.size % BLOCK)) % BLOCK;
    if (pad > 0) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(2 * BLOCK);
}
