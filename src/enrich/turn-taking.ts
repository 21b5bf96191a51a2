import type { Interruption, Overlap, Side, Signals, TimeSpan } from '../domain/signals.js';
import type { SignalSettings } from './signal-settings.js';

/** Sorted, non-overlapping union of spans. */
export function mergeSpans<T extends TimeSpan>(spans: T[]): TimeSpan[] {
  const sorted = [...spans].filter((s) => s.endMs > s.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: TimeSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.startMs <= last.endMs) last.endMs = Math.max(last.endMs, s.endMs);
    else out.push({ startMs: s.startMs, endMs: s.endMs });
  }
  return out;
}

export const totalMs = (spans: TimeSpan[]) => spans.reduce((n, s) => n + (s.endMs - s.startMs), 0);

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

/**
 * Overlaps between an agent span and a customer span. `by` is who started second; it is an
 * interruption when the other had already been talking for interruptAfterMs.
 */
function overlapsBetween(agentSpans: TimeSpan[], customerSpans: TimeSpan[], o: SignalSettings) {
  const byStart = (x: TimeSpan, y: TimeSpan) => x.startMs - y.startMs;
  const agent = [...agentSpans].sort(byStart);
  const customer = [...customerSpans].sort(byStart);
  const overlaps: Overlap[] = [];
  const events: Interruption[] = [];
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
      if (startMs - cutOff.startMs >= o.interruptAfterMs) {
        events.push({ atMs: startMs, by, cutOff: by === 'customer' ? 'agent' : 'customer', overlapMs: endMs - startMs });
      }
    }
  }
  overlaps.sort((x, y) => x.startMs - y.startMs);
  events.sort((x, y) => x.atMs - y.atMs);
  const interruptions = { agent: events.filter((e) => e.by === 'agent').length, customer: events.filter((e) => e.by === 'customer').length };
  return { overlaps, interruptions, interruptionEvents: events };
}

export type TurnTaking = Pick<
  Signals,
  'durationMs' | 'talkMs' | 'unattributedTalkMs' | 'talkRatio' | 'silence' | 'holds' | 'overlaps' | 'interruptions' | 'interruptionEvents'
>;

/**
 * Who spoke when → talk time, dead air, possible holds, overlaps and interruptions. Pure; the
 * transcript and the audio signals both come through here, so both are judged the same way.
 * Spans of one side may overlap each other (a transcript's segments sometimes do).
 * @example turnTaking({ agent: [{ startMs: 0, endMs: 3000 }], customer: [], unknown: [] }, 10_000, DEFAULT_SIGNAL_SETTINGS)
 */
export function turnTaking(speech: Record<Side | 'unknown', TimeSpan[]>, durationAtLeastMs: number, o: SignalSettings): TurnTaking {
  const agent = mergeSpans(speech.agent);
  const customer = mergeSpans(speech.customer);
  const all = mergeSpans([...speech.agent, ...speech.customer, ...speech.unknown]);
  const lastEnd = all.length ? all[all.length - 1]!.endMs : 0;
  const durationMs = Math.max(durationAtLeastMs, lastEnd);
  const silence = silenceSpans(all, durationMs, o.minSilenceMs);
  const talkMs = { agent: totalMs(agent), customer: totalMs(customer) };
  const ratio = (ms: number) => (durationMs > 0 ? Math.round((ms / durationMs) * 1000) / 1000 : null);
  const attributed = mergeSpans([...speech.agent, ...speech.customer]);
  return {
    durationMs,
    talkMs,
    unattributedTalkMs: totalMs(all) - totalMs(attributed),
    talkRatio: { agent: ratio(talkMs.agent), customer: ratio(talkMs.customer) },
    silence: {
      totalMs: totalMs(silence),
      longestMs: silence.reduce((m, s) => Math.max(m, s.endMs - s.startMs), 0),
      spans: silence,
    },
    holds: silenceSpans(all, durationMs, o.minHoldMs),
    // Merged: a turn the VAD cut at its maximum length (or two touching segments) is one turn, so
    // neither a phantom interruption at the cut nor a missed one after it.
    ...overlapsBetween(agent, customer, o),
  };
}
