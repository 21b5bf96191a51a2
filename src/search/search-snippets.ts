import type { TranscriptSegment } from '../domain/transcript.js';
import { normalizeText } from '../rules/text/normalize-text.js';
import { runsOf, type SearchTerm } from './search-tokens.js';

/** A sentence of a found call where the query occurs, with what to highlight. */
export interface SearchSnippet {
  /** The transcript segment's index. */
  index: number;
  speaker: TranscriptSegment['speaker'];
  /** Where it is in the audio, to play it. */
  startMs: number;
  endMs: number;
  /** The segment's text as stored. */
  text: string;
  /** UTF-16 offsets into text, end exclusive, in order, not overlapping. */
  highlights: Array<{ start: number; end: number }>;
}

export const SNIPPETS_PER_CALL = 3;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/** A letter or digit of a word (not Han): the neighbours a whole-word match must not have. */
const WORD_CHAR = String.raw`(?:(?!\p{Script=Han})[\p{L}\p{N}])`;

/**
 * The pattern that finds a term in normalised text as the index matches it: Han characters as a
 * substring, words whole, a gap in the term (punctuation) as any non-token characters.
 */
export function termPattern(term: SearchTerm): RegExp {
  const runs = runsOf(term.text);
  let source = '';
  runs.forEach((run, i) => {
    if (i > 0 && run.gapBefore) source += String.raw`[^\p{L}\p{N}]+`;
    const word = run.kind === 'word';
    source += `${word ? `(?<!${WORD_CHAR})` : ''}${escape(run.chars.join(''))}${word ? `(?!${WORD_CHAR})` : ''}`;
  });
  // Case-insensitive as the words' tokens are (Han and ASCII are already normalised).
  return new RegExp(source, 'giu');
}

/** Highlight spans of every term in one normalised sentence, merged where they overlap or touch; and how many terms occur. */
function findTerms(normalized: string, patterns: RegExp[]): { spans: Array<{ start: number; end: number }>; terms: number } {
  const spans: Array<{ start: number; end: number }> = [];
  let terms = 0;
  for (const p of patterns) {
    p.lastIndex = 0;
    let found = false;
    for (const m of normalized.matchAll(p)) {
      spans.push({ start: m.index, end: m.index + m[0].length });
      found = true;
    }
    if (found) terms++;
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: typeof spans = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return { spans: merged, terms };
}

/**
 * The sentences of a found call that hold the query, at most `max`: those with the most of the
 * query's terms first, then the earliest; shown in transcript order. Normalisation is one
 * character for one, so offsets in the normalised text are offsets in the stored text.
 */
export function findSnippets(segments: readonly TranscriptSegment[], terms: readonly SearchTerm[], max = SNIPPETS_PER_CALL): { snippets: SearchSnippet[]; matchedSegments: number } {
  if (terms.length === 0) return { snippets: [], matchedSegments: 0 };
  const patterns = terms.map(termPattern);
  const found: Array<{ segment: TranscriptSegment; spans: SearchSnippet['highlights']; terms: number }> = [];
  for (const segment of segments) {
    const { spans, terms: n } = findTerms(normalizeText(segment.text), patterns);
    if (spans.length) found.push({ segment, spans, terms: n });
  }
  const best = [...found].sort((a, b) => b.terms - a.terms || a.segment.index - b.segment.index).slice(0, max);
  best.sort((a, b) => a.segment.index - b.segment.index);
  return {
    snippets: best.map(({ segment: s, spans }) => ({ index: s.index, speaker: s.speaker, startMs: s.startMs, endMs: s.endMs, text: s.text, highlights: spans })),
    matchedSegments: found.length,
  };
}
