import { pinyin } from 'pinyin-pro';
import { mapChars } from './map-chars.js';

/**
 * Pinyin-fuzzy matching as exact matching: every Han character is replaced by a representative of
 * its *fuzzy syllable* — toneless pinyin with the pairs ASR engines and southern accents confuse
 * merged (zh/z, ch/c, sh/s, n/l/r, h/f; ang/an, eng/en, ing/in, iang/ian, uang/uan) — so 保本,
 * 饱本 and 宝奔 all become the same string, and one keyword scan over the "fuzzy view" of a
 * sentence finds them all. One character → one character: offsets stay valid for evidence.
 *
 * The same pairs as the correction dictionary's similarity (src/transcribe/correction/
 * pinyin-similarity.ts), collapsed into classes instead of scored. Polyphonic characters take
 * pinyin-pro's first reading. The table (21k characters, ~50 ms) is built on first use only.
 */
const INITIAL_CLASS: Record<string, string> = { zh: 'z', ch: 'c', sh: 's', n: 'l', r: 'l', h: 'f' };
const FINAL_CLASS: Record<string, string> = { ang: 'an', eng: 'en', ing: 'in', iang: 'ian', uang: 'uan' };
const SPLIT = /^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(.*)$/;

export function fuzzySyllable(syllable: string): string {
  const [, ini = '', fin = ''] = SPLIT.exec(syllable)!;
  return (INITIAL_CLASS[ini] ?? ini) + (FINAL_CLASS[fin] ?? fin);
}

let table: Uint16Array | null = null;

function buildTable(): Uint16Array {
  const t = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) t[c] = c;
  let all = '';
  for (let c = 0x4e00; c <= 0x9fff; c++) all += String.fromCharCode(c);
  const readings = pinyin(all, { toneType: 'none', type: 'array' });
  const representative = new Map<string, number>();
  for (let i = 0; i < all.length; i++) {
    const r = readings[i];
    if (!r || !/^[a-zü]+$/.test(r)) continue;
    const key = fuzzySyllable(r);
    const code = 0x4e00 + i;
    const rep = representative.get(key);
    if (rep === undefined) representative.set(key, code);
    t[code] = rep ?? code;
  }
  return t;
}

/** The table itself, for scanners that read text through it (KeywordScanner.scanMapped). */
export const fuzzyTable = (): Uint16Array => (table ??= buildTable());

/** The fuzzy view of an (already normalised) sentence. */
export const fuzzyText = (s: string): string => mapChars(s, (table ??= buildTable()));
