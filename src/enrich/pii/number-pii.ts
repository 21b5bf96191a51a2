import { digitView } from '../../rules/entities/digit-view.js';
import { findEntities, type EntityType } from '../../rules/entities/find-entities.js';
import type { PiiMatch } from './pii-match.js';

/**
 * Phone, id card and bank card numbers said or typed in full, found by the rule engine's entity
 * scanner (src/rules/entities/): spoken digits (幺三八…), full-width digits, GB 11643 check digit
 * of id cards, Luhn of bank cards — so a Luhn-invalid 16–19 digit number is no card here either.
 *
 * Order numbers are asked for too, and then dropped: the scanner gives a run an order pattern
 * matches (订单号6222…) to the order number when its only other reading is a Luhn-valid card
 * (1 in 10 random numbers passes Luhn), and an order number is no one's personal data.
 *
 * Masked mentions (138****5678, 6222 **** **** 1234, 尾号1234, 后四位5678) are dropped: the digits
 * that would identify someone were never said, and 尾号 style is what redaction itself may leave.
 */
const TYPES: ReadonlySet<EntityType> = new Set<EntityType>(['phone', 'idCard', 'bankCard', 'orderNumber']);

/** Punctuation an ASR model puts between digit groups read aloud (幺三八，一二三四，五六七八). */
const GROUP_PUNCTUATION = /[,，、。.]/;
const DIGIT_LIKE = /[0-9*]/;

/**
 * The text with punctuation between two digit-like chars (spaces aside) turned into a space, so
 * the scanner, which joins digit groups split by spaces and dashes only, reads 幺三八，一二三四，
 * 五六七八 as one number. Same length, so offsets stay those of the text.
 */
export function joinDigitGroups(text: string): string {
  const view = digitView(text);
  if (view === null) return text;
  const digitNear = (from: number, step: 1 | -1) => {
    let at = from;
    while (view[at] === ' ') at += step;
    return at >= 0 && at < view.length && DIGIT_LIKE.test(view[at]!);
  };
  const chars = text.split(''); // UTF-16 units, as the offsets count
  let joined = false;
  for (let i = 1; i < text.length - 1; i++) {
    if (GROUP_PUNCTUATION.test(text[i]!) && digitNear(i - 1, -1) && digitNear(i + 1, 1)) {
      chars[i] = ' ';
      joined = true;
    }
  }
  return joined ? chars.join('') : text;
}

const isPiiNumber = (type: EntityType): type is 'phone' | 'idCard' | 'bankCard' => type === 'phone' || type === 'idCard' || type === 'bankCard';

/** `view`: the text normalised char for char (full-width → half-width, traditional → simplified). */
export function findNumberPii(view: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (const m of findEntities(joinDigitGroups(view), TYPES)) {
    if (!m.masked && isPiiNumber(m.type)) out.push({ type: m.type, start: m.start, end: m.end });
  }
  return out;
}
