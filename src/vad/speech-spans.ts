import type { TimeSpan } from '../domain/signals.js';

export interface SpanShaping {
  minSilenceMs: number;
  minSpeechMs: number;
  maxSpeechMs: number;
}

/**
 * Frame decisions (1 = speech) → speech spans: pauses shorter than minSilenceMs are bridged,
 * speech shorter than minSpeechMs dropped, longer than maxSpeechMs split evenly. Pure; the
 * frame-level detectors (WebRTC VAD) use it, so their spans follow the same settings as Silero's.
 * @example spansFromFrames(Uint8Array.of(0,1,1,0,1), 30, { minSilenceMs: 60, minSpeechMs: 60, maxSpeechMs: 20000 }) // [{ startMs: 30, endMs: 150 }]
 */
export function spansFromFrames(decisions: Uint8Array, frameMs: number, o: SpanShaping): TimeSpan[] {
  const raw: TimeSpan[] = [];
  let start = -1;
  for (let i = 0; i <= decisions.length; i++) {
    const speech = i < decisions.length && decisions[i] === 1;
    if (speech && start < 0) start = i;
    if (!speech && start >= 0) {
      raw.push({ startMs: start * frameMs, endMs: i * frameMs });
      start = -1;
    }
  }
  const bridged: TimeSpan[] = [];
  for (const s of raw) {
    const last = bridged[bridged.length - 1];
    if (last && s.startMs - last.endMs < o.minSilenceMs) last.endMs = s.endMs;
    else bridged.push({ ...s });
  }
  return splitLongSpans(
    bridged.filter((s) => s.endMs - s.startMs >= o.minSpeechMs),
    o.maxSpeechMs,
  );
}

/** Spans longer than maxMs cut into equal parts no longer than maxMs (ASR engines want bounded input). */
export function splitLongSpans(spans: TimeSpan[], maxMs: number): TimeSpan[] {
  const out: TimeSpan[] = [];
  for (const s of spans) {
    const len = s.endMs - s.startMs;
    const parts = Math.max(1, Math.ceil(len / maxMs));
    for (let k = 0; k < parts; k++) {
      out.push({ startMs: s.startMs + Math.round((len * k) / parts), endMs: s.startMs + Math.round((len * (k + 1)) / parts) });
    }
  }
  return out;
}

/**
 * Spans widened by up to padMs on each side for the ASR engine, within [0, durationMs] and never
 * past the middle of the gap to a neighbour: spans the VAD kept apart stay apart (a mono call's
 * turns must not merge into one segment, and no span grows past the VAD's maximum plus 2·padMs).
 * VADs trigger a little after a word begins; an engine fed the exact span loses the onset
 * (measured with pocketsphinx: "thank you for calling" heard as "indeed for calling").
 */
export function padSpans(spans: TimeSpan[], padMs: number, durationMs: number): TimeSpan[] {
  return spans.map((s, i) => {
    const prev = spans[i - 1];
    const next = spans[i + 1];
    const before = prev ? Math.min(padMs, Math.max(0, Math.floor((s.startMs - prev.endMs) / 2))) : padMs;
    const after = next ? Math.min(padMs, Math.max(0, Math.floor((next.startMs - s.endMs) / 2))) : padMs;
    return { startMs: Math.max(0, s.startMs - before), endMs: Math.min(durationMs, s.endMs + after) };
  });
}
