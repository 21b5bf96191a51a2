/**
 * The digit view of a sentence: the same string, char for char (same length, same offsets), with
 * every spoken or written digit as an ASCII digit, so the entity scanners need only look for
 * [0-9]. ASR writes numbers read aloud in Chinese (一三八…, 幺三八, 洞洞七 on radio-style readings),
 * and chat text has full-width digits (１３８). Mapped: 零〇洞→0, 一幺→1, 二两→2, 三→3, 四→4, 五→5,
 * 六→6, 七拐→7, 八→8, 九勾→9, ０-９→0-9, Ｘｘ→X, ＊→*. Everything else is left as it is (十百千万亿
 * are units, read by chinese-numerals.ts).
 */

/** code unit → mapped code unit (0: not a digit-like char). */
const DIGIT_OF = new Uint16Array(0x10000);
/** 1: a char that can start a number (any mapped digit, or 十百千万亿): worth building a view for. */
const NUMERIC = new Uint8Array(0x10000);

const READINGS: Record<string, string> = {
  '0': '零〇洞０',
  '1': '一幺１',
  '2': '二两２',
  '3': '三３',
  '4': '四４',
  '5': '五５',
  '6': '六６',
  '7': '七拐７',
  '8': '八８',
  '9': '九勾９',
  X: 'Ｘｘ',
  '*': '＊',
};
for (const [to, chars] of Object.entries(READINGS)) {
  for (const ch of chars) DIGIT_OF[ch.charCodeAt(0)] = to.charCodeAt(0);
}
for (let c = 0x30; c <= 0x39; c++) NUMERIC[c] = 1;
for (const [to, chars] of Object.entries(READINGS)) {
  if (to >= '0' && to <= '9') for (const ch of chars) NUMERIC[ch.charCodeAt(0)] = 1;
}
for (const ch of '十百千万亿') NUMERIC[ch.charCodeAt(0)] = 1;

/** Chars only ever used in digit-by-digit readings (幺 for 1 so it is not heard as 7, …), never in 三千五 or 三月. */
export const READING_ONLY_DIGITS = '幺洞拐勾';

/**
 * The digit view of `text`, or null when it has nothing that could be a number (most sentences:
 * one pass over the text with a lookup table, no allocation).
 */
export function digitView(text: string): string | null {
  const n = text.length;
  let i = 0;
  while (i < n && NUMERIC[text.charCodeAt(i)] === 0) i++;
  if (i === n) return null;
  let out = '';
  let copied = 0;
  for (i = 0; i < n; i++) {
    const to = DIGIT_OF[text.charCodeAt(i)]!;
    if (to === 0) continue;
    out += text.slice(copied, i) + String.fromCharCode(to);
    copied = i + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Whether `text` has `len` digit-like chars in a row (every phone, id or bank card mention has 3): a check that allocates nothing. */
export function hasDigitRun(text: string, len: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || DIGIT_OF[c] !== 0) {
      if (++run >= len) return true;
    } else run = 0;
  }
  return false;
}
