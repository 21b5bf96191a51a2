/**
 * Entities in one transcript sentence, for the rule engine's `entity` condition: personal data
 * read aloud (phone, id card, bank card numbers, masked or not) and order numbers, amounts, dates.
 * Pure and synchronous; it runs on every sentence of every call, so a sentence with no digit-like
 * char returns at once.
 *
 * Why a digit view: ASR writes numbers read aloud as Chinese digits (一三八一二三四五六七八,
 * 幺三八 洞洞七, 二〇二四年三月五日) and chat has full-width ones (１３８). digit-view.ts maps each of
 * them to an ASCII digit in a copy of the sentence of the same length, so every scanner needs only
 * [0-9] and every offset it finds is an offset into the original text.
 *
 * Precedence, so that no two reported matches overlap:
 * - A digit string gets one ID-like type, whatever was asked for (id-numbers.ts): a valid id card
 *   (GB 11643 check digit + birth date) is never also a bank card or phone; then mobile/landline
 *   phone; then bank card (16–19 digits, Luhn). A type not asked for is dropped, not replaced.
 * - Between the types asked for: idCard = phone > orderNumber > bankCard > date > amount. So a run an
 *   order pattern matches (订单号1234…) is reported as a phone or id card when it is a valid one and
 *   those were asked for; it stays an order number when its only other reading is a Luhn-valid
 *   bank card (1 in 10 random numbers passes Luhn), and becomes a bank card only when order numbers
 *   were not asked for. Within a type, the earlier match wins, then the longer.
 * - Masked mentions (138****5678, 6222 **** **** 1234, 尾号1234, 后四位5678) are phone/idCard/
 *   bankCard with masked: true; 尾号/后N位 are phones unless 卡 or 身份证 is said next to them
 *   (mention-context.ts).
 */
import { findAmounts } from './amounts.js';
import { findDates } from './dates.js';
import { digitView, hasDigitRun } from './digit-view.js';
import type { EntityMatch, EntityType } from './entity-match.js';
import { findIdNumbers } from './id-numbers.js';
import { DEFAULT_ORDER_PATTERNS, findOrderNumbers } from './order-numbers.js';
import { findTailDigitMentions } from './tail-digit-mentions.js';

export { ENTITY_TYPES } from './entity-match.js';
export type { EntityMatch, EntityType } from './entity-match.js';
export { DEFAULT_ORDER_PATTERNS, compileOrderPatterns } from './order-numbers.js';

export interface EntityOptions {
  /**
   * Replace the default order-number patterns (compileOrderPatterns turns a rule module's strings
   * into these). They run on the digit view of sentences that have a digit-like char.
   */
  orderPatterns?: RegExp[];
}

const PRIORITY: Record<EntityType, number> = { idCard: 5, phone: 5, orderNumber: 4, bankCard: 3, date: 2, amount: 1 };

const THREE_DIGITS = /[0-9]{3}/;

const overlaps = (a: EntityMatch, b: EntityMatch) => a.start < b.end && b.start < a.end;

/** Keeps the matches of the highest precedence (see above) that overlap no kept one; sorted by start. */
function withoutOverlaps(found: EntityMatch[]): EntityMatch[] {
  found.sort((a, b) => PRIORITY[b.type] - PRIORITY[a.type] || a.start - b.start || b.end - a.end);
  const kept: EntityMatch[] = [];
  for (const m of found) if (!kept.some((k) => overlaps(k, m))) kept.push(m);
  return kept.sort((a, b) => a.start - b.start);
}

export function findEntities(text: string, types: ReadonlySet<EntityType>, opts?: EntityOptions): EntityMatch[] {
  if (types.size === 0) return [];
  // ID-like types and default order numbers all have 3+ digits in a row; these rules run on every
  // agent sentence, so most return here without building a digit view.
  if (!types.has('amount') && !types.has('date') && (!types.has('orderNumber') || !opts?.orderPatterns) && !hasDigitRun(text, 3)) return [];
  const view = digitView(text);
  if (view === null) return [];
  const found: EntityMatch[] = [];
  // every phone / id card / bank card, masked or not, has 3 digits in a row (尾号123, 138****5678)
  if ((types.has('phone') || types.has('idCard') || types.has('bankCard')) && THREE_DIGITS.test(view)) {
    for (const m of findIdNumbers(text, view)) if (types.has(m.type)) found.push(m);
    for (const m of findTailDigitMentions(text, view)) if (types.has(m.type)) found.push(m);
  }
  if (types.has('orderNumber')) found.push(...findOrderNumbers(view, opts?.orderPatterns ?? DEFAULT_ORDER_PATTERNS));
  if (types.has('amount')) found.push(...findAmounts(text, view));
  if (types.has('date')) found.push(...findDates(text, view));
  return found.length > 1 ? withoutOverlaps(found) : found;
}
