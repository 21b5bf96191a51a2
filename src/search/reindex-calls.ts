import { storedCallBatches } from '../inspect/stored-calls.js';
import type { Database, ReinspectionFilter } from '../ports/repositories.js';
import { searchDocument } from './search-document.js';

/**
 * Writes the search documents of stored calls again, a batch at a time (one upsertMany each):
 * calls stored before the search index existed, or an index to repair. The same document the
 * index stage writes: transcript, latest inspection, text analysis.
 */
export async function reindexCalls(db: Database, opts: { filter?: ReinspectionFilter; onProgress?: (done: number) => void } = {}): Promise<number> {
  let done = 0;
  for await (const batch of storedCallBatches(db, opts.filter ?? {}, { batch: 500 })) {
    const ids = batch.map((b) => b.call.id);
    const [analyses, inspections] = await Promise.all([db.repos.artifacts.getTextAnalysisMany(ids), Promise.all(ids.map((id) => db.repos.inspections.latest(id)))]);
    await db.repos.search.upsertMany(batch.map((b, i) => searchDocument({ call: b.call, transcript: b.transcript, inspection: inspections[i]!, analysis: analyses.get(b.call.id) ?? null })));
    done += batch.length;
    opts.onProgress?.(done);
  }
  return done;
}
