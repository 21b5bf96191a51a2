import type { EncryptedBlobStore } from '../adapters/blob/encrypted-blob-store.js';
import type { DataKeyRepository } from '../ports/repositories.js';
import { formatWrapped, parseWrapped, unwrapDataKey, wrapDataKey, type MasterKeys } from './envelope.js';

export interface RotationCounts {
  rewrapped: number;
  /** Already under the current master key (a resumed rotation skips them). */
  current: number;
  failed: number;
}

export interface RotationReport {
  currentKeyId: string;
  recordings: RotationCounts;
  dataKeys: RotationCounts;
  /** The first failures (at most 50), each naming the object: a key missing from the keyring, a damaged wrapping. */
  failures: Array<{ object: string; error: string }>;
}

const MAX_FAILURES_LISTED = 50;
const PAGE = 500;

/**
 * Key rotation: every recording's sidecar and every data_keys row still wrapped under an older
 * master key is re-wrapped under the current one. Recordings and encrypted rows are not touched —
 * their data keys stay the same. Resumable: what is already current is skipped, so an interrupted
 * rotation is simply run again. A failure (an old key no longer in the keyring) is counted and
 * listed, and the rotation goes on with the rest.
 */
export async function rotateKeys(
  deps: { dataKeys: DataKeyRepository; blobs: EncryptedBlobStore | null; keys: MasterKeys },
  opts: { onTotal?: (n: number) => void; onProgress?: (done: number) => void } = {},
): Promise<RotationReport> {
  const { keys } = deps;
  const report: RotationReport = {
    currentKeyId: keys.currentId,
    recordings: { rewrapped: 0, current: 0, failed: 0 },
    dataKeys: { rewrapped: 0, current: 0, failed: 0 },
    failures: [],
  };
  const fail = (counts: RotationCounts, object: string, e: unknown) => {
    counts.failed++;
    if (report.failures.length < MAX_FAILURES_LISTED) report.failures.push({ object, error: e instanceof Error ? e.message : String(e) });
  };
  let sidecars = 0;
  if (deps.blobs) for await (const _ of deps.blobs.encryptedKeys()) sidecars++;
  opts.onTotal?.(sidecars + (await deps.dataKeys.countNotWrappedWith(keys.currentId)));
  let done = 0;
  const tick = () => opts.onProgress?.(++done);

  if (deps.blobs) {
    for await (const key of deps.blobs.encryptedKeys()) {
      try {
        report.recordings[await deps.blobs.rewrap(key)]++;
      } catch (e) {
        fail(report.recordings, key, e);
      }
      tick();
    }
  }

  for (let after: string | null = null; ; ) {
    const rows = await deps.dataKeys.listNotWrappedWith(keys.currentId, after, PAGE);
    if (rows.length === 0) break;
    for (const row of rows) {
      try {
        const next = wrapDataKey(keys, unwrapDataKey(keys, parseWrapped(row.wrapped, row.objectId), row.objectId), row.objectId);
        // Another rotation running at once may have re-wrapped it first: then it is current.
        const swapped = await deps.dataKeys.rewrap(row.objectId, row.wrapped, { keyId: next.keyId, wrapped: formatWrapped(next) });
        report.dataKeys[swapped ? 'rewrapped' : 'current']++;
      } catch (e) {
        fail(report.dataKeys, row.objectId, e);
      }
      tick();
    }
    after = rows.at(-1)!.objectId;
  }
  return report;
}
