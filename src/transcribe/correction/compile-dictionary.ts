import type { CorrectionDictionary } from './correction-dictionary.schema.js';
import { bestOf, charsOf, everyReading, syllableId } from './pinyin-similarity.js';

/**
 * A dictionary prepared for matching: every term's pinyin computed once, and an index from a
 * heard syllable to the term positions it could stand for, so a transcript is compared with the
 * few terms it might contain instead of all of them at every position.
 */

/**
 * Default minSimilarity by term length; null: no pinyin matching, aliases only.
 * - Two characters are too little evidence: across word boundaries ordinary text is full of exact
 *   homophones (提供号码 holds 供号 gong hao, 验证信息 holds 证信 zheng xin); on 1,600 JDDC
 *   customer-service lines, 工号, 借呗 and 征信 each changed an ordinary sentence. Such a term is
 *   corrected through its aliases, or by pinyin when the dictionary sets its minSimilarity.
 * - Three tolerate confused pairs (豆沙塞 → 豆沙色 is 0.97) but not a syllable off by a letter (0.83).
 * - From four on, what may be lost is 0.8 of a syllable whatever the length: one syllable off by a
 *   letter (圆通快递 heard as 元东快递 is 0.875) or a few confused pairs, never a wholly different
 *   syllable — 价格包括 (0.75 from 价格保护) and 丰巢快递员 (0.8 from 丰巢快递柜) are real words.
 *   So 0.8 for four characters, 0.84 for five, 0.866 for six….
 */
export function defaultMinSimilarity(termLength: number): number | null {
  if (termLength <= 2) return null;
  if (termLength === 3) return 0.85;
  // Rounded down to 3 places, so a loss of exactly 0.8 still passes.
  return Math.floor((1 - 0.8 / termLength) * 1000) / 1000;
}

/**
 * A heard syllable scoring below this at a position is "far". A window matching with at most
 * `deficit = (1 − minSimilarity) × length` lost has fewer than deficit / (1 − NEAR) far positions,
 * so one of its first (that many + 1) positions is near: indexing those positions finds every
 * match.
 */
export const NEAR = 0.5;

/** How a term is matched by sound; absent when it is matched through its aliases only. */
export interface PinyinMatch {
  readonly minSimilarity: number;
  /** Where the term's positions start in a SyllableRow's scores. */
  readonly offset: number;
  /** How many leading positions are indexed (see NEAR). */
  readonly indexedPositions: number;
  /** A minSimilarity so low that no position is sure to be near: compared at every position. */
  readonly scanEverywhere: boolean;
}

export interface CompiledTerm {
  readonly term: string;
  readonly index: number;
  /** Length in characters (code points). */
  readonly length: number;
  /** Null for a term not all Chinese characters, or one with pinyin matching off (defaultMinSimilarity). */
  readonly pinyin: PinyinMatch | null;
}

export interface NearEntry {
  term: number;
  position: number;
}

/** One heard syllable against the whole dictionary. */
export interface SyllableRow {
  /** Best similarity to any reading at each position of each term (at PinyinMatch.offset + position). */
  readonly scores: Float64Array;
  /** The indexed term positions it is near to: where a match may start. */
  readonly near: readonly NearEntry[];
}

/** What one correction run did, for tests that prove the index keeps the work small. */
export interface MatchCounters {
  hanChars: number;
  /** Windows compared with a term, syllable by syllable. */
  windowsScored: number;
  syllableComparisons: number;
}

const ALL_HAN = /^\p{Script=Han}+$/u;

export class CompiledDictionary {
  readonly terms: readonly CompiledTerm[];
  readonly aliases: ReadonlyArray<{ alias: string; term: number }>;
  /** Terms and keep words: where they stand already correct, nothing is replaced. */
  readonly protectedWords: readonly string[];
  /** Terms compared at every position (a minSimilarity too low for the index to help). */
  readonly scanEverywhere: readonly CompiledTerm[];
  /** Length of the shortest term matched by pinyin; a shorter run of text cannot hold one. */
  readonly shortestTerm: number;
  /** Syllable ids of every reading of every position of every pinyin-matched term, in offset order. */
  private readonly readings: ReadonlyArray<readonly number[]>;
  private readonly rows = new Map<number, SyllableRow>();

  constructor(readonly doc: CorrectionDictionary) {
    const readings: Array<readonly number[]> = [];
    this.terms = doc.terms.map((t, index) => compileTerm(t.term, index, t.minSimilarity, readings));
    this.readings = readings;
    this.aliases = doc.terms.flatMap((t, term) => (t.aliases ?? []).map((alias) => ({ alias, term })));
    this.protectedWords = [...new Set(doc.terms.flatMap((t) => [t.term, ...(t.keep ?? [])]))];
    this.scanEverywhere = this.terms.filter((t) => t.pinyin?.scanEverywhere);
    this.shortestTerm = Math.min(...this.terms.filter((t) => t.pinyin).map((t) => t.length), Infinity);
  }

  /**
   * A heard syllable scored against every term position once, then kept: a transcript has a few
   * hundred distinct syllables, so matching becomes array lookups.
   */
  row(heard: number): SyllableRow {
    let row = this.rows.get(heard);
    if (!row) {
      const scores = new Float64Array(this.readings.length);
      for (let i = 0; i < scores.length; i++) scores[i] = bestOf(heard, this.readings[i]!);
      const near: NearEntry[] = [];
      for (const t of this.terms) {
        if (!t.pinyin || t.pinyin.scanEverywhere) continue;
        for (let p = 0; p < t.pinyin.indexedPositions; p++) if (scores[t.pinyin.offset + p]! >= NEAR) near.push({ term: t.index, position: p });
      }
      row = { scores, near };
      this.rows.set(heard, row);
    }
    return row;
  }
}

/** `readings` collects the term's per-position readings; the term's offset is where they start. */
function compileTerm(term: string, index: number, minSimilarity: number | undefined, readings: Array<readonly number[]>): CompiledTerm {
  const length = charsOf(term).length;
  const min = minSimilarity ?? defaultMinSimilarity(length);
  if (min === null || !ALL_HAN.test(term)) return { term, index, length, pinyin: null };
  // Fewer than this many far positions, so at least one near one among the first farMax + 1.
  const farMax = Math.floor(((1 - min) * length) / (1 - NEAR) + 1e-6);
  const offset = readings.length;
  readings.push(...everyReading(term).map((r) => r.map(syllableId)));
  return { term, index, length, pinyin: { minSimilarity: min, offset, indexedPositions: Math.min(length, farMax + 1), scanEverywhere: farMax + 1 > length } };
}

/**
 * Prepare a validated dictionary for matching. Compile once per version and reuse: the pinyin of
 * every term is computed here, not per transcript.
 */
export function compileDictionary(doc: CorrectionDictionary): CompiledDictionary {
  return new CompiledDictionary(doc);
}
