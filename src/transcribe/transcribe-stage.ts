import { loadPcm } from '../decode/load-pcm.js';
import { TingjianError } from '../domain/errors.js';
import type { StageHandler } from '../pipeline/stage-handler.js';
import { applyCorrections, correctionNote } from './correction/apply-corrections.js';
import { transcribeWithEngine } from './transcribe-with-engine.js';

/**
 * Transcribe: a transcript provided with the call (chat, another ASR) passes through; otherwise
 * the configured ASR engine transcribes the speech the vad stage found, biased toward the
 * correction dictionary's terms where the model takes hotwords. Then the correction dictionary
 * fixes misheard business terms (speech only). The decoded scratch audio is dropped once this
 * stage is through with it (it stays for a retry after a failure).
 */
export const transcribeStage: StageHandler = async ({ call, db, blobs, media }) => {
  const existing = await db.repos.transcripts.get(call.id);
  const recording = await db.repos.recordings.getByCallId(call.id);
  const dictionary = await media.corrections();
  if (existing?.engine === 'provided' || !recording) {
    if (recording) await media.decoded.delete(call.id);
    if (!existing) return { status: 'skipped', note: 'no transcript provided and no audio' };
    const fixed = applyCorrections(existing, dictionary, call.channel);
    if (fixed.changed) await db.repos.transcripts.save(fixed.transcript);
    return { status: 'done', note: `${existing.engine} transcript, ${existing.segments.length} segments${correctionNote(fixed.changed, dictionary)}` };
  }
  const engine = await media.asr();
  if (!engine) {
    await media.decoded.delete(call.id);
    return { status: 'skipped', note: 'no transcript provided and no ASR engine configured (set TINGJIAN_ASR_ENGINE; see docs/asr-models.md)' };
  }
  const activity = await db.repos.artifacts.getVoiceActivity(call.id);
  if (!activity) throw new TingjianError('INTERNAL', 'no voice activity stored for this call: the vad stage must run before transcribe');
  const pcm = await loadPcm(call.id, recording, { blobs, decoded: media.decoded, ffmpegPath: media.ffmpegPath });
  const mono = activity.channels.some((c) => c.speaker === 'unknown');
  const diarizer = mono ? await media.diarizer() : null;
  const hotwords = dictionary?.compiled.terms.map((t) => t.term);
  const heard = await transcribeWithEngine(engine, pcm, activity, { callId: call.id, language: call.language, diarizer, ...(hotwords ? { hotwords } : {}) });
  const { transcript, changed } = applyCorrections(heard, dictionary, call.channel);
  await db.repos.transcripts.save(transcript);
  await media.decoded.delete(call.id);
  const speechMs = activity.channels.reduce((n, c) => n + c.spans.reduce((m, s) => m + s.endMs - s.startMs, 0), 0);
  return { status: 'done', note: `${engine.name}: ${transcript.segments.length} segments from ${(speechMs / 1000).toFixed(1)} s of speech${correctionNote(changed, dictionary)}` };
};
