import type { StageHandler } from '../pipeline/stage-handler.js';

/**
 * Transcribe: a transcript provided with the call (chat, another ASR) passes through as is. ASR
 * engines (sherpa-onnx, pocketsphinx) plug in here with the 听清 issue (#3).
 */
export const transcribeStage: StageHandler = async ({ call, db }) => {
  const transcript = await db.repos.transcripts.get(call.id);
  if (transcript) return { status: 'done', note: `${transcript.engine} transcript, ${transcript.segments.length} segments` };
  return { status: 'skipped', note: 'no transcript provided and no ASR engine configured' };
};
