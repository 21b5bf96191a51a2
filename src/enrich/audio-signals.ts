import type { Side, SideLoudness, Signals, TimelineSpan } from '../domain/signals.js';
import type { TranscriptSegment } from '../domain/transcript.js';
import type { SpeechSpan, VoiceActivity } from '../domain/voice-activity.js';
import { DEFAULT_SIGNAL_SETTINGS, type SignalSettings } from './signal-settings.js';
import { speechRates } from './transcript-signals.js';
import { mergeSpans, turnTaking } from './turn-taking.js';

/** Energy-weighted mean level of spans (longer spans weigh more) and their highest peak. */
export function sideLoudness(spans: SpeechSpan[]): SideLoudness | null {
  let energy = 0;
  let weight = 0;
  let peak: number | null = null;
  for (const s of spans) {
    const len = s.endMs - s.startMs;
    if (s.rmsDbfs !== null && len > 0) {
      energy += len * 10 ** (s.rmsDbfs / 10);
      weight += len;
    }
    if (s.peakDbfs !== null) peak = peak === null ? s.peakDbfs : Math.max(peak, s.peakDbfs);
  }
  if (spans.length === 0) return null;
  return { rmsDbfs: weight > 0 ? Math.round(10 * Math.log10(energy / weight) * 10) / 10 : null, peakDbfs: peak };
}

const timeline = (spans: SpeechSpan[]): TimelineSpan[] => spans.map((s) => ({ startMs: s.startMs, endMs: s.endMs, rmsDbfs: s.rmsDbfs }));

/**
 * Signals from what the audio says: each channel's voice activity is its speaker's speech
 * (stereo: left agent, right customer, or as the recording's channel roles say). A mixed mono
 * channel has no roles of its own: when the transcript gave its segments roles (diarization or
 * content cues) those decide who spoke when; otherwise its speech stays `unknown` and there are
 * no overlaps or interruptions to measure — silence and holds still are. Speech rate needs text.
 * Pure.
 */
export function signalsFromAudio(
  activity: VoiceActivity,
  transcript: { segments: TranscriptSegment[]; language: string } | null,
  options: Partial<SignalSettings> = {},
): Signals {
  const o = { ...DEFAULT_SIGNAL_SETTINGS, ...options };
  const spansOf = (speaker: TranscriptSegment['speaker']) => activity.channels.filter((c) => c.speaker === speaker).flatMap((c) => c.spans);
  const agent = spansOf('agent');
  const customer = spansOf('customer');
  const unknown = spansOf('unknown');
  const segs = transcript?.segments ?? [];
  const rolesFromText = activity.channels.some((c) => c.speaker === 'unknown') && segs.some((s) => s.speaker !== 'unknown');
  const fromText = (side: Side): TimelineSpan[] => mergeSpans(segs.filter((s) => s.speaker === side));
  const speech = rolesFromText
    ? { agent: [...timeline(agent), ...fromText('agent')], customer: [...timeline(customer), ...fromText('customer')], unknown: [] as TimelineSpan[] }
    : { agent: timeline(agent), customer: timeline(customer), unknown: timeline(unknown) };
  // The mono channel's voice activity always bounds the silence; with roles from the text, only
  // the speech no segment covers is left unattributed.
  const turns = turnTaking({ agent: speech.agent, customer: speech.customer, unknown }, activity.durationMs, o);
  return {
    source: 'audio',
    ...turns,
    speech,
    speechRate: transcript ? speechRates(segs, transcript.language) : { agent: null, customer: null },
    loudness: { agent: sideLoudness(agent), customer: sideLoudness(customer) },
  };
}
