import type { TimeSpan } from '../../../domain/signals.js';
import type { AsrSegment } from '../../../ports/asr-engine.js';

/** What a worker returns for one decoded piece of a span (a span longer than the model's window comes in pieces). */
export interface DecodedPiece {
  text: string;
  /** Per-token log-probabilities, where the model type reports them (empty otherwise). */
  logProbs: number[];
}

/**
 * Recognized text as stored: special tokens such as SenseVoice's <|zh|><|NEUTRAL|><|Speech|>
 * or Whisper's <|endoftext|> removed, whitespace collapsed, ends trimmed.
 */
export function cleanText(text: string): string {
  return text
    .replace(/<\|[^|<>]*\|>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Pieces of one span joined: Chinese runs on without spaces, Latin words keep one between them. */
export function joinPieces(texts: string[]): string {
  let out = '';
  for (const t of texts) {
    if (!t) continue;
    out += out && /[A-Za-z0-9]$/.test(out) && /^[A-Za-z0-9]/.test(t) ? ` ${t}` : t;
  }
  return out;
}

/** exp(mean token log-prob): the geometric mean of the token probabilities, 0..1; null without any. */
export function confidenceFrom(logProbs: number[]): number | null {
  const finite = logProbs.filter((p) => Number.isFinite(p));
  if (finite.length === 0) return null;
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  return Math.round(Math.min(1, Math.max(0, Math.exp(mean))) * 1000) / 1000;
}

/** The segment for one span, or null when the span held no words. */
export function segmentFrom(span: TimeSpan, pieces: DecodedPiece[]): AsrSegment | null {
  const text = joinPieces(pieces.map((p) => cleanText(p.text)));
  if (!text) return null;
  return { startMs: span.startMs, endMs: span.endMs, text, confidence: confidenceFrom(pieces.flatMap((p) => p.logProbs)) };
}

/**
 * Hotwords as sherpa-onnx takes them for one stream: phrases joined by '/'. Characters it reads
 * as syntax are removed: '/' splits phrases, and a word starting with ':' is parsed as a score
 * (std::stof, which aborts the process on anything but a number). English letters are
 * upper-cased for models whose tokens are upper case (icefall's BPE models).
 */
export function hotwordString(hotwords: readonly string[], asciiCase: 'upper' | 'keep'): string {
  const phrases = hotwords
    .map((h) => h.replace(/[/:#@\p{Cc}]/gu, ' ').replace(/\s+/g, ' ').trim())
    .map((h) => (asciiCase === 'upper' ? h.toUpperCase() : h))
    .filter(Boolean);
  return [...new Set(phrases)].join('/');
}
