import type { PiiType } from '../../domain/text-analysis.js';

/** A piece of personal data in one text: UTF-16 offsets [start, end) into that text, as in PiiSpan. */
export interface PiiMatch {
  type: PiiType;
  start: number;
  end: number;
}
