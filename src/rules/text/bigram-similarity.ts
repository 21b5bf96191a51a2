/**
 * Similarity of a sentence to an example sentence, computable offline and deterministic:
 * Dice's coefficient over character bigrams (2·|A∩B| / (|A|+|B|)), ignoring punctuation and
 * spaces. 0.6 catches rephrasings that keep most of the wording (非常理解您的着急 /
 * 我非常理解您着急的心情); lower thresholds reach paraphrases at the cost of false hits.
 */

/** Characters left out of bigrams (spaces, punctuation, symbols), as a table: a regex per character is too slow here. */
const SKIP: Uint8Array = (() => {
  const t = new Uint8Array(0x10000);
  const re = /[\s\p{P}\p{S}]/u;
  for (let c = 0; c < 0x10000; c++) if (c < 0xd800 || c > 0xdfff) t[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return t;
})();

let chars = new Int32Array(256);

/** Sorted bigram codes of a normalised sentence (duplicates kept: multiset Dice). */
export function bigrams(s: string): Int32Array {
  if (chars.length < s.length) chars = new Int32Array(Math.max(s.length, chars.length * 2));
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (SKIP[c] === 0) chars[n++] = c;
  }
  if (n < 2) return new Int32Array(n === 1 ? [chars[0]! * 0x10000] : []);
  const out = new Int32Array(n - 1);
  for (let i = 0; i + 1 < n; i++) out[i] = (chars[i]! << 16) | chars[i + 1]!;
  return out.sort();
}

/** How many bigrams a sentence has, without building them (for a length bound before the real work). */
export function bigramCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (SKIP[s.charCodeAt(i)] === 0) n++;
  return Math.max(0, n - 1);
}

export function dice(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}

/** A 4,096-bit set of the characters of a sentence (an example's), for charsInCommon. */
export function charBloom(s: string): Uint32Array {
  const bits = new Uint32Array(128);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (SKIP[c] === 0) bits[(c >>> 5) & 127]! |= 1 << (c & 31);
  }
  return bits;
}

/**
 * How many characters of a sentence (that can start a bigram) may be in the example: an upper
 * bound of the bigrams they share, computed without building or sorting the sentence's bigrams.
 */
export function charsInCommon(s: string, bloom: Uint32Array): number {
  let m = 0;
  const last = s.length - 1;
  for (let i = 0; i < last; i++) {
    const c = s.charCodeAt(i);
    if (SKIP[c] === 0 && (bloom[(c >>> 5) & 127]! & (1 << (c & 31))) !== 0) m++;
  }
  return m;
}
