import { READING_ONLY_DIGITS } from './digit-view.js';

/**
 * Whether original text could be a numeral of an amount or a date, not digits read one by one or a
 * range: 幺/洞/拐/勾 are only used reading digits out (幺三八), and two Chinese digits in a row
 * (三四百, 一两块, 二〇二四) are a range or a digit-by-digit reading; 零 before a digit is a gap
 * (一百零五) and fine.
 */
const RUN_OF_CHINESE_DIGITS = /[一二两三四五六七八九][零〇一二两三四五六七八九]/;

export function isSpokenNumeral(original: string, allowDigitByDigit = false): boolean {
  for (const ch of READING_ONLY_DIGITS) if (original.includes(ch)) return false;
  return allowDigitByDigit || !RUN_OF_CHINESE_DIGITS.test(original);
}

/**
 * Whether the char after an amount cue (块) or a bare 1.5万 leaves it money: the end, punctuation or
 * a Latin char, or a word that follows a sum (钱, 多, 的, 了, 给 …), not a noun (三块蛋糕, 5万人).
 */
const MONEY_FOLLOWERS = '钱的了吗呢吧啊呀哈嘛啦哦噢多整左上给到还就都也是已退扣';

export function followsMoney(view: string, at: number): boolean {
  if (at >= view.length) return true;
  const c = view.charCodeAt(at);
  if (c >= 48 && c <= 57) return false;
  if (c < 0x3400 || c > 0x9fff) return true;
  return MONEY_FOLLOWERS.includes(view[at]!);
}
