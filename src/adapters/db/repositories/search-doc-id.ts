import { sql, type RawBuilder } from 'kysely';
import type { SearchFilters } from '../../../ports/repositories.js';

/**
 * doc_id = the call's second × 2^20 + a sequence within that second, given on first insert and
 * kept while the call's time stays in that second. Newest first is then key order (FTS5 walks
 * its posting lists in rowid order and stops at LIMIT; PostgreSQL reads the key or a
 * (facet, doc_id) index backwards), and a time range is a key range. 2^20 calls a second is far
 * more than any contact center takes; the largest key (year 2242) is a safe JS integer.
 */
export const SLOTS = 2 ** 20;
const MAX_SECOND = Math.floor(Number.MAX_SAFE_INTEGER / SLOTS) - 1;
export const secondOf = (at: number) => Math.min(MAX_SECOND, Math.max(0, Math.floor(at / 1000)));

export type KeyRange = Array<{ op: RawBuilder<unknown>; value: number }>;

/** The time filter as a key range (whole seconds), usable on doc_id columns and on FTS5's rowid. */
export function keyRange(f: SearchFilters): KeyRange {
  const range: KeyRange = [];
  if (f.from !== undefined) range.push({ op: sql.raw('>='), value: secondOf(f.from) * SLOTS });
  if (f.to !== undefined) range.push({ op: sql.raw('<'), value: (secondOf(f.to - 1) + 1) * SLOTS });
  return range;
}
