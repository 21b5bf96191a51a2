import type { Overlap, Signals, TimeSpan } from '../domain/signals.js';
import type { TranscriptSegment } from '../domain/transcript.js';

export interface TranscriptSignalOptions {
  /** A gap where neither side speaks counts as silence from this length on (dead air). */
  minSilenceMs: number;
  /** Overlaps shorter than this are timestamp jitter, not people talking over each other. */
  minOverlapMs: number;
  /** B cutting in counts as an interruption only if A had been speaking at least this long. */
  interruptAfterMs: number;
}

export const DEFAULT_TRANSCRIPT_SIGNAL_OPTIONS: TranscriptSignalOptions = {
  minSilenceMs: 2000,
  minOverlapMs: 200,
  interruptAfterMs: 1000,
};

type Side = 'agent' | 'customer';

/** Sorted, non-overlapping union of spans. */
export function mergeSpans(spans: TimeSpan[]): TimeSpan[] {
  const sorted = [...spans].filter((s) => s.endMs > s.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: TimeSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.startMs <= last.endMs) last.endMs = Math.max(last.endMs, s.endMs);
    else out.push({ startMs: s.startMs, endMs: s.endMs });
  }
  return out;
}

const totalMs = (spans: TimeSpan[]) => spans.reduce((n, s) => n + (s.endMs - s.startMs), 0);

/** Gaps in `speech` (merged) within [0, durationMs] of at least minMs. */
export function silenceSpans(speech: TimeSpan[], durationMs: number, minMs: number): TimeSpan[] {
  const gaps: TimeSpan[] = [];
  let cursor = 0;
  for (const s of speech) {
    if (s.startMs - cursor >= minMs) gaps.push({ startMs: cursor, endMs: s.startMs });
    cursor = Math.max(cursor, s.endMs);
  }
  if (durationMs - cursor >= minMs) gaps.push({ startMs: cursor, endMs: durationMs });
  return gaps;
}

/** Chinese is measured in characters, other languages in words. */
export function speechUnits(text: string, language: string): number {
  if (language.startsWith('zh')) return (text.match(/[\p{Script=Han}]|[A-Za-z0-9]+/gu) ?? []).length;
  return (text.match(/[\p{L}\p{N}']+/gu) ?? []).length;
}

/**
 * Overlaps between an agent span and a customer span. `by` is who started second; it is an
 * interruption when the other had already been talking for interruptAfterMs.
 */
function overlapsBetween(segments: TranscriptSegment[], o: TranscriptSignalOptions) {
  const byStart = (x: TranscriptSegment, y: TranscriptSegment) => x.startMs - y.startMs;
  const agent = segments.filter((s) => s.speaker === 'agent').sort(byStart);
  const customer = segments.filter((s) => s.speaker === 'customer').sort(byStart);
  const overlaps: Overlap[] = [];
  const interruptions = { agent: 0, customer: 0 };
  // A sweep, not all pairs (a long call has thousands of turns): `first` skips customer turns
  // that ended before this agent turn began — they cannot touch any later agent turn either.
  let first = 0;
  for (const a of agent) {
    while (first < customer.length && customer[first]!.endMs <= a.startMs) first++;
    for (let k = first; k < customer.length && customer[k]!.startMs < a.endMs; k++) {
      const c = customer[k]!;
      const startMs = Math.max(a.startMs, c.startMs);
      const endMs = Math.min(a.endMs, c.endMs);
      if (endMs - startMs < o.minOverlapMs) continue;
      const by: Side = c.startMs > a.startMs ? 'customer' : 'agent';
      const cutOff = by === 'customer' ? a : c;
      overlaps.push({ startMs, endMs, by });
      if (startMs - cutOff.startMs >= o.interruptAfterMs) interruptions[by] += 1;
    }
  }
  overlaps.sort((x, y) => x.startMs - y.startMs);
  return { overlaps, interruptions };
}

/**
 * Signals from segment timestamps alone — what we can know about a call whose transcript was
 * provided (chat, another ASR). Audio-based signals (issue 听清) replace these when audio is decoded.
 * @example signalsFromTranscript(segments, { durationMs: 60000, language: 'zh-CN' })
 */
export function signalsFromTranscript(
  segments: TranscriptSegment[],
  call: { durationMs: number | null; language: string },
  options: Partial<TranscriptSignalOptions> = {},
): Signals {
  const o = { ...DEFAULT_TRANSCRIPT_SIGNAL_OPTIONS, ...options };
  const spansOf = (side: Side) => mergeSpans(segments.filter((s) => s.speaker === side));
  const agentSpeech = spansOf('agent');
  const customerSpeech = spansOf('customer');
  const allSpeech = mergeSpans(segments);
  const lastEnd = allSpeech.length ? allSpeech[allSpeech.length - 1]!.endMs : 0;
  const durationMs = Math.max(call.durationMs ?? 0, lastEnd);
  const silence = silenceSpans(allSpeech, durationMs, o.minSilenceMs);
  const rate = (side: Side, talk: number): number | null => {
    if (talk <= 0) return null;
    const units = segments.filter((s) => s.speaker === side).reduce((n, s) => n + speechUnits(s.text, call.language), 0);
    return Math.round((units / (talk / 60_000)) * 10) / 10;
  };
  const talkMs = { agent: totalMs(agentSpeech), customer: totalMs(customerSpeech) };
  return {
    source: 'transcript',
    durationMs,
    talkMs,
    silence: {
      totalMs: totalMs(silence),
      longestMs: silence.reduce((m, s) => Math.max(m, s.endMs - s.startMs), 0),
      spans: silence,
    },
    ...overlapsBetween(segments, o),
    speechRate: { agent: rate('agent', talkMs.agent), customer: rate('customer', talkMs.customer) },
  };
}
