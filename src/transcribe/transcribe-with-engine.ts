import type { Transcript, TranscriptSegment } from '../domain/transcript.js';
import type { VoiceActivity } from '../domain/voice-activity.js';
import type { PcmAudio } from '../decode/pcm-audio.js';
import type { AsrEngine, AsrSegment } from '../ports/asr-engine.js';
import { assignRolesByContent } from './roles/assign-roles-by-content.js';

/**
 * Every channel with speech through the engine, only where the VAD found speech, channels at the
 * same time (the engine's pool spreads the spans over the cores). A channel's segments take the
 * channel's role; a mixed mono channel's segments get roles from their diarization cluster and
 * content (./roles/assign-roles-by-content.ts).
 */
export async function transcribeWithEngine(
  engine: AsrEngine,
  pcm: PcmAudio,
  activity: VoiceActivity,
  opts: { callId: string; language: string; hotwords?: string[] },
): Promise<Transcript> {
  const perChannel = await Promise.all(
    activity.channels.map(async (ch) => {
      const samples = pcm.channels[ch.channel];
      if (!samples || ch.spans.length === 0) return [];
      const segs: AsrSegment[] = await engine.transcribe({ samples, spans: ch.spans, ...(opts.hotwords?.length ? { hotwords: opts.hotwords } : {}) });
      return segs.map((s) => ({ ...s, speaker: ch.speaker }));
    }),
  );
  const ordered = perChannel.flat().sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const withRoles = assignRolesByContent(ordered);
  const segments: TranscriptSegment[] = withRoles.map((s, index) => ({
    index,
    speaker: s.speaker,
    startMs: s.startMs,
    endMs: s.endMs,
    text: s.text,
    ...(s.confidence === null ? {} : { confidence: s.confidence }),
  }));
  return { callId: opts.callId, engine: engine.name, language: engine.language === 'auto' ? opts.language : engine.language, segments };
}
