import { TingjianError } from '../domain/errors.js';
import { normalizeText } from '../rules/text/normalize-text.js';

/**
 * How transcripts and queries become search tokens — one module for both databases and the
 * bench, so SQLite (FTS5) and PostgreSQL (tsvector) index and match exactly the same tokens.
 *
 * Text is normalised first (full width, case, traditional → simplified: 退貨 finds 退货). Han
 * characters become overlapping bigrams (退货政策 → 退货 货政 政策), so a query of n Han
 * characters is the phrase of its n-1 bigrams: exact substring semantics, and a two-character
 * word (退货, 投诉) is one token lookup. Other letters and digits form words (VIP → vip, 12345),
 * matched as whole words.
 *
 * Breaks stand between tokens that must not be read as adjacent. SEGMENT_BREAK between two
 * segments, so a phrase never runs from one sentence into the next. SEARCH_BREAK in place of a lone Han
 * character (it has no bigram, yet its neighbours are not adjacent). At other gaps (punctuation,
 * spaces) only where the tokens on either side could chain as if the gap were not there: a Han
 * bigram ending in the character the next one starts with (退货，货政 must not match 退货政), or
 * a Han token next to a word (VIP，客户 must not match VIP客户). Other gaps need no marker — no
 * query without a gap yields such a pair — which keeps the break token rare in the index.
 */

/** Private-use characters: text never yields them (private-use characters are not token characters here). */
export const SEARCH_BREAK = '\uE000';
/** Between two segments: another token than SEARCH_BREAK, so a query's break (which is in one sentence) never matches it. */
export const SEGMENT_BREAK = '\uE001';
const isBreak = (t: string | undefined) => t === SEARCH_BREAK || t === SEGMENT_BREAK;

const OTHER = 0;
const HAN = 1;
const WORD = 2;

/** Class of every UTF-16 code unit, computed once (a regex test per character would be slow at a million calls). */
const CLASS: Uint8Array = (() => {
  const t = new Uint8Array(0x10000);
  const han = /\p{Script=Han}/u;
  const word = /[\p{L}\p{N}]/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue; // surrogates: classified as a pair below
    if (c >= 0xe000 && c <= 0xf8ff) continue; // private use: never a token (SEARCH_BREAK is one)
    const s = String.fromCharCode(c);
    t[c] = han.test(s) ? HAN : word.test(s) ? WORD : OTHER;
  }
  return t;
})();

/** The class and UTF-16 length of the character at i (a surrogate pair is one character). */
function charAt(s: string, i: number): { cls: number; len: number } {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) return { cls: CLASS[c]!, len: 1 };
  const pair = s.slice(i, i + 2);
  return { cls: /\p{Script=Han}/u.test(pair) ? HAN : /[\p{L}\p{N}]/u.test(pair) ? WORD : OTHER, len: 2 };
}

/** One maximal run of Han characters or of word characters, in normalised text. */
export interface Run {
  kind: 'han' | 'word';
  /** The run's characters (each a string: a surrogate pair is one). */
  chars: string[];
  /** Offsets in the text (UTF-16), end exclusive. */
  start: number;
  end: number;
  /** Non-token characters stand between this run and the one before it. */
  gapBefore: boolean;
}

/** The runs of normalised text. */
export function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  let cur: Run | null = null;
  let gap = false;
  for (let i = 0; i < text.length; ) {
    const { cls, len } = charAt(text, i);
    if (cls === OTHER) {
      if (cur) runs.push(cur);
      cur = null;
      gap = true;
    } else if (cur && cur.kind === (cls === HAN ? 'han' : 'word')) {
      cur.chars.push(text.slice(i, i + len));
      cur.end = i + len;
    } else {
      if (cur) runs.push(cur);
      cur = { kind: cls === HAN ? 'han' : 'word', chars: [text.slice(i, i + len)], start: i, end: i + len, gapBefore: gap && runs.length > 0 };
      gap = false;
    }
    i += len;
  }
  if (cur) runs.push(cur);
  return runs;
}

/** The tokens of one run: Han bigrams (none for a lone Han character), or the word itself. */
function runTokens(run: Run): string[] {
  // Lower case beyond ASCII too (Ä, Ω): both databases then store and match the same word.
  if (run.kind === 'word') return [run.chars.join('').toLowerCase()];
  const out: string[] = [];
  for (let i = 0; i + 1 < run.chars.length; i++) out.push(run.chars[i]! + run.chars[i + 1]!);
  return out;
}

const isHanToken = (t: string) => charAt(t, 0).cls === HAN;
const lastChar = (t: string) => (t.length >= 2 && t.charCodeAt(t.length - 1) >= 0xdc00 && t.charCodeAt(t.length - 1) <= 0xdfff ? t.slice(-2) : t.slice(-1));
const firstChar = (t: string) => t.slice(0, charAt(t, 0).len);

/** Across a gap, would `prev` then `next` read like tokens of text without the gap? */
function couldChain(prev: string, next: string): boolean {
  const a = isHanToken(prev);
  const b = isHanToken(next);
  if (a !== b) return true;
  return a && lastChar(prev) === firstChar(next);
}

/** Appends the tokens of normalised text, a SEARCH_BREAK where the rules above want one. */
function appendTokens(out: string[], text: string): void {
  let prev: string | null = out.length && !isBreak(out[out.length - 1]) ? out[out.length - 1]! : null;
  let gap: 'none' | 'soft' | 'hard' = 'none';
  for (const run of runsOf(text)) {
    const tokens = runTokens(run);
    if (run.gapBefore && gap === 'none') gap = 'soft';
    if (tokens.length === 0) {
      // A lone Han character has no token, yet it stands between its neighbours: VIP的12345 is not VIP，12345.
      gap = 'hard';
      continue;
    }
    if (prev !== null && (gap === 'hard' || (gap === 'soft' && couldChain(prev, tokens[0]!)))) out.push(SEARCH_BREAK);
    for (const t of tokens) out.push(t);
    prev = tokens[tokens.length - 1]!;
    gap = 'none';
  }
}

/**
 * The tokens of a call's transcript: the segments' texts in order, a SEGMENT_BREAK between two
 * segments. Normalises the texts itself.
 * @example indexTokens(['我想退货', '退貨政策是什么']) // ['我想','想退','退货', SEGMENT_BREAK, '退货','货政','政策','策是','是什','什么']
 */
export function indexTokens(segments: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of segments) {
    if (out.length && out[out.length - 1] !== SEGMENT_BREAK) out.push(SEGMENT_BREAK);
    appendTokens(out, normalizeText(text));
  }
  if (out[out.length - 1] === SEGMENT_BREAK) out.pop();
  return out;
}

/** One term of a query: what was typed (normalised), and the phrase of tokens it must match. */
export interface SearchTerm {
  /** The normalised term, for finding it again in the transcript (snippets). */
  text: string;
  /** Tokens in order; SEARCH_BREAK where the term has a gap that must be a gap in the text too. */
  tokens: string[];
}

export const MAX_QUERY_TERMS = 10;

/**
 * A query → its terms. Terms are separated by spaces and must all occur (AND); each is a phrase.
 * A term needs two characters (letters, digits or Han): one Han character has no bigram, and one
 * letter would match half the index. Throws INVALID_REQUEST naming the term otherwise.
 * @example parseQuery('退貨 VIP') // [{text:'退货', tokens:['退货']}, {text:'vip', tokens:['vip']}]
 */
export function parseQuery(q: string): SearchTerm[] {
  const texts = normalizeText(q).split(/\s+/).filter(Boolean);
  if (texts.length > MAX_QUERY_TERMS) throw new TingjianError('INVALID_REQUEST', `search takes at most ${MAX_QUERY_TERMS} words, not ${texts.length}`, { problems: ['q'] });
  const terms: SearchTerm[] = [];
  for (const text of texts) {
    const tokens: string[] = [];
    appendTokens(tokens, text);
    const chars = runsOf(text).reduce((n, r) => n + r.chars.length, 0);
    if (tokens.length === 0 || chars < 2) {
      throw new TingjianError('INVALID_REQUEST', `search needs at least 2 characters (letters, digits or Chinese) per word: "${text}"`, { problems: ['q'] });
    }
    if (!terms.some((t) => t.text === text)) terms.push({ text, tokens });
  }
  return terms;
}
