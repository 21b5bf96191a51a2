import type { EntityMatch } from './entity-match.js';
import { cardKindAround } from './mention-context.js';

/**
 * Masked mentions by their last digits: 尾号1234, 尾数是567, 后四位5678, 末四位：5678 (read from the
 * digit view, so 后四位是五六七八 counts). 尾号/尾数 take 3–4 digits, 后N位/末N位 exactly N (3 or 4).
 * The span is the whole mention, cue included; the value is the digits. The type is phone unless
 * the words around say otherwise (mention-context.ts): 卡 → bankCard, 身份证/证件 → idCard.
 */
const TAIL_MENTION = /(?:尾号|尾数|[后末]([34])位(?:数字?)?)(?:是|为)?[:：]?\s*(\d{3,4})(?![\d*xX])/g;

export function findTailDigitMentions(text: string, view: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  TAIL_MENTION.lastIndex = 0;
  for (let m = TAIL_MENTION.exec(view); m; m = TAIL_MENTION.exec(view)) {
    const digits = m[2]!;
    if (m[1] !== undefined && digits.length !== Number(m[1])) continue;
    const start = m.index;
    const end = start + m[0].length;
    out.push({ type: cardKindAround(text, start, end) ?? 'phone', start, end, value: digits, masked: true });
  }
  return out;
}
