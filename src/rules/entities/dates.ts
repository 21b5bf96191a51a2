import { isValidDate } from './checksums.js';
import { parseNumeral } from './chinese-numerals.js';
import type { EntityMatch } from './entity-match.js';
import { isSpokenNumeral } from './spoken-numbers.js';

/**
 * Dates, read from the digit view: 2024年3月5日/号, 3月5号, 十二月三十一日, 二〇二四年三月五日,
 * 2024-03-05, 2024/3/5, 2024.03.05. Only real days (no 13月, no 2月30日; 2月29日 needs a leap year
 * when a year is said). The value is YYYY-MM-DD, or MM-DD when no year is said (a two-digit year,
 * 24年3月5日, is not read: the date is 03-05).
 */
const SPOKEN_DATE = /(?<![0-9十百千万亿])(?:([0-9]{4})年)?([0-9]{1,2}|[0-9]?十[0-9]?)月份?([0-9]{1,2}|[0-9]?十[0-9]?)[日号]/g;
const WRITTEN_DATE = /(?<![0-9.\-/])([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})(?![0-9]|[-/.][0-9])/g;

/** A date has one of these (a quick test before the full scans). */
const CUE = /月|[0-9][-/.][0-9]/;

const pad = (n: number) => String(n).padStart(2, '0');

function dateMatch(start: number, end: number, year: number | null, month: number | null, day: number | null): EntityMatch | null {
  if (month === null || day === null || (year !== null && year < 1000) || !isValidDate(year, month, day)) return null;
  const value = (year === null ? '' : `${year}-`) + `${pad(month)}-${pad(day)}`;
  return { type: 'date', start, end, value, masked: false };
}

export function findDates(text: string, view: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  if (!CUE.test(view)) return out;
  SPOKEN_DATE.lastIndex = 0;
  for (let m = SPOKEN_DATE.exec(view); m; m = SPOKEN_DATE.exec(view)) {
    const [all, year, month = '', day = ''] = m;
    const yearLength = year === undefined ? 0 : year.length + 1;
    // the year may be read digit by digit (二〇二四年); month and day are numerals (三月五号)
    if (!isSpokenNumeral(text.slice(m.index, m.index + yearLength), true) || !isSpokenNumeral(text.slice(m.index + yearLength, m.index + all.length))) continue;
    const hit = dateMatch(m.index, m.index + all.length, year === undefined ? null : Number(year), parseNumeral(month), parseNumeral(day));
    if (hit) out.push(hit);
  }
  WRITTEN_DATE.lastIndex = 0;
  for (let m = WRITTEN_DATE.exec(view); m; m = WRITTEN_DATE.exec(view)) {
    const hit = dateMatch(m.index, m.index + m[0].length, Number(m[1]), Number(m[3]), Number(m[4]));
    if (hit) out.push(hit);
  }
  return out;
}
