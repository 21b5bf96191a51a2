/**
 * Reads a number written in the digit view (digit-view.ts): Arabic (3500, 3,500.00, 1.5万) or a
 * Chinese numeral whose digits the view has already made ASCII (三千五百 → "3千5百", 一百零五 →
 * "1百05", 十二 → "十2"). Spoken shortcuts are read too: 三千五 = 3500, 一万二 = 12000, 十 = 10.
 * Returns null for anything that is not one well-formed number (十百, 35百, 万万, 1,23).
 */

const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 };
const ARABIC = /^\d+(?:\.\d+)?$/;
const GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?[万亿]?$/;

export function parseNumeral(written: string): number | null {
  let s = written.includes('点') ? written.replaceAll('点', '.') : written;
  if (s.includes(',')) {
    if (!GROUPED.test(s)) return null;
    s = s.replaceAll(',', '');
  }
  if (ARABIC.test(s)) return Number(s);

  let done = 0; // the 亿 part
  let wan = 0; // the 万 part
  let section = 0; // below 万
  let run: string | null = null; // digits not yet multiplied by a unit
  let lastSmall = Infinity; // units fall within a section: 千 > 百 > 十
  let lastBig = Infinity;
  let lastUnit = 0; // the unit just before the final run (三千五: 千)
  for (let i = 0; i < s.length; ) {
    const ch = s[i]!;
    if ((ch >= '0' && ch <= '9') || ch === '.') {
      let j = i;
      while (j < s.length && ((s[j]! >= '0' && s[j]! <= '9') || s[j] === '.')) j++;
      run = s.slice(i, j);
      if (!ARABIC.test(run)) return null;
      i = j;
      continue;
    }
    const small = SMALL_UNITS[ch];
    const big = BIG_UNITS[ch];
    if (small !== undefined) {
      if (small >= lastSmall) return null;
      // 十 alone is 一十; 百/千 need their digit. 零 (0) marks a gap: 一千零五十 → "1千05十".
      const digit = run === null ? (small === 10 ? 1 : NaN) : Number(run);
      if (!(Number.isInteger(digit) && digit >= 1 && digit <= 9)) return null;
      section += digit * small;
      lastSmall = small;
    } else if (big !== undefined) {
      if (big >= lastBig) return null;
      const lead = run === null ? 0 : Number(run);
      if (section > 0 && lead >= lastSmall) return null;
      section += lead;
      if (section === 0) return null;
      if (big === 1e8) {
        done = (done + wan + section) * 1e8;
        wan = 0;
      } else wan = section * 1e4;
      section = 0;
      lastSmall = Infinity;
      lastBig = big;
    } else return null;
    lastUnit = small ?? big!;
    run = null;
    i++;
  }
  let tail = 0;
  if (run !== null) {
    tail = Number(run);
    // 三千五, 一万二: one digit right after 百/千/万/亿 is the next place down.
    if (lastUnit >= 100 && /^[1-9]$/.test(run)) tail *= lastUnit / 10;
    else if (lastUnit > 0 && tail >= lastUnit) return null;
  }
  return done + wan + section + tail;
}
