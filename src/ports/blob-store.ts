import type { Readable } from 'node:stream';

/**
 * Where original recordings live: content-addressed by sha256, written atomically. Adapters:
 * local disk (src/adapters/blob/local-disk-blob-store.ts); S3 later. Contract:
 * test/contract/blob-store.contract.ts.
 */
export interface StagedBlob {
  sha256: string;
  sizeBytes: number;
  /** A readable local path of the staged bytes, for probing before commit. */
  localPath: string;
  /** Make the blob durable under its content key; returns the key and whether it was new. */
  commit(): Promise<{ key: string; created: boolean }>;
  /** Throw the staged bytes away (idempotent). */
  discard(): Promise<void>;
}

export interface BlobStat {
  sizeBytes: number;
}

export interface BlobStore {
  /** Stream bytes into a staging area, hashing on the way; abort with `maxBytes` exceeded. */
  stage(source: Readable, opts?: { maxBytes?: number }): Promise<StagedBlob>;
  /**
   * Stage a local file (CLI, watched folder): same result as `stage(createReadStream(path))`, but
   * an adapter may do it faster (local disk: read, hash and write in one pass on worker threads).
   * The sha256 is that of the bytes staged. UPLOAD_TOO_LARGE past `maxBytes`, nothing left staged.
   */
  stageFile(path: string, opts?: { maxBytes?: number }): Promise<StagedBlob>;
  stat(key: string): Promise<BlobStat | null>;
  /** Read a blob, optionally a byte range (inclusive end, as in HTTP Range). */
  read(key: string, range?: { start: number; end: number }): Readable;
  /** Remove a blob (gone already: nothing). WORM_LOCKED while it is retained (see retain). */
  delete(key: string): Promise<void>;
  /**
   * WORM: keep the blob unchanged until `untilEpochMs` — delete refuses before then, also for
   * code that bypasses the API. Only ever extends: an earlier time than one already set changes
   * nothing. Local disk records it beside the blob and makes the file read-only; S3 Object Lock
   * (compliance mode) is the real enforcement a later adapter brings. NOT_FOUND for no blob.
   */
  retain(key: string, untilEpochMs: number): Promise<void>;
  /** The retain-until time set on a blob, or null when none is. */
  retainedUntil(key: string): Promise<number | null>;
  /**
   * Run `fn` with a local file path holding the blob (ffmpeg needs a seekable file: an M4A keeps
   * its index at the end). Local disk passes its own file, read-only by contract; a remote store
   * downloads to a temporary file and removes it after. NOT_FOUND when the blob is missing.
   */
  withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T>;
  /**
   * A new empty folder, mode 700, for temporary files made from blobs (a redacted copy while it
   * is downloaded): in the store's staging area, so a crashed process's folders are swept at the
   * next start rather than left in /tmp. The caller removes it.
   */
  scratchDir(): Promise<string>;
}

/** The content key of a sha256 (hex). */
export const blobKeyFor = (sha256: string): string => `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
