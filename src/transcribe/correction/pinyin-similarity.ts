import { pinyin, polyphonic } from 'pinyin-pro';

/**
 * How alike two Chinese strings sound, syllable by syllable, in pinyin without tones (ASR engines
 * get tones wrong far more often than syllables, and a wrong character usually shares the
 * syllable: 圆桶 yuan tong for 圆通 yuan tong).
 *
 * Per syllable: 1 when equal; 0.9 for each pair ASR engines (and southern accents) confuse —
 * z/zh, c/ch, s/sh, n/l, f/h, r/l, an/ang, en/eng, in/ing, ian/iang, uan/uang — so one confused
 * pair is 0.9 and a confused initial and final 0.8; otherwise an edit-distance fallback that falls
 * steeply, 1 − distance / (half the longer syllable): tong/dong 0.5, zhong/chong 0.6, but di/de
 * or kuo/hu 0. The fallback never reaches 0.8, so it never outranks a confused pair.
 */

const FUZZY_INITIALS = new Set(['z|zh', 'c|ch', 's|sh', 'l|n', 'f|h', 'l|r']);
const FUZZY_FINALS = new Set(['an|ang', 'en|eng', 'in|ing', 'ian|iang', 'uan|uang']);
const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

const INITIAL = /^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(.*)$/;
/** pinyin-pro gives a character it has no reading for back as itself: such a token only equals itself. */
const IS_PINYIN = /^[a-zü]+$/;

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Similarity of two toneless pinyin syllables, 0..1 (see the file comment). */
export function syllableSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!IS_PINYIN.test(a) || !IS_PINYIN.test(b)) return 0;
  const [, ia = '', fa = ''] = INITIAL.exec(a)!;
  const [, ib = '', fb = ''] = INITIAL.exec(b)!;
  const initialNear = ia === ib || FUZZY_INITIALS.has(pairKey(ia, ib));
  const finalNear = fa === fb || FUZZY_FINALS.has(pairKey(fa, fb));
  if (initialNear && finalNear) return 1 - 0.1 * (Number(ia !== ib) + Number(fa !== fb));
  return Math.max(0, 1 - levenshtein(a, b) / (Math.max(a.length, b.length) / 2));
}

/*
 * Syllables are interned to small integers and pair similarities memoised: a transcript has a few
 * hundred distinct syllables, so after warm-up every comparison is one Map lookup. Pure caches —
 * the answers never depend on what was asked before.
 */
const ids = new Map<string, number>();
const names: string[] = [];
const pairCache = new Map<number, number>();
const ID_SPAN = 2 ** 20; // more distinct tokens than Unicode has Han characters

export function syllableId(s: string): number {
  let id = ids.get(s);
  if (id === undefined) {
    id = names.length;
    ids.set(s, id);
    names.push(s);
  }
  return id;
}

/** syllableSimilarity of two interned syllables. */
export function similarityOfIds(a: number, b: number): number {
  if (a === b) return 1;
  const key = a < b ? a * ID_SPAN + b : b * ID_SPAN + a;
  let s = pairCache.get(key);
  if (s === undefined) {
    s = syllableSimilarity(names[a]!, names[b]!);
    pairCache.set(key, s);
  }
  return s;
}

/** The characters of a string (code points, so a rare character outside the BMP is one). */
export const charsOf = (s: string): string[] => Array.from(s);

/**
 * Kangxi radicals and compatibility ideographs (⽆ U+2F46 for 无), which text copied out of PDFs
 * carries, as the characters they stand for — when that keeps one character per character.
 */
function asPlainCharacters(text: string, length: number): string {
  const plain = text.normalize('NFKC');
  return plain !== text && charsOf(plain).length === length ? plain : text;
}

/**
 * Toneless pinyin of each character as read in context (银行 → yin hang): what the transcript
 * says. One entry per character; a character without a reading stays itself.
 */
export function readInContext(text: string): string[] {
  const chars = charsOf(text);
  const read = pinyin(asPlainCharacters(text, chars.length), { toneType: 'none', type: 'array' });
  // pinyin-pro keeps one entry per character for Han text; fall back to one call per character
  // should a future version merge or split entries (a misaligned reading would match nonsense).
  return read.length === chars.length ? read : chars.map((c) => pinyin(c, { toneType: 'none', type: 'array' })[0] ?? c);
}

/**
 * Every reading of each character, the in-context one first (豆沙色 → dou, sha, [se, shai]): what
 * a term may sound like when spoken, since the speaker may use the colloquial reading.
 */
export function everyReading(text: string): string[][] {
  const inContext = readInContext(text);
  return charsOf(text).map((c, i) => {
    const all = polyphonic(c, { toneType: 'none', type: 'array' })[0] ?? [];
    return [...new Set([inContext[i] ?? c, ...all])];
  });
}

/**
 * How alike `heard` (as read in context) sounds to `term` (any reading of each character): the
 * mean of the best syllable similarity at each position. 0 when the lengths differ.
 * @example pinyinSimilarity('豆沙塞', '豆沙色') // ≈ 0.97: sai vs shai is one confused pair
 */
export function pinyinSimilarity(heard: string, term: string): number {
  const h = readInContext(heard).map(syllableId);
  const t = everyReading(term).map((r) => r.map(syllableId));
  if (h.length === 0 || h.length !== t.length) return 0;
  let sum = 0;
  for (let i = 0; i < h.length; i++) sum += bestOf(h[i]!, t[i]!);
  return sum / h.length;
}

/** The best similarity of one heard syllable to any reading at a term position. */
export function bestOf(heard: number, readings: readonly number[]): number {
  let best = 0;
  for (const r of readings) {
    const s = similarityOfIds(heard, r);
    if (s > best) best = s;
  }
  return best;
}
