import type { StageHandler } from '../pipeline/stage-handler.js';

/**
 * Decode: audio → PCM per channel at 16 kHz. The decoder lands with the 听清 issue (#3); until
 * then the stage says plainly that it did nothing, rather than pretending.
 */
export const decodeStage: StageHandler = async ({ call, db }) => {
  const recording = await db.repos.recordings.getByCallId(call.id);
  if (!recording) return { status: 'skipped', note: 'no audio (transcript-only call)' };
  return { status: 'skipped', note: `decoder not installed yet; ${recording.format}/${recording.codec} ${recording.sampleRate} Hz × ${recording.channels} kept as stored` };
};
