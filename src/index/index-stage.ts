import type { StageHandler } from '../pipeline/stage-handler.js';
import { searchDocument } from '../search/search-document.js';

/**
 * Index: the call's search document — transcript tokens, metadata, the latest inspection's score
 * and rule hits, the text analysis' sentiment and topics — written to the search index, replacing
 * any earlier one (the stage is re-runnable). A call without a transcript gets a document
 * without text, so filters still find it; a missing inspection or text analysis leaves those
 * filters empty. Re-inspections keep score and rule hits current (reinspection-runner.ts).
 */
export const indexStage: StageHandler = async ({ call, db }) => {
  const [transcript, inspection, analysis] = await Promise.all([db.repos.transcripts.get(call.id), db.repos.inspections.latest(call.id), db.repos.artifacts.getTextAnalysis(call.id)]);
  await db.repos.search.upsert(searchDocument({ call, transcript, inspection, analysis }));
  return { status: 'done', note: transcript ? `${transcript.segments.length} segments searchable` : 'no transcript: searchable by its filters only' };
};
