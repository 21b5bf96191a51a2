import { parseNumeral } from './chinese-numerals.js';
import type { EntityMatch } from './entity-match.js';
import { followsMoney, isSpokenNumeral } from './spoken-numbers.js';

/**
 * Sums of money, read from the digit view: ¥199, ￥1,999.00, 3500元, 3,500.00元, 199块, 五百块钱,
 * 一百二十元, 两万块, 十块, 5万元, 五块五毛 and 十二块五 (角/毛/分 after 元/块 are added), and Arabic numbers with
 * 万/亿 and no unit (1.5万, 贷款5万的额度). A number needs a currency cue: ¥/￥ before it, 元/块 after
 * it (块 only when what follows is not a noun: 三块蛋糕 is not money), or the Arabic 万/亿 form;
 * 三四天, 2024, 第一次 are not amounts. The value is in yuan ("3500", "12.5").
 */
const AMOUNT = /(?<![0-9十百千万亿.,点])([¥￥]\s*)?((?:[0-9]|十)[0-9十百千万亿,.点]*)(元|块钱?|圆)?/g;
/** An amount has one of these (a quick test before the full scan). */
const CUE = /[元块圆¥￥万亿]/;
const SMALL_CHANGE = /([0-9])[角毛](?:([0-9])分)?钱?|([0-9])分钱?/y;
const isDigit = (s: string, at: number) => at < s.length && s.charCodeAt(at) >= 48 && s.charCodeAt(at) <= 57;
const ARABIC_WITH_WAN = /^[0-9０-９.,]+[万亿]$/;

function formatYuan(v: number): string | null {
  if (!Number.isFinite(v) || v >= 1e15) return null;
  return String(Math.round(v * 100) / 100);
}

export function findAmounts(text: string, view: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  if (!CUE.test(view)) return out;
  AMOUNT.lastIndex = 0;
  for (let m = AMOUNT.exec(view); m; m = AMOUNT.exec(view)) {
    const [, prefix, rawNumber = '', unit] = m;
    const written = rawNumber.replace(/[.,点]+$/, ''); // 3,500. / 三点 : the sentence goes on
    const numberStart = m.index + (prefix?.length ?? 0);
    let end = numberStart + written.length;
    if (written.length < rawNumber.length && unit) continue; // 3.元
    const original = text.slice(numberStart, end);
    if (!isSpokenNumeral(original)) continue;
    let value = parseNumeral(written);
    if (value === null) continue;
    if (unit) {
      end += unit.length;
      SMALL_CHANGE.lastIndex = end;
      const change = unit.endsWith('钱') ? null : SMALL_CHANGE.exec(view);
      if (change) {
        value += Number(change[1] ?? 0) / 10 + Number(change[2] ?? change[3] ?? 0) / 100;
        end += change[0].length;
      } else if (!unit.endsWith('钱') && isDigit(view, end) && followsMoney(view, end + 1) && isSpokenNumeral(text[end]!)) {
        value += Number(view[end]) / 10; // 十二块五: the 毛 left out
        end += 1;
      } else if (unit === '块' && !followsMoney(view, end)) continue;
    } else if (!prefix && !(ARABIC_WITH_WAN.test(original) && followsMoney(view, end))) continue;
    const yuan = formatYuan(value);
    if (yuan !== null) out.push({ type: 'amount', start: m.index, end, value: yuan, masked: false });
  }
  return out;
}
