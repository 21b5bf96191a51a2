import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TingjianError } from '../domain/errors.js';

/**
 * The file format of an encrypted recording, pure: a header, then the plaintext in chunks of
 * `chunkBytes` (64 KiB), each AES-256-GCM sealed on its own (ciphertext + 16-byte tag), so a
 * Range request decrypts only the chunks it covers.
 *
 *   header (20 bytes): "TJENC" | version 1 | 0 | 0 | chunk bytes (u32 BE) | nonce prefix (8 random bytes)
 *   chunk i:           ciphertext (chunkBytes, the last one shorter) | tag (16)
 *
 * Nonce of chunk i: nonce prefix | i (u32 BE) — unique per chunk under the object's own data key.
 * Additional data of chunk i: header | sha256 of the plaintext (the content key) | i (u32 BE) |
 * final flag (1 for the last chunk, else 0). So a flipped byte anywhere fails a tag; chunks cannot
 * be reordered or moved between recordings; a file cut at a chunk boundary fails because its new
 * last chunk was sealed as not final; an altered header fails every chunk. There is always at
 * least one chunk (an empty recording has one empty final chunk).
 */
export const CHUNK_BYTES = 64 * 1024;
export const HEADER_BYTES = 20;
export const TAG_BYTES = 16;
const MAGIC = Buffer.from('TJENC', 'ascii');
const VERSION = 1;
const NONCE_PREFIX_BYTES = 8;

export interface ChunkHeader {
  /** The 20 header bytes as stored (part of every chunk's additional data). */
  raw: Buffer;
  chunkBytes: number;
  noncePrefix: Buffer;
}

export function newHeader(chunkBytes = CHUNK_BYTES): ChunkHeader {
  const raw = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(raw, 0);
  raw.writeUInt8(VERSION, 5);
  raw.writeUInt32BE(chunkBytes, 8);
  const noncePrefix = randomBytes(NONCE_PREFIX_BYTES);
  noncePrefix.copy(raw, 12);
  return { raw, chunkBytes, noncePrefix };
}

/** Whether a file's first bytes are this format's. */
export const hasMagic = (start: Buffer): boolean => start.length >= MAGIC.length && start.subarray(0, MAGIC.length).equals(MAGIC);

/** The header of `name`; INTEGRITY_MISMATCH when it is not one (the tags would fail anyway, less clearly). */
export function parseHeader(raw: Buffer, name: string): ChunkHeader {
  const chunkBytes = raw.length >= HEADER_BYTES ? raw.readUInt32BE(8) : 0;
  if (raw.length < HEADER_BYTES || !hasMagic(raw) || raw.readUInt8(5) !== VERSION || chunkBytes < 1 || chunkBytes > 16 * 1024 * 1024) {
    throw integrity(name, 'its header is not an encrypted recording header (TJENC version 1)');
  }
  return { raw: Buffer.from(raw.subarray(0, HEADER_BYTES)), chunkBytes, noncePrefix: Buffer.from(raw.subarray(12, HEADER_BYTES)) };
}

/** Chunks of a plaintext of this size. */
export const chunkCount = (plainBytes: number, chunkBytes: number): number => Math.max(1, Math.ceil(plainBytes / chunkBytes));

/** Bytes of the encrypted file of a plaintext of this size. */
export const encryptedSize = (plainBytes: number, chunkBytes: number): number => HEADER_BYTES + plainBytes + chunkCount(plainBytes, chunkBytes) * TAG_BYTES;

/** Where chunk `index` starts in the file. */
export const chunkOffset = (index: number, chunkBytes: number): number => HEADER_BYTES + index * (chunkBytes + TAG_BYTES);

/** Plaintext size and chunk count of an encrypted file of `fileBytes`; null when no plaintext gives that size (cut or padded). */
export function layoutOf(fileBytes: number, chunkBytes: number): { plainBytes: number; chunks: number } | null {
  const body = fileBytes - HEADER_BYTES;
  if (body < TAG_BYTES) return null;
  const chunks = Math.ceil(body / (chunkBytes + TAG_BYTES));
  const plainBytes = body - chunks * TAG_BYTES;
  // A last chunk holding only a tag exists only as the single chunk of an empty recording.
  return plainBytes >= 0 && chunkCount(plainBytes, chunkBytes) === chunks ? { plainBytes, chunks } : null;
}

function nonceOf(header: ChunkHeader, index: number): Buffer {
  const nonce = Buffer.alloc(NONCE_PREFIX_BYTES + 4);
  header.noncePrefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  return nonce;
}

function aadOf(header: ChunkHeader, contentSha256: Buffer, index: number, final: boolean): Buffer {
  const tail = Buffer.alloc(5);
  tail.writeUInt32BE(index, 0);
  tail.writeUInt8(final ? 1 : 0, 4);
  return Buffer.concat([header.raw, contentSha256, tail]);
}

/** One chunk sealed: ciphertext | tag. */
export function sealChunk(key: Buffer, header: ChunkHeader, contentSha256: Buffer, index: number, final: boolean, plain: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonceOf(header, index)).setAAD(aadOf(header, contentSha256, index, final));
  const body = cipher.update(plain);
  cipher.final();
  return Buffer.concat([body, cipher.getAuthTag()]);
}

/** One chunk's plaintext; INTEGRITY_MISMATCH naming `name` when its tag does not check. */
export function openChunk(key: Buffer, header: ChunkHeader, contentSha256: Buffer, index: number, final: boolean, sealed: Buffer, name: string): Buffer {
  if (sealed.length < TAG_BYTES) throw integrity(name, `chunk ${index} is cut short`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonceOf(header, index))
      .setAAD(aadOf(header, contentSha256, index, final))
      .setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    decipher.final();
    return plain;
  } catch {
    throw integrity(name, `chunk ${index} does not authenticate`);
  }
}

export const integrity = (name: string, why: string) =>
  new TingjianError('INTEGRITY_MISMATCH', `stored recording ${name} was altered or damaged: ${why}; restore it from a backup`, { blob: name });
