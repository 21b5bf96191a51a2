import { TingjianError } from '../domain/errors.js';
import type { StageHandler } from '../pipeline/stage-handler.js';
import { hashStream } from '../platform/hash-stream.js';

/**
 * First stage: prove the stored original is the one we accepted (sha256 over the stored bytes),
 * so every later stage works on verified audio. Transcript-only calls have nothing to verify.
 */
export const ingestStage: StageHandler = async ({ call, db, blobs }) => {
  const recording = await db.repos.recordings.getByCallId(call.id);
  if (!recording) {
    const transcript = await db.repos.transcripts.get(call.id);
    return { status: 'done', note: `transcript only (${transcript?.segments.length ?? 0} segments)` };
  }
  const { sha256, sizeBytes: size } = await hashStream(blobs.read(recording.blobKey));
  if (sha256 !== recording.sha256 || size !== recording.sizeBytes) {
    throw new TingjianError('INTEGRITY_MISMATCH', `stored original does not match its sha256 (expected ${recording.sha256}, found ${sha256}, ${size} bytes): the blob store was altered`);
  }
  return { status: 'done', note: `original verified (sha256 ${sha256.slice(0, 12)}…, ${size} bytes)` };
};
