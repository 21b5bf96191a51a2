import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/repositories.js';
import { expiryOf } from './expiry.js';
import type { RetentionPolicy } from './retention-policy.js';

const BATCH = 500;

/**
 * Computes every stored call's expiry under the policy again (after the policy changed, or for
 * calls stored before retention existed), in id-order batches. Legal holds stay as they are. In
 * WORM mode an expiry is only ever extended, and the store is told to retain each original until
 * its (possibly extended) expiry.
 * @returns how many calls were computed
 */
export async function applyPolicy(
  deps: { db: Database; blobs: BlobStore; policy: RetentionPolicy; worm: boolean },
  opts: { now?: number; onProgress?: (done: number) => void } = {},
): Promise<number> {
  const { db } = deps;
  const now = opts.now ?? Date.now();
  let afterId: string | null = null;
  let done = 0;
  for (;;) {
    const calls = await db.repos.calls.listForReinspection({}, afterId, BATCH);
    if (calls.length === 0) return done;
    const lengths = await db.repos.retention.recordingLengths(calls.map((c) => c.id));
    await db.repos.retention.saveExpiries(
      calls.map((c) => ({ callId: c.id, ...expiryOf({ ...c, recordingMs: lengths.get(c.id) ?? null }, deps.policy) })),
      now,
      { neverShorten: deps.worm },
    );
    if (deps.worm) for (const c of calls) await retainOriginal(deps, c.id);
    done += calls.length;
    afterId = calls[calls.length - 1]!.id;
    opts.onProgress?.(done);
  }
}

/** WORM: the store keeps the call's original until its stored expiry. */
export async function retainOriginal(deps: { db: Database; blobs: BlobStore }, callId: string): Promise<void> {
  const [rec, ret] = await Promise.all([deps.db.repos.recordings.getByCallId(callId), deps.db.repos.retention.get(callId)]);
  if (rec && ret?.expiresAt != null) await deps.blobs.retain(rec.blobKey, ret.expiresAt);
}
