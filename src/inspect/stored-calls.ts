import type { Call } from '../domain/call.js';
import type { Signals } from '../domain/signals.js';
import type { Transcript } from '../domain/transcript.js';
import type { Database, ReinspectionFilter } from '../ports/repositories.js';

export interface StoredCall {
  call: Call;
  transcript: Transcript | null;
  signals: Signals | null;
}

/**
 * Stored calls in ascending id order, a batch at a time with their transcripts and signals (one
 * query each per batch): what dry runs and re-inspections judge, without re-transcribing anything.
 * `after` resumes after a call id (a re-inspection's cursor).
 */
export async function* storedCallBatches(
  db: Database,
  filter: ReinspectionFilter,
  opts: { after?: string | null; batch?: number; limit?: number } = {},
): AsyncGenerator<StoredCall[]> {
  const size = opts.batch ?? 250;
  let after = opts.after ?? null;
  let left = opts.limit ?? Infinity;
  while (left > 0) {
    const calls = await db.repos.calls.listForReinspection(filter, after, Math.min(size, left));
    if (calls.length === 0) return;
    const ids = calls.map((c) => c.id);
    const [transcripts, signals] = await Promise.all([db.repos.transcripts.getMany(ids), db.repos.artifacts.getSignalsMany(ids)]);
    yield calls.map((call) => ({ call, transcript: transcripts.get(call.id) ?? null, signals: signals.get(call.id) ?? null }));
    after = ids[ids.length - 1]!;
    left -= calls.length;
    // better-sqlite3 answers synchronously: without this, a long re-inspection or dry run would
    // hold the event loop (HTTP requests, leases, signals) until it ends.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
