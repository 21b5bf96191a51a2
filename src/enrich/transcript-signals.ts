import type { Side, Signals } from '../domain/signals.js';
import type { TranscriptSegment } from '../domain/transcript.js';
import { DEFAULT_SIGNAL_SETTINGS, type SignalSettings } from './signal-settings.js';
import { mergeSpans, turnTaking } from './turn-taking.js';

/** Chinese is measured in characters, other languages in words. */
export function speechUnits(text: string, language: string): number {
  if (language.startsWith('zh')) return (text.match(/[\p{Script=Han}]|[A-Za-z0-9]+/gu) ?? []).length;
  return (text.match(/[\p{L}\p{N}']+/gu) ?? []).length;
}

/** Units per minute of each side's own segments (characters for Chinese, words otherwise). */
export function speechRates(segments: TranscriptSegment[], language: string): Signals['speechRate'] {
  const rate = (side: Side): number | null => {
    const mine = segments.filter((s) => s.speaker === side);
    const talk = mergeSpans(mine).reduce((n, s) => n + (s.endMs - s.startMs), 0);
    if (talk <= 0) return null;
    const units = mine.reduce((n, s) => n + speechUnits(s.text, language), 0);
    return Math.round((units / (talk / 60_000)) * 10) / 10;
  };
  return { agent: rate('agent'), customer: rate('customer') };
}

/**
 * Signals from segment timestamps alone — what we can know about a call whose transcript was
 * provided without audio (chat, another ASR). Calls with audio get ./audio-signals.ts.
 * @example signalsFromTranscript(segments, { durationMs: 60000, language: 'zh-CN' })
 */
export function signalsFromTranscript(
  segments: TranscriptSegment[],
  call: { durationMs: number | null; language: string },
  options: Partial<SignalSettings> = {},
): Signals {
  const o = { ...DEFAULT_SIGNAL_SETTINGS, ...options };
  const of = (speaker: TranscriptSegment['speaker']) => segments.filter((s) => s.speaker === speaker);
  const speech = { agent: mergeSpans(of('agent')), customer: mergeSpans(of('customer')), unknown: mergeSpans(of('unknown')) };
  return {
    source: 'transcript',
    ...turnTaking({ agent: of('agent'), customer: of('customer'), unknown: of('unknown') }, call.durationMs ?? 0, o),
    speech,
    speechRate: speechRates(segments, call.language),
    loudness: null,
  };
}
