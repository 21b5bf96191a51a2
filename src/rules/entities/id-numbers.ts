import { isValidIdCard15, isValidIdCard18, passesLuhn } from './checksums.js';
import type { EntityMatch, EntityType } from './entity-match.js';
import { cardKindAround } from './mention-context.js';

/**
 * Phone, id card and bank card numbers written out in full or masked (138****5678,
 * 6222 **** **** 1234), read from the digit view. A number is one or more groups of digits and
 * mask chars (* x X) with up to 3 separators (space, -, —) between groups; groups glued to a Latin
 * letter (JD0012…, an order number) are no one's phone. Each digit string is given exactly one
 * type, whatever the caller asked for: an 18-digit string with a valid GB 11643 check digit is an
 * id card even when Luhn passes too.
 */

interface Group {
  start: number;
  end: number;
  chars: string;
}

const SEPARATORS = ' -—–－\u3000\u00a0';
const MAX_SEPARATORS = 3;
const MIN_CHARS = 10; // a landline without its area code apart: 010 + 7 digits
const MAX_CHARS = 19;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isMask = (c: number) => c === 42 || c === 88 || c === 120; // * X x
const isLatin = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

function isSeparatorGap(view: string, from: number, to: number): boolean {
  if (to - from > MAX_SEPARATORS) return false;
  for (let i = from; i < to; i++) if (!SEPARATORS.includes(view[i]!)) return false;
  return true;
}

/** The runs of groups in the view: groups in a run are separated only by separators. */
function groupRuns(view: string): Group[][] {
  const runs: Group[][] = [];
  let run: Group[] = [];
  let i = 0;
  const n = view.length;
  while (i < n) {
    const c = view.charCodeAt(i);
    if (!isDigit(c) && !isMask(c)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && (isDigit(view.charCodeAt(i)) || isMask(view.charCodeAt(i)))) i++;
    const glued = (start > 0 && isLatin(view.charCodeAt(start - 1))) || (i < n && isLatin(view.charCodeAt(i)));
    const previous = run[run.length - 1];
    if (previous && !isSeparatorGap(view, previous.end, start)) {
      runs.push(run);
      run = [];
    }
    if (glued) {
      if (run.length) runs.push(run);
      run = [];
      continue;
    }
    run.push({ start, end: i, chars: view.slice(start, i) });
  }
  if (run.length) runs.push(run);
  return runs;
}

/**
 * Two neighbouring groups may belong to different numbers unless both look like chunks of one
 * (3–6 chars): a mistyped 6222 0212 3456 7890 129 has no landline 0212 3456 7890 in it.
 */
const isChunk = (g: Group) => g.chars.length >= 3 && g.chars.length <= 6;
const mayEndBetween = (a: Group, b: Group) => !isChunk(a) || !isChunk(b);

type Found = { type: EntityType; masked: boolean; value: string };

/** 01x/02x area codes have 3 digits, the others 4 (unless written apart: 0755-8888666); the local number has 7–8 digits, not starting with 0. */
function isLandline(s: string, firstGroup: number, groups: number): boolean {
  if (!/^0[1-9]/.test(s)) return false;
  const area = groups > 1 && (firstGroup === 3 || firstGroup === 4) ? firstGroup : s[1] === '1' || s[1] === '2' ? 3 : 4;
  return /^[1-9]\d{6,7}$/.test(s.slice(area));
}

function classify(text: string, raw: string, firstGroup: number, groups: number, start: number, end: number): Found | null {
  // X is an id card's check char only as the 18th char after 17 digits; any other x/X hides a digit.
  const s = /[xX]/.test(raw) ? raw.replace(/[xX]/g, (_, at: number) => (at === 17 && raw.length === 18 ? 'X' : '*')) : raw;
  const n = s.length;
  if (!s.includes('*')) {
    if (n === 18) return isValidIdCard18(s) ? { type: 'idCard', masked: false, value: s } : null;
    if (s.includes('X')) return null;
    if (n === 15 && isValidIdCard15(s)) return { type: 'idCard', masked: false, value: s };
    if (n === 11 && /^1[3-9]/.test(s)) return { type: 'phone', masked: false, value: s };
    // A mobile number with the country code typed together: +8613812345678, 008613812345678.
    if ((n === 13 && /^861[3-9]/.test(s)) || (n === 15 && /^00861[3-9]/.test(s))) return { type: 'phone', masked: false, value: s };
    if (n >= 10 && n <= 12 && isLandline(s, firstGroup, groups)) return { type: 'phone', masked: false, value: s };
    if (n >= 16 && n <= 19 && s[0] !== '0' && passesLuhn(s)) return { type: 'bankCard', masked: false, value: s };
    return null;
  }
  const m = /^(\d*)\*+(\d*)(X?)$/.exec(s);
  if (!m) return null;
  const [, head = '', tail = '', check] = m;
  if (n === 11 && /^1[3-9]/.test(s) && tail.length >= 2) return { type: 'phone', masked: true, value: s };
  if ((n === 15 || n === 18) && head.length >= 1 && tail.length + (check ? 1 : 0) >= 1) {
    const bank = n === 18 && !check && cardKindAround(text, start, end) === 'bankCard';
    return { type: bank ? 'bankCard' : 'idCard', masked: true, value: s };
  }
  if (n >= 16 && n <= 19 && !check && tail.length >= 3) return { type: 'bankCard', masked: true, value: s };
  return null;
}

/** Every phone / id card / bank card number in the sentence, masked ones included; at most one type per digit string. */
export function findIdNumbers(text: string, view: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  for (const run of groupRuns(view)) {
    for (let i = 0; i < run.length; ) {
      let found = false;
      if ((i === 0 || mayEndBetween(run[i - 1]!, run[i]!)) && run[run.length - 1]!.end - run[i]!.start >= MIN_CHARS) {
        // groups of 1–2 chars are not joined to others (2024-03-05, +86 138…)
        let last = i;
        for (let length = 0; last < run.length && length + run[last]!.chars.length <= MAX_CHARS; last++) {
          if (last > i && (run[last]!.chars.length < 3 || run[last - 1]!.chars.length < 3)) break;
          length += run[last]!.chars.length;
        }
        // longest first: 138 1234 5678 is one phone, not 138 and 1234
        for (let j = last - 1; j >= i && !found; j--) {
          if (j < run.length - 1 && !mayEndBetween(run[j]!, run[j + 1]!)) continue;
          let raw = '';
          for (let k = i; k <= j; k++) raw += run[k]!.chars;
          const start = run[i]!.start;
          const end = run[j]!.end;
          const hit = classify(text, raw, run[i]!.chars.length, j - i + 1, start, end);
          if (hit) {
            out.push({ type: hit.type, start, end, value: hit.value, masked: hit.masked });
            i = j + 1;
            found = true;
          }
        }
      }
      if (!found) i++;
    }
  }
  return out;
}
