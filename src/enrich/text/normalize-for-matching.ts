import { digitView } from '../../rules/entities/digit-view.js';
import { normalizeText } from '../../rules/text/normalize-text.js';

/**
 * The text as the matchers read it: full/half width, case and traditional → simplified
 * (normalize-text.ts), then spoken and written digits as ASCII digits (digit-view.ts), so 訂單一三八
 * and 订单138 compare equal. Both steps map one character to one, so the result has the input's
 * length and every offset into it is an offset into what was said.
 *
 * Not for segmentation: the digit view reads 一 as 1 everywhere (一下 → 1下), which is what entity
 * matching wants and what a word segmenter does not.
 * @example normalizeForMatching('訂單一三八ＡＢ') // '订单138ab'
 */
export function normalizeForMatching(text: string): string {
  const normalized = normalizeText(text);
  return digitView(normalized) ?? normalized;
}
