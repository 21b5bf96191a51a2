import type { StageHandler } from '../pipeline/stage-handler.js';
import { decodeRecording } from './load-pcm.js';

/**
 * Decode: the stored original → 16-bit PCM at 16 kHz, channels kept apart, in the decoded-audio
 * scratch store for the vad and transcribe stages. A recording that cannot be decoded fails the
 * call here with INVALID_AUDIO (no retries): the rest of the pipeline goes on with other calls.
 */
export const decodeStage: StageHandler = async ({ call, db, blobs, media }) => {
  const recording = await db.repos.recordings.getByCallId(call.id);
  if (!recording) return { status: 'skipped', note: 'no audio (transcript-only call)' };
  const r = await decodeRecording(call.id, recording, { blobs, decoded: media.decoded, ffmpegPath: media.ffmpegPath });
  const roles = recording.channels === 1 ? 'mono: mixed speakers' : recording.channelRoles.join(', ');
  return { status: 'done', note: `${r.codec} ${r.sampleRate} Hz × ${r.channels} → 16 kHz PCM (${roles}), ${(r.durationMs / 1000).toFixed(1)} s` };
};
