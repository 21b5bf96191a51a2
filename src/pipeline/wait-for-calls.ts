import type { Call } from '../domain/call.js';
import { TingjianError } from '../domain/errors.js';
import type { Database } from '../ports/repositories.js';

/**
 * Wait until every call has left `processing` (done or failed), reporting progress. Polls the
 * database, so it also sees work done by other processes. Gives up after timeoutMs.
 */
export async function waitForCalls(
  db: Database,
  ids: string[],
  opts: { timeoutMs: number; pollMs?: number; onProgress?: (finished: number, failed: number) => void },
): Promise<Call[]> {
  const deadline = Date.now() + opts.timeoutMs;
  const pending = new Set(ids);
  const finished = new Map<string, Call>();
  let failed = 0;
  while (pending.size > 0) {
    for (const id of [...pending]) {
      const call = await db.repos.calls.get(id);
      if (call && call.status !== 'processing') {
        pending.delete(id);
        finished.set(id, call);
        if (call.status === 'failed') failed++;
      }
    }
    opts.onProgress?.(finished.size, failed);
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      throw new TingjianError('TIMEOUT', `${pending.size} call(s) still processing after ${Math.round(opts.timeoutMs / 1000)} s; they go on in the background (see GET /api/v1/pipeline) — wait longer with --timeout`);
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
  }
  return ids.map((id) => finished.get(id)!);
}
