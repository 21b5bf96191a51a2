import { mapChars } from './map-chars.js';
import { T2S_PAIRS } from './t2s-table.js';

/**
 * One character → one character normalisation before matching, so that rules written once match
 * what ASR engines, chat clients and IMEs produce: full-width → half-width (ＡＢＣ１２３！ → abc123!),
 * ideographic space → space, Latin letters lower-cased, traditional → simplified (這不是我們的問題
 * matches 这不是我们的问题). Length-preserving by construction, so an offset into the normalised
 * text is the same offset into the original: evidence highlights the characters the person said.
 *
 * A lookup table over the whole BMP: normalising a 1,500-character call is one pass of array reads.
 */
export const NORMALIZE: Uint16Array = (() => {
  const t = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) t[c] = c;
  for (let c = 0xff01; c <= 0xff5e; c++) t[c] = c - 0xfee0;
  t[0x3000] = 0x20;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = c + 0x20;
  for (let c = 0xff21; c <= 0xff3a; c++) t[c] = c - 0xfee0 + 0x20;
  for (let i = 0; i + 1 < T2S_PAIRS.length; i += 2) t[T2S_PAIRS.charCodeAt(i)] = T2S_PAIRS.charCodeAt(i + 1);
  return t;
})();

/** The same, but letters keep their case: for `caseSensitive` keywords (ＶＩＰ and VIP are one word, vip another). */
export const NORMALIZE_KEEP_CASE: Uint16Array = (() => {
  const t = NORMALIZE.slice();
  for (let c = 0x41; c <= 0x5a; c++) t[c] = c;
  for (let c = 0xff21; c <= 0xff3a; c++) t[c] = c - 0xfee0;
  return t;
})();

/** Normalise one sentence; returns the same string when nothing changes. */
export const normalizeText = (s: string): string => mapChars(s, NORMALIZE);

/** The normalised form of one UTF-16 code unit (for scanners that walk text themselves). */
export const normalizeCode = (c: number): number => NORMALIZE[c]!;

/** c → second[first[c]]: two one-for-one mappings applied in one lookup. */
export function composeTables(first: Uint16Array, second: Uint16Array): Uint16Array {
  const t = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) t[c] = second[first[c]!]!;
  return t;
}

/**
 * A regular expression's literal characters normalised like the text it runs on (VIP客户 →
 * vip客户, 為什麼 → 为什么, \u6703員 → 会员), so a pattern matches whatever form was said or typed.
 * Other escapes stay as written: \D \S \W \B keep their meaning, and \p{…} \k<…> (?<…>) keep
 * their names. A character whose normalised form is regex syntax — full-width （ ？ or －, which
 * is a range dash inside a class — is written as \xHH, so it stays the literal it was.
 */
const REGEX_SYNTAX = '\\^$.|?*+()[]{}/-';

/** One normalised character as a pattern literal. */
const patternLiteral = (code: number): string =>
  REGEX_SYNTAX.includes(String.fromCharCode(code)) ? `\\x${code.toString(16).padStart(2, '0')}` : String.fromCharCode(code);

/** \xHH, \uHHHH or \u{H…} at i: the code point and the escape's length, or null. */
export function codeEscape(source: string, i: number): { code: number; length: number } | null {
  const m = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\})/.exec(source.slice(i, i + 12));
  return m ? { code: parseInt(m[1] ?? m[2] ?? m[3]!, 16), length: m[0].length } : null;
}

export function normalizePattern(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '(' && source.startsWith('(?<', i) && source[i + 3] !== '=' && source[i + 3] !== '!') {
      // A group's name, kept as written (its \k<name> is kept too).
      const end = source.indexOf('>', i) + 1 || source.length;
      out += source.slice(i, end);
      i = end - 1;
      continue;
    }
    if (c !== '\\') {
      const code = c.charCodeAt(0);
      const n = NORMALIZE[code]!;
      // A full-width （ or ？ is a literal character: as ( or ? it must not become regex syntax.
      out += n === code ? c : patternLiteral(n);
      continue;
    }
    const esc = codeEscape(source, i);
    if (esc) {
      // A character written as a code: normalised like one written as itself. Surrogate halves
      // (a pair is one character under the u flag) and astral code points stay as written.
      const n = esc.code < 0xd800 || (esc.code > 0xdfff && esc.code < 0x10000) ? NORMALIZE[esc.code]! : esc.code;
      out += n === esc.code ? source.slice(i, i + esc.length) : patternLiteral(n);
      i += esc.length - 1;
      continue;
    }
    const next = source[i + 1] ?? '';
    if ((next === 'p' || next === 'P' || next === 'u' || next === 'k') && (source[i + 2] === '{' || source[i + 2] === '<')) {
      const close = source.indexOf(source[i + 2] === '{' ? '}' : '>', i + 2);
      const end = close < 0 ? source.length : close + 1;
      out += source.slice(i, end);
      i = end - 1;
    } else {
      out += c + next;
      i++;
    }
  }
  return out;
}
