import type { PiiSpan } from '../../domain/text-analysis.js';
import { mapChars } from '../../rules/text/map-chars.js';
import { NORMALIZE_KEEP_CASE } from '../../rules/text/normalize-text.js';
import { findAddresses } from './addresses.js';
import { findEmails } from './emails.js';
import { findNumberPii } from './number-pii.js';
import type { PiiMatch } from './pii-match.js';
import { spanTimes, type TimedText } from './span-times.js';

export type { PiiMatch } from './pii-match.js';
export type { WordTime } from './span-times.js';

/**
 * Personal data in a transcript, to be redacted before export and masked in the console: phone,
 * id card and bank card numbers said in full (number-pii.ts), e-mail addresses (emails.ts) and
 * postal addresses (addresses.ts). Pure and synchronous.
 *
 * Detectors read one normalised view of each segment: full-width → half-width (＠ → @, １３８ →
 * 138), traditional → simplified (電話, 號, 區, 兩), letter case kept. The view has the length of
 * the text, so every offset found is an offset into the segment's own text.
 */
export interface PiiSegment extends TimedText {
  index: number;
}

const longerFirst = (a: PiiMatch, b: PiiMatch) => b.end - b.start - (a.end - a.start) || a.start - b.start;

/** The personal data in one text, sorted by start, never overlapping (the longer one wins: an e-mail over the phone number in 13812345678@qq.com). */
export function findPiiInText(text: string): PiiMatch[] {
  const view = mapChars(text, NORMALIZE_KEEP_CASE);
  const found = [...findNumberPii(view), ...findEmails(view), ...findAddresses(view)].sort(longerFirst);
  const kept: PiiMatch[] = [];
  for (const m of found) if (!kept.some((k) => k.start < m.end && m.start < k.end)) kept.push(m);
  return kept.sort((a, b) => a.start - b.start);
}

/** Every piece of personal data of the call, in segment order, with its (estimated) time: span-times.ts. */
export function findPii(segments: readonly PiiSegment[]): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const segment of segments) {
    for (const m of findPiiInText(segment.text)) {
      out.push({ segmentIndex: segment.index, type: m.type, start: m.start, end: m.end, ...spanTimes(segment, m.start, m.end) });
    }
  }
  return out;
}
