import { TingjianError } from '../domain/errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { RetentionRepository } from '../ports/retention-repository.js';

/**
 * Originals are content-addressed: a new call with the same bytes as a deleted one stores the
 * same blob under the same key. A deletion removes the rows first, leaving a tombstone that names
 * the blob, and then — when no recording uses the blob — the file (purge.ts, finishTombstone).
 * An ingest of the same bytes in between would keep the file that is there (commit: "same content
 * already stored") and insert a recording pointing at it, which the deletion then removes.
 *
 * No lock spans the two: they may run in different processes, even on different hosts, and a
 * commit can take seconds (hashing, encrypting). The database orders them instead:
 *
 * 1. recordings.sha256 is unique, so a new recording of the bytes can only be inserted once the
 *    deletion of the old one has committed — the transaction that also wrote the tombstone.
 * 2. Before committing the file, the ingest waits while a tombstone names the blob
 *    ({@link waitWhileBlobIsDeleted}): the deletion takes milliseconds, and the ingest then
 *    writes the file afresh instead of keeping the one about to go.
 * 3. In the transaction that inserts its recording, after the insert, the ingest refuses when a
 *    tombstone still names the blob or the file is gone ({@link assertBlobKept}). So a recording
 *    is never committed while a deletion of its file is pending — the deletion's reference check
 *    comes later and sees it — nor after a deletion removed the file (a deletion that began after
 *    step 2: a call with the same bytes stored and deleted while this ingest ran).
 */

/** How long an ingest waits for a deletion of the same blob before giving up (CONFLICT). */
const WAIT_MS = 10_000;
const POLL_MS = 25;

const beingDeleted = (blobKey: string, callId: string) =>
  new TingjianError(
    'CONFLICT',
    `the same recording was stored for call ${callId}, which has been deleted, and its file is still being removed: push it again in a moment (a removal an earlier run left unfinished is completed by the next purge, or at once by \`tingjian retention purge\`)`,
    { blobKey, deletedCallId: callId },
  );

/** Step 2: wait while a deletion is removing this blob; CONFLICT if it has not finished in time. */
export async function waitWhileBlobIsDeleted(repo: RetentionRepository, blobKey: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const until = Date.now() + (opts.timeoutMs ?? WAIT_MS);
  for (;;) {
    const callId = await repo.deletionOfBlob(blobKey);
    if (callId === null) return;
    if (Date.now() >= until) throw beingDeleted(blobKey, callId);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Step 3, inside the transaction and after the recording's insert: the blob is not being deleted and is there. */
export async function assertBlobKept(repo: RetentionRepository, blobs: BlobStore, blobKey: string): Promise<void> {
  const callId = await repo.deletionOfBlob(blobKey);
  if (callId !== null) throw beingDeleted(blobKey, callId);
  if (!(await blobs.stat(blobKey))) {
    throw new TingjianError('CONFLICT', `the original ${blobKey} was removed by the deletion of another call with the same bytes while this one was stored: push it again`, { blobKey });
  }
}
