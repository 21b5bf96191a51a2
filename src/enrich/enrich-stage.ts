import type { StageHandler } from '../pipeline/stage-handler.js';
import { signalsFromTranscript } from './transcript-signals.js';

/** Enrich: signals (talk time, silence, overlaps, interruptions, speech rate) from the transcript's timing. */
export const enrichStage: StageHandler = async ({ call, db }) => {
  const transcript = await db.repos.transcripts.get(call.id);
  if (!transcript) return { status: 'skipped', note: 'no transcript to measure' };
  const recording = await db.repos.recordings.getByCallId(call.id);
  const signals = signalsFromTranscript(transcript.segments, {
    durationMs: call.durationMs ?? recording?.durationMs ?? null,
    language: call.language,
  });
  await db.repos.artifacts.saveSignals(call.id, signals, Date.now());
  return { status: 'done', note: `signals from transcript timing: ${signals.silence.spans.length} silences, ${signals.overlaps.length} overlaps` };
};
