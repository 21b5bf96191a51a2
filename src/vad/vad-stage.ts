import { loadPcm } from '../decode/load-pcm.js';
import type { StageHandler } from '../pipeline/stage-handler.js';
import { measureVoiceActivity } from './measure-voice-activity.js';

/** Voice activity per channel with the configured detector (TINGJIAN_VAD), and loudness. */
export const vadStage: StageHandler = async ({ call, db, blobs, media }) => {
  const recording = await db.repos.recordings.getByCallId(call.id);
  if (!recording) return { status: 'skipped', note: 'no audio (transcript-only call)' };
  const pcm = await loadPcm(call.id, recording, { blobs, decoded: media.decoded, ffmpegPath: media.ffmpegPath });
  const activity = await measureVoiceActivity(pcm, recording.channelRoles, media.withVad);
  await db.repos.artifacts.saveVoiceActivity(call.id, activity, Date.now());
  const counts = activity.channels.map((c) => `${c.speaker} ${c.spans.length}`).join(', ');
  return { status: 'done', note: `${activity.detector}: speech spans ${counts}` };
};
