import type { StageHandler } from '../pipeline/stage-handler.js';

/** Voice activity per channel (Silero / WebRTC VAD) lands with the 听清 issue (#3). */
export const vadStage: StageHandler = async ({ call, db }) => {
  const recording = await db.repos.recordings.getByCallId(call.id);
  if (!recording) return { status: 'skipped', note: 'no audio (transcript-only call)' };
  return { status: 'skipped', note: 'voice activity detection not installed yet' };
};
