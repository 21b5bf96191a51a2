/**
 * The classifier's features: character unigrams, bigrams and trigrams of the normalised text,
 * hashed into 2^bits buckets (the "hashing trick", so the model is one flat weight array and no
 * vocabulary ships). Shared by training (scripts/train-sentiment.ts) and scoring, so both see
 * exactly the same features. Characters, not jieba words: a jieba call costs more than the whole
 * scoring budget (≥ 100,000 utterances/s), and character n-grams do as well on these reviews.
 *
 * Written for speed: one pass over the UTF-16 code units, integer hashing only, indices written
 * into a caller's reused Int32Array — no strings, no allocation per utterance.
 */
import { NORMALIZE } from '../../rules/text/normalize-text.js';

/** Codes that separate clauses: n-grams do not run across them (they are not features either). */
const SEPARATOR = 0x7c; // '|'
/** Every digit is one feature: 订单号123 and 订单号987 read the same. */
const DIGIT = 0x30; // '0'

/**
 * Per UTF-16 code unit: the character the features see. NORMALIZE (full-width → half-width,
 * lower case, traditional → simplified) then digits folded and separators merged. ! and ? stay:
 * they carry tone (还没到！ 到底什么时候？).
 */
export const FEATURE_CHAR: Uint16Array = (() => {
  const t = NORMALIZE.slice();
  for (let c = 0; c < 0x10000; c++) {
    const n = t[c]!;
    if (n >= 0x30 && n <= 0x39) t[c] = DIGIT;
    else if (n <= 0x20 || ',.;:~、，。；：…—·"\'“”‘’()（）[]【】《》<>/\\-_=+*&^%$#@`|'.includes(String.fromCharCode(n))) t[c] = SEPARATOR;
  }
  return t;
})();

/**
 * Spoken digits (ASR writes a phone number as 一三八零零…): in a run of two or more they are
 * digits too. One alone stays a word (一直, 一点).
 */
const SPOKEN_DIGIT: Uint8Array = (() => {
  const t = new Uint8Array(0x10000);
  for (const ch of '零〇一二三四五六七八九幺') t[ch.charCodeAt(0)] = 1;
  t[DIGIT] = 2;
  return t;
})();

const UNI_SEED = 0x3c6ef372;
const BI_SEED = 0x5be0cd19;
const TRI_SEED = 0x1f83d9ab;

/** A 32-bit integer mix (murmur3's finaliser): neighbouring keys land far apart. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Writes the bucket of every n-gram of `text` into `out` (repeats kept: a feature's value is its
 * count) and returns how many. `out` needs room for 3 × text.length.
 */
export function hashedFeatures(text: string, bits: number, out: Int32Array): number {
  const shift = 32 - bits;
  let n = 0;
  let p1 = SEPARATOR;
  let p2 = SEPARATOR;
  for (let i = 0; i < text.length; i++) {
    let c = FEATURE_CHAR[text.charCodeAt(i)]!;
    if (SPOKEN_DIGIT[c] === 1 && (p1 === DIGIT || (i + 1 < text.length && SPOKEN_DIGIT[FEATURE_CHAR[text.charCodeAt(i + 1)]!]))) c = DIGIT;
    if (c === SEPARATOR) {
      p1 = p2 = SEPARATOR;
      continue;
    }
    out[n++] = mix(c ^ UNI_SEED) >>> shift;
    if (p1 !== SEPARATOR) {
      const bi = mix(((p1 << 16) | c) ^ BI_SEED);
      out[n++] = bi >>> shift;
      if (p2 !== SEPARATOR) out[n++] = mix(bi ^ Math.imul(p2, 0x9e3779b1) ^ TRI_SEED) >>> shift;
    }
    p2 = p1;
    p1 = c;
  }
  return n;
}
