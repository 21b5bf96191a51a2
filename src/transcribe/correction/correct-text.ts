import type { TranscriptSegment } from '../../domain/transcript.js';
import { CompiledDictionary, compileDictionary, NEAR, type CompiledTerm, type MatchCounters } from './compile-dictionary.js';
import type { CorrectionDictionary } from './correction-dictionary.schema.js';
import { readInContext, syllableId } from './pinyin-similarity.js';

/**
 * Fixing misheard business terms in ASR text. Order of business:
 * 1. where a term or keep word already stands, nothing is touched (圆通快递 inside 圆通快递员 stays);
 * 2. aliases (known mishearings) are replaced verbatim;
 * 3. in each run of Chinese characters, every window as long as a term whose pinyin is at least
 *    the term's minSimilarity alike is a candidate; the leftmost, then longest, then most alike
 *    (then the term listed first) wins, and windows never overlap.
 * Deterministic: the same text and dictionary always give the same result.
 */

export interface Correction {
  /** The text replaced, as it was. */
  from: string;
  /** The term it became. */
  to: string;
  /** Where `from` starts in the original text (a JavaScript string index). */
  index: number;
  /** Pinyin similarity 0..1 (rounded to 3 places); 1 for an alias hit. */
  similarity: number;
  by: 'alias' | 'pinyin';
}

export interface CorrectionResult {
  text: string;
  corrections: Correction[];
}

interface Hit {
  start: number;
  end: number;
  term: number;
  similarity: number;
  by: Correction['by'];
}

const HAN_RUN = /\p{Script=Han}+/gu;

/** Every occurrence of each word, as [start, end) spans. */
function occurrences(text: string, words: readonly string[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const w of words) {
    for (let at = text.indexOf(w); at !== -1; at = text.indexOf(w, at + 1)) spans.push([at, at + w.length]);
  }
  return spans;
}

/** Leftmost, then longest, then most alike, then first-listed term; no two overlap. */
function choose(hits: Hit[]): Hit[] {
  hits.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || b.similarity - a.similarity || a.term - b.term);
  const chosen: Hit[] = [];
  let end = 0;
  for (const h of hits) {
    if (h.start < end) continue;
    chosen.push(h);
    end = h.end;
  }
  return chosen;
}

/**
 * Alias hits, except inside an already-correct word (an alias that merely overlaps a term or keep
 * word would cut it in two; one that contains it whole is the mishearing it names).
 */
function aliasHits(text: string, dict: CompiledDictionary, kept: ReadonlyArray<[number, number]>): Hit[] {
  const hits: Hit[] = [];
  for (const { alias, term } of dict.aliases) {
    for (const [start, end] of occurrences(text, [alias])) {
      const cuts = kept.some(([ks, ke]) => ks < end && start < ke && !(start <= ks && ke <= end));
      if (!cuts) hits.push({ start, end, term, similarity: 1, by: 'alias' });
    }
  }
  return choose(hits);
}

/** Pinyin candidates in one run of Chinese characters starting at `runStart` of the text. */
function pinyinHits(run: string, runStart: number, dict: CompiledDictionary, taken: Uint8Array, text: string, counters?: MatchCounters): Hit[] {
  const chars = Array.from(run);
  const n = chars.length;
  if (counters) counters.hanChars += n;
  if (n < dict.shortestTerm) return [];
  const offsets = new Array<number>(n + 1);
  offsets[0] = runStart;
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + chars[i]!.length;
  const rows = readInContext(run).map((s) => dict.row(syllableId(s)));
  const hits: Hit[] = [];

  const score = (t: CompiledTerm, start: number) => {
    const { offset, minSimilarity } = t.pinyin!;
    const s = offsets[start]!;
    const e = offsets[start + t.length]!;
    for (let i = s; i < e; i++) if (taken[i]) return;
    if (text.slice(s, e) === t.term) return;
    if (counters) counters.windowsScored++;
    const need = minSimilarity * t.length - 1e-9;
    let sum = 0;
    for (let j = 0; j < t.length; j++) {
      if (counters) counters.syllableComparisons++;
      sum += rows[start + j]!.scores[offset + j]!;
      if (sum + (t.length - 1 - j) < need) return; // cannot reach the threshold any more
    }
    hits.push({ start: s, end: e, term: t.index, similarity: sum / t.length, by: 'pinyin' });
  };

  for (let p = 0; p < n; p++) {
    for (const { term, position } of rows[p]!.near) {
      const t = dict.terms[term]!;
      const start = p - position;
      if (start < 0 || start + t.length > n) continue;
      // Scored once, from the window's first near position.
      let first = true;
      for (let k = 0; k < position && first; k++) first = rows[start + k]!.scores[t.pinyin!.offset + k]! < NEAR;
      if (first) score(t, start);
    }
  }
  for (const t of dict.scanEverywhere) for (let start = 0; start + t.length <= n; start++) score(t, start);
  return hits;
}

/**
 * Correct one text. Pass a compiled dictionary (compileDictionary) when correcting more than one
 * text: a plain document is compiled on every call.
 * @param counters incremented with the work done (for tests)
 * @example correctText('我的圆桶快递到了吗', dict).text // '我的圆通快递到了吗'
 */
export function correctText(text: string, dictionary: CompiledDictionary | CorrectionDictionary, counters?: MatchCounters): CorrectionResult {
  const dict = dictionary instanceof CompiledDictionary ? dictionary : compileDictionary(dictionary);
  if (text.length === 0 || dict.terms.length === 0) return { text, corrections: [] };

  const kept = occurrences(text, dict.protectedWords);
  const aliases = aliasHits(text, dict, kept);
  const taken = new Uint8Array(text.length);
  for (const [s, e] of kept) taken.fill(1, s, e);
  for (const h of aliases) taken.fill(1, h.start, h.end);

  const candidates: Hit[] = [];
  for (const m of text.matchAll(HAN_RUN)) candidates.push(...pinyinHits(m[0], m.index, dict, taken, text, counters));
  const hits = [...aliases, ...choose(candidates)].sort((a, b) => a.start - b.start);
  if (hits.length === 0) return { text, corrections: [] };

  let out = '';
  let at = 0;
  const corrections: Correction[] = [];
  for (const h of hits) {
    const to = dict.terms[h.term]!.term;
    const from = text.slice(h.start, h.end);
    out += text.slice(at, h.start) + to;
    at = h.end;
    corrections.push({ from, to, index: h.start, similarity: Math.round(h.similarity * 1000) / 1000, by: h.by });
  }
  return { text: out + text.slice(at), corrections };
}

/**
 * Correct every segment: `text` becomes the corrected text and `rawText` keeps what the engine
 * heard, only where something changed (a segment corrected before keeps its first rawText).
 */
export function correctSegments(segments: readonly TranscriptSegment[], compiled: CompiledDictionary): TranscriptSegment[] {
  return segments.map((s) => {
    const r = correctText(s.text, compiled);
    return r.corrections.length === 0 ? s : { ...s, text: r.text, rawText: s.rawText ?? s.text };
  });
}
