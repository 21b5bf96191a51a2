import { digitView } from '../../rules/entities/digit-view.js';
import type { PiiMatch } from './pii-match.js';

/**
 * E-mail addresses, written (zhang.san@example.com; ＠ and full-width letters arrive here already
 * half-width) or read aloud as ASR writes them: 幺二三四五六七八九艾特qq点com, abc at 163 dot com,
 * zhangsan圈a qq点com. Best effort: a spoken one needs a well-known top-level domain (com, cn, net…)
 * so that "at" and 点 in ordinary speech are left alone; a local part read with spaces inside
 * (zhang san at …) is found from its last piece only.
 */
const LOCAL = String.raw`(?<![a-z0-9._%+-])[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9])?`;
const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const WRITTEN = new RegExp(String.raw`${LOCAL}\s*@\s*${LABEL}(?:\.${LABEL})*\.[a-z]{2,}(?![a-z0-9])`, 'gi');

const SPOKEN_AT = String.raw`(?:@|艾特|圈a|(?<![a-z])at(?![a-z]))`;
const SPOKEN_DOT = String.raw`(?:\.|点|(?<![a-z])dot(?![a-z]))`;
const TLD = '(?:com|cn|net|org|edu|gov|cc|io|me|info|biz|hk|tw)';
const SPOKEN = new RegExp(String.raw`${LOCAL}\s*${SPOKEN_AT}\s*${LABEL}(?:\s*${SPOKEN_DOT}\s*${LABEL})*\s*${SPOKEN_DOT}\s*${TLD}(?![a-z0-9])`, 'gi');

/** An address has one of these (a quick test before the scans). */
const CUE = /@|艾特|圈a|(?<![a-z])at(?![a-z])/i;

/** `view`: the text normalised char for char (full-width → half-width, traditional → simplified). */
export function findEmails(view: string): PiiMatch[] {
  if (!CUE.test(view)) return [];
  // Chinese digits as ASCII (same length): QQ mail is a QQ number read aloud @qq.com
  const digits = digitView(view) ?? view;
  const out: PiiMatch[] = [];
  for (const re of [WRITTEN, SPOKEN]) {
    for (const m of digits.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!out.some((o) => o.start < end && start < o.end)) out.push({ type: 'email', start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
