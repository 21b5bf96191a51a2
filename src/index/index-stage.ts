import type { StageHandler } from '../pipeline/stage-handler.js';

/**
 * Index: the call's metadata is queryable from the moment it is stored (indexed columns), and its
 * transcript segments are rows. Full-text search over transcripts arrives with the search issue.
 */
export const indexStage: StageHandler = async ({ call, db }) => {
  const transcript = await db.repos.transcripts.get(call.id);
  return { status: 'done', note: transcript ? `metadata and ${transcript.segments.length} segments searchable` : 'metadata searchable' };
};
