import { createWriteStream } from 'node:fs';
import { chmod, mkdir, open, opendir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { notFound, TingjianError } from '../../domain/errors.js';
import {
  chunkCount,
  chunkOffset,
  hasMagic,
  HEADER_BYTES,
  integrity,
  layoutOf,
  newHeader,
  openChunk,
  parseHeader,
  sealChunk,
  TAG_BYTES,
  type ChunkHeader,
} from '../../crypto/chunked-cipher.js';
import { formatWrapped, newDataKey, parseWrapped, unwrapDataKey, wrapDataKey, type MasterKeys } from '../../crypto/envelope.js';
import { hashStream } from '../../platform/hash-stream.js';
import { isDeadLocalProcess, processTag } from '../../platform/process-identity.js';
import { blobKeyFor, type BlobStat, type BlobStore, type StagedBlob } from '../../ports/blob-store.js';
import { blobPath, LocalDiskBlobStore } from './local-disk-blob-store.js';
import { StagingDir } from './staging-dir.js';

/** Chunks read or written per file operation (1 MiB of 64 KiB chunks): few syscalls, bounded memory. */
const CHUNKS_PER_IO = 16;
/** A commit lock whose holder is not known dead is taken over after this long (a hung process, another host). */
const STALE_LOCK_MS = 10 * 60 * 1000;

/** `<blob>.key`: the blob's data key wrapped under a master key, and the nonce prefix of the file it belongs to. */
interface Sidecar {
  v: 1;
  nonce: string;
  key: string;
}

/**
 * Recordings encrypted at rest on local disk (AES-256-GCM in 64 KiB chunks, src/crypto/chunked-cipher.ts),
 * each with its own data key, wrapped under the master key in a sidecar `<blob>.key` — so a key
 * rotation rewrites sidecars, never recordings. The content key stays the sha256 of the
 * PLAINTEXT: duplicates are still found, and `tingjian verify` re-hashes what a reader gets.
 *
 * A layer over LocalDiskBlobStore on the same folder rather than an option inside it: the plain
 * store stays as it was (and as tested); staging (hashing on worker threads), WORM retention and
 * recordings stored before encryption was turned on (no sidecar, no header: read as they are)
 * are the plain store's, and this class adds only what encryption changes. Bytes are staged in
 * plaintext — probing the upload needs a readable file — in `.staging`, made mode 700; commit
 * encrypts them into place and drops the plaintext.
 */
export class EncryptedBlobStore implements BlobStore {
  private readonly plain: LocalDiskBlobStore;
  private readonly staging: StagingDir;

  constructor(
    private readonly root: string,
    private readonly keys: MasterKeys,
  ) {
    this.plain = new LocalDiskBlobStore(root);
    this.staging = new StagingDir(path.join(root, '.staging'));
  }

  async init(): Promise<void> {
    await this.plain.init();
    // Staged uploads and decrypted copies for ffmpeg are plaintext: only this user may enter.
    await chmod(this.staging.dir, 0o700);
  }

  async stage(source: Readable, opts: { maxBytes?: number } = {}): Promise<StagedBlob> {
    return this.encryptOnCommit(await this.plain.stage(source, opts));
  }

  /** Staged as the plain store stages (hashing off-thread); encryption happens at commit. */
  async stageFile(sourcePath: string, opts: { maxBytes?: number } = {}): Promise<StagedBlob> {
    return this.encryptOnCommit(await this.plain.stageFile(sourcePath, opts));
  }

  private encryptOnCommit(staged: StagedBlob): StagedBlob {
    let committed: { key: string; created: boolean } | null = null;
    return {
      sha256: staged.sha256,
      sizeBytes: staged.sizeBytes,
      localPath: staged.localPath,
      commit: async () => {
        if (committed) return { key: committed.key, created: false };
        committed = await this.commit(staged);
        return committed;
      },
      discard: () => staged.discard(),
    };
  }

  private async commit(staged: StagedBlob): Promise<{ key: string; created: boolean }> {
    const key = blobKeyFor(staged.sha256);
    const final = blobPath(this.root, key);
    let created: boolean;
    try {
      created = await this.commitLocked(staged, key, final);
    } finally {
      // Committed, or refused (WORM) or failed: the staged plaintext goes either way.
      await staged.discard();
    }
    return { key, created };
  }

  private commitLocked(staged: StagedBlob, key: string, final: string): Promise<boolean> {
    return this.locked(staged.sha256, async () => {
      // Same content already stored: keep it if it really reads back as these bytes (a damaged
      // copy is replaced). Rare: duplicates are normally found by sha256 before a commit.
      if (await this.holds(key, staged.sha256, staged.sizeBytes)) return false;
      // WORM, as the plain store: a retained original is never replaced, not even by bytes
      // claiming to repair it. (One gone missing may be restored: read-only again, below.)
      const until = await this.retainedUntil(key);
      const retained = until !== null && until > Date.now();
      if (retained && (await stat(final).catch(() => null))) {
        throw new TingjianError('WORM_LOCKED', `recording ${key} is retained until ${new Date(until).toISOString()} (WORM) and does not read back as the bytes sent: it is not replaced; check it with \`tingjian verify\``, { key, retainedUntil: until });
      }
      const dataKey = newDataKey();
      const header = newHeader();
      const tmpBlob = await this.staging.newPath();
      const tmpSidecar = await this.staging.newPath('.key');
      try {
        await encryptFile(staged.localPath, tmpBlob, { dataKey, header, sha256: staged.sha256, size: staged.sizeBytes });
        const sidecar: Sidecar = { v: 1, nonce: header.noncePrefix.toString('hex'), key: formatWrapped(wrapDataKey(this.keys, dataKey, key)) };
        await writeFile(tmpSidecar, JSON.stringify(sidecar), { mode: 0o600, flag: 'wx' });
        await mkdir(path.dirname(final), { recursive: true });
        // Sidecar first: a crash in between leaves a key without a blob (stat: none), never a blob without its key.
        await rename(tmpSidecar, `${final}.key`);
        await rename(tmpBlob, final);
        if (retained) await chmod(final, 0o444);
      } catch (e) {
        await rm(tmpBlob, { force: true });
        await rm(tmpSidecar, { force: true });
        throw e;
      }
      return true;
    });
  }

  private async holds(key: string, sha256: string, size: number): Promise<boolean> {
    if ((await this.kind(key)) === 'missing') return false;
    try {
      const found = await hashStream(this.read(key));
      return found.sha256 === sha256 && found.sizeBytes === size;
    } catch {
      return false;
    }
  }

  /**
   * Run fn holding the commit lock of one content key (a file created exclusively in staging):
   * two writers of the same recording — processes sharing the folder, or two requests in this
   * one — must not pair one's sidecar with the other's blob. A dead holder's lock is taken over.
   */
  private async locked<T>(sha256: string, fn: () => Promise<T>): Promise<T> {
    await mkdir(this.staging.dir, { recursive: true });
    const lock = path.join(this.staging.dir, `lock-${sha256}`);
    for (;;) {
      try {
        await writeFile(lock, processTag(), { flag: 'wx', mode: 0o600 });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = await readFile(lock, 'utf8').catch(() => '');
      const age = Date.now() - ((await stat(lock).catch(() => null))?.mtimeMs ?? Date.now());
      if ((holder && isDeadLocalProcess(holder)) || age > STALE_LOCK_MS) await rm(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 20));
    }
    try {
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  }

  /** encrypted: has a sidecar or the format's header; plain: stored before encryption was on. */
  private async kind(key: string): Promise<'encrypted' | 'plain' | 'missing'> {
    const file = blobPath(this.root, key);
    if (await stat(`${file}.key`).catch(() => null)) return 'encrypted';
    const handle = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    if (!handle) return 'missing';
    try {
      const start = Buffer.alloc(8);
      const { bytesRead } = await handle.read(start, 0, start.length, 0);
      return hasMagic(start.subarray(0, bytesRead)) ? 'encrypted' : 'plain';
    } finally {
      await handle.close();
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    const s = await stat(blobPath(this.root, key)).catch(() => null);
    if (!s) return null;
    if ((await this.kind(key)) !== 'encrypted') return { sizeBytes: s.size };
    const opened = await this.openEncrypted(key);
    try {
      return { sizeBytes: opened.plainBytes };
    } finally {
      await opened.handle.close();
    }
  }

  read(key: string, range?: { start: number; end: number }): Readable {
    blobPath(this.root, key); // not a content key: INVALID_REQUEST now, as the plain store
    return Readable.from(this.decrypted(key, range), { objectMode: false });
  }

  /** Plaintext bytes of a blob (of a range: only the chunks it covers are read and checked). */
  private async *decrypted(key: string, range?: { start: number; end: number }): AsyncGenerator<Buffer> {
    if ((await this.kind(key)) !== 'encrypted') {
      yield* this.plain.read(key, range) as AsyncIterable<Buffer>;
      return;
    }
    const blob = await this.openEncrypted(key);
    try {
      const { chunkBytes } = blob.header;
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? blob.plainBytes - 1, blob.plainBytes - 1);
      // A whole read of an empty recording still checks its one (empty, final) chunk.
      const first = range ? Math.floor(start / chunkBytes) : 0;
      const last = start > end ? (range ? -1 : 0) : Math.floor(end / chunkBytes);
      for (let i = first; i <= last; i += CHUNKS_PER_IO) {
        const upto = Math.min(last, i + CHUNKS_PER_IO - 1);
        const from = chunkOffset(i, chunkBytes);
        const to = Math.min(chunkOffset(upto + 1, chunkBytes), blob.fileBytes);
        const buf = Buffer.allocUnsafe(to - from);
        const { bytesRead } = await blob.handle.read(buf, 0, buf.length, from);
        if (bytesRead !== buf.length) throw integrity(key, 'the file changed while it was read');
        for (let c = i; c <= upto; c++) {
          const at = chunkOffset(c, chunkBytes) - from;
          const sealed = buf.subarray(at, Math.min(at + chunkBytes + TAG_BYTES, buf.length));
          const plain = openChunk(blob.dataKey, blob.header, blob.contentSha256, c, c === blob.chunks - 1, sealed, key);
          const base = c * chunkBytes;
          const piece = plain.subarray(Math.max(0, start - base), Math.min(plain.length, end - base + 1));
          if (piece.length) yield piece;
        }
      }
    } finally {
      await blob.handle.close();
    }
  }

  /** An encrypted blob opened: its header checked against its sidecar, its data key unwrapped. */
  private async openEncrypted(key: string) {
    const file = blobPath(this.root, key);
    const handle = await open(file, 'r');
    try {
      const fileBytes = (await handle.stat()).size;
      const start = Buffer.alloc(HEADER_BYTES);
      await handle.read(start, 0, HEADER_BYTES, 0);
      const header = parseHeader(start, key);
      const sidecar = await this.readSidecar(key);
      if (sidecar.nonce !== header.noncePrefix.toString('hex')) throw integrity(key, `its key file ${key}.key belongs to another encryption of it`);
      const layout = layoutOf(fileBytes, header.chunkBytes);
      if (!layout) throw integrity(key, 'its length is not that of a whole encrypted file (cut short or extended)');
      const dataKey = unwrapDataKey(this.keys, parseWrapped(sidecar.key, key), key);
      return { handle, header, fileBytes, dataKey, ...layout, contentSha256: Buffer.from(key.slice(key.lastIndexOf('/') + 1), 'hex') };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  private async readSidecar(key: string): Promise<Sidecar> {
    const text = await readFile(`${blobPath(this.root, key)}.key`, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') throw integrity(key, `it is encrypted but its key file ${key}.key is missing`);
      throw e;
    });
    let doc: Partial<Sidecar> | null = null;
    try {
      doc = JSON.parse(text) as Partial<Sidecar>;
    } catch {
      // reported below
    }
    if (!doc || doc.v !== 1 || typeof doc.nonce !== 'string' || typeof doc.key !== 'string') throw integrity(key, `its key file ${key}.key is not readable`);
    return doc as Sidecar;
  }

  /**
   * A decrypted copy for ffmpeg (which needs a seekable file), mode 600 in the mode-700 staging
   * folder, removed after `fn` (or by the next start's sweep, should this process die).
   */
  async withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T> {
    const kind = await this.kind(key);
    if (kind === 'missing') throw notFound('blob', key);
    if (kind === 'plain') return this.plain.withLocalFile(key, fn);
    const tmp = await this.staging.newPath();
    try {
      await pipeline(this.read(key), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      return await fn(tmp);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** In the mode-700 staging folder, beside the decrypted copies for ffmpeg. */
  scratchDir(): Promise<string> {
    return this.staging.newDir();
  }

  /** The plain store's delete (WORM checks included), then the sidecar. */
  async delete(key: string): Promise<void> {
    await this.plain.delete(key);
    await rm(`${blobPath(this.root, key)}.key`, { force: true });
  }

  retain(key: string, untilEpochMs: number): Promise<void> {
    return this.plain.retain(key, untilEpochMs);
  }

  retainedUntil(key: string): Promise<number | null> {
    return this.plain.retainedUntil(key);
  }

  /** The content keys of every encrypted blob (those with a sidecar), for key rotation. */
  async *encryptedKeys(): AsyncGenerator<string> {
    for (const a of await hexDirs(path.join(this.root, 'sha256'))) {
      for (const b of await hexDirs(path.join(this.root, 'sha256', a))) {
        const dir = await opendir(path.join(this.root, 'sha256', a, b));
        for await (const e of dir) if (e.isFile() && /^[0-9a-f]{64}\.key$/.test(e.name)) yield blobKeyFor(e.name.slice(0, 64));
      }
    }
  }

  /**
   * Re-wrap a blob's data key under the current master key (the sidecar is replaced atomically;
   * the recording is not touched). 'current' when it already was; resumable by design.
   */
  async rewrap(key: string): Promise<'rewrapped' | 'current'> {
    return this.locked(key.slice(key.lastIndexOf('/') + 1), async () => {
      const sidecar = await this.readSidecar(key);
      const wrapped = parseWrapped(sidecar.key, key);
      if (wrapped.keyId === this.keys.currentId) return 'current';
      const next: Sidecar = { ...sidecar, key: formatWrapped(wrapDataKey(this.keys, unwrapDataKey(this.keys, wrapped, key), key)) };
      const tmp = await this.staging.newPath('.key');
      try {
        await writeFile(tmp, JSON.stringify(next), { mode: 0o600, flag: 'wx' });
        await rename(tmp, `${blobPath(this.root, key)}.key`);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      return 'rewrapped';
    });
  }
}

async function hexDirs(dir: string): Promise<string[]> {
  const names: string[] = [];
  const handle = await opendir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (!handle) return names;
  for await (const e of handle) if (e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name)) names.push(e.name);
  return names.sort();
}

/**
 * Encrypt a staged plaintext file into a new file, CHUNKS_PER_IO chunks per read and write, on
 * this thread: AES-GCM runs at GB/s with AES-NI, a small share of an ingest (bench in the report
 * of docs/security.md). The staged copy is not hashed again: it was hashed as it was written.
 */
async function encryptFile(src: string, dst: string, o: { dataKey: Buffer; header: ChunkHeader; sha256: string; size: number }): Promise<void> {
  const { chunkBytes } = o.header;
  const chunks = chunkCount(o.size, chunkBytes);
  const contentSha256 = Buffer.from(o.sha256, 'hex');
  const input = await open(src, 'r');
  let output: FileHandle | null = null;
  try {
    output = await open(dst, 'wx', 0o600);
    await output.write(o.header.raw);
    const buf = Buffer.allocUnsafe(chunkBytes * CHUNKS_PER_IO);
    for (let i = 0; i < chunks; i += CHUNKS_PER_IO) {
      const want = Math.min(buf.length, o.size - i * chunkBytes);
      const { bytesRead } = await input.read(buf, 0, want, i * chunkBytes);
      if (bytesRead !== want) throw new Error(`staged file ${src} changed before commit`);
      const sealed: Buffer[] = [];
      for (let c = i; c < Math.min(chunks, i + CHUNKS_PER_IO); c++) {
        const plain = buf.subarray((c - i) * chunkBytes, Math.min(want, (c - i + 1) * chunkBytes));
        sealed.push(sealChunk(o.dataKey, o.header, contentSha256, c, c === chunks - 1, plain));
      }
      await output.writev(sealed);
    }
  } finally {
    await output?.close();
    await input.close();
  }
}
