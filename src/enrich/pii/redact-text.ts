import type { PiiSpan } from '../../domain/text-analysis.js';
import type { TextSpan } from '../../domain/inspection.js';
import { findPiiInText } from './find-pii.js';

/**
 * Masking the personal data in transcript text, for exports and for people who may not see it.
 *
 * Every char of a span becomes ＊ (a full-width char, * for an ASCII one); whitespace inside a span
 * is kept, so 138 1234 5678 reads *** **** ****. Nothing is kept, not even the last four digits
 * (138****5678 style): 卡号后四位 and 身份证后四位 are what banks and carriers ask to verify a
 * caller, so they are a secret of their own. Each UTF-16 code unit is replaced by one, so the
 * redacted text has the length of the original and every offset into it (rule evidence, sentiment
 * and filler spans) still points at the same chars.
 */
const FULL_WIDTH_MASK = '＊';
const isAscii = (c: number) => c < 0x80;
const isSpace = (ch: string) => /\s/.test(ch);

export function redactText(text: string, spans: readonly TextSpan[]): string {
  if (spans.length === 0) return text;
  const masked = new Uint8Array(text.length);
  for (const { start, end } of spans) masked.fill(1, Math.max(0, start), Math.min(text.length, end));
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    out += masked[i] === 0 || isSpace(ch) ? ch : isAscii(text.charCodeAt(i)) ? '*' : FULL_WIDTH_MASK;
  }
  return out;
}

/**
 * Segments with their personal data masked (`pii` as findPii gives it, spans matched to segments by
 * index); the caller's segments are not changed. A segment's `rawText` (what the ASR engine heard
 * before the correction dictionary changed it) has offsets of its own, so it is masked by what
 * findPiiInText finds in it.
 */
export function redactTranscriptSegments<S extends { index: number; text: string; rawText?: string }>(segments: readonly S[], pii: readonly PiiSpan[]): S[] {
  const bySegment = new Map<number, PiiSpan[]>();
  for (const span of pii) {
    const list = bySegment.get(span.segmentIndex);
    if (list) list.push(span);
    else bySegment.set(span.segmentIndex, [span]);
  }
  return segments.map((segment) => {
    const redacted: S = { ...segment, text: redactText(segment.text, bySegment.get(segment.index) ?? []) };
    if (segment.rawText !== undefined) redacted.rawText = redactText(segment.rawText, findPiiInText(segment.rawText));
    return redacted;
  });
}

/** The text with whatever personal data the detector finds in it masked (same length). */
export const maskPii = (text: string): string => redactText(text, findPiiInText(text));
