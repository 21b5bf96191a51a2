import type { StageHandler } from '../pipeline/stage-handler.js';
import { analyzeText } from './analyze-text.js';
import { signalsFromAudio } from './audio-signals.js';
import { signalsFromTranscript } from './transcript-signals.js';

/**
 * Enrich: signals — from the audio's voice activity when the call has a recording (with speech
 * rate from the transcript, if any), from the transcript's timing for calls without audio — and,
 * when there is a transcript, what the words mean (sentiment, emotion curve, topics, summary, PII).
 */
export const enrichStage: StageHandler = async ({ call, db, media }) => {
  const transcript = await db.repos.transcripts.get(call.id);
  const activity = await db.repos.artifacts.getVoiceActivity(call.id);
  if (!activity && !transcript) return { status: 'skipped', note: 'no audio and no transcript to measure' };
  const signals = activity
    ? signalsFromAudio(activity, transcript, media.signals)
    : signalsFromTranscript(transcript!.segments, { durationMs: call.durationMs, language: call.language }, media.signals);
  await db.repos.artifacts.saveSignals(call.id, signals, Date.now());
  const text = transcript ? analyzeText(transcript.segments, media.text()) : null;
  if (text) await db.repos.artifacts.saveTextAnalysis(call.id, text, Date.now());
  const signalNote = `signals from ${signals.source}: ${signals.silence.spans.length} silences, ${signals.overlaps.length} overlaps, ${signals.interruptionEvents.length} interruptions`;
  const textNote = text
    ? `; customer ${text.customerSentiment?.label ?? 'silent'}, topics ${text.topics.map((t) => t.name).join('/') || 'none'}, outcome ${text.summary.outcome}, ${text.pii.length} PII spans`
    : '';
  return { status: 'done', note: signalNote + textNote };
};
