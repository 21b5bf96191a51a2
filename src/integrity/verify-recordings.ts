import { isTingjianError } from '../domain/errors.js';
import type { Recording } from '../domain/recording.js';
import { hashStream } from '../platform/hash-stream.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { RecordingRepository } from '../ports/repositories.js';

/**
 * ok: the stored original hashes to its recorded sha256 and size. changed: it reads, but to other
 * bytes. missing: no file. unreadable: it cannot be read back — an encrypted recording whose
 * ciphertext, header or key file was altered (INTEGRITY_MISMATCH), a master key no longer in the
 * keyring, a file the process may not read.
 */
export type VerifyStatus = 'ok' | 'changed' | 'missing' | 'unreadable';

export interface VerifyResult {
  callId: string;
  blobKey: string;
  status: VerifyStatus;
  expectedSha256: string;
  expectedSizeBytes: number;
  /** What was read (changed and ok only). */
  sha256?: string;
  sizeBytes?: number;
  /** Why it could not be read (unreadable only): the error code and message. */
  error?: string;
}

export type VerifySummary = Record<VerifyStatus, number> & { total: number };

const PAGE = 200;
/** Recordings read at once: file reads overlap with hashing, which runs on this thread. */
const CONCURRENCY = 4;

/**
 * Re-hash every stored original against the sha256 and size recorded at ingest, paging through
 * the recordings in call id order. Reads go through the blob store, so an encrypted store
 * decrypts (and authenticates) on the way. `onResult` gets each call's result as it is known.
 */
export async function verifyRecordings(
  deps: { recordings: RecordingRepository; blobs: BlobStore },
  opts: { onResult?: (r: VerifyResult) => void; pageSize?: number } = {},
): Promise<VerifySummary> {
  const summary: VerifySummary = { total: 0, ok: 0, changed: 0, missing: 0, unreadable: 0 };
  for (let after: string | null = null; ; ) {
    const page = await deps.recordings.listAfter(after, opts.pageSize ?? PAGE);
    if (page.length === 0) break;
    for (let i = 0; i < page.length; i += CONCURRENCY) {
      for (const r of await Promise.all(page.slice(i, i + CONCURRENCY).map((rec) => verifyOne(deps.blobs, rec)))) {
        summary.total++;
        summary[r.status]++;
        opts.onResult?.(r);
      }
    }
    after = page.at(-1)!.callId;
  }
  return summary;
}

export async function verifyOne(blobs: BlobStore, rec: Recording): Promise<VerifyResult> {
  const base = { callId: rec.callId, blobKey: rec.blobKey, expectedSha256: rec.sha256, expectedSizeBytes: rec.sizeBytes };
  try {
    const found = await hashStream(blobs.read(rec.blobKey));
    const same = found.sha256 === rec.sha256 && found.sizeBytes === rec.sizeBytes;
    return { ...base, status: same ? 'ok' : 'changed', sha256: found.sha256, sizeBytes: found.sizeBytes };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ...base, status: 'missing' };
    const error = isTingjianError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    return { ...base, status: 'unreadable', error };
  }
}

export const hasProblems = (s: VerifySummary): boolean => s.changed + s.missing + s.unreadable > 0;
