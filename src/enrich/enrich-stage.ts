import type { StageHandler } from '../pipeline/stage-handler.js';
import { signalsFromAudio } from './audio-signals.js';
import { signalsFromTranscript } from './transcript-signals.js';

/**
 * Enrich: signals. From the audio's voice activity when the call has a recording (with speech
 * rate from the transcript, if any); from the transcript's timing for calls without audio.
 */
export const enrichStage: StageHandler = async ({ call, db, media }) => {
  const transcript = await db.repos.transcripts.get(call.id);
  const activity = await db.repos.artifacts.getVoiceActivity(call.id);
  if (!activity && !transcript) return { status: 'skipped', note: 'no audio and no transcript to measure' };
  const signals = activity
    ? signalsFromAudio(activity, transcript, media.signals)
    : signalsFromTranscript(transcript!.segments, { durationMs: call.durationMs, language: call.language }, media.signals);
  await db.repos.artifacts.saveSignals(call.id, signals, Date.now());
  return {
    status: 'done',
    note: `signals from ${signals.source}: ${signals.silence.spans.length} silences, ${signals.overlaps.length} overlaps, ${signals.interruptionEvents.length} interruptions`,
  };
};
