import { z } from 'zod';
import { TingjianError } from '../../domain/errors.js';

/** A number in a query string: digits only (z.coerce would read an empty value as 0). */
export const numberParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
    .transform(Number)
    .pipe(z.number().min(min).max(max));

/** A whole number in a query string (an empty value is not 0). */
export const wholeNumberParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/**
 * Why a filter time was refused (toEpochMs threw `e`), said of the field: outside the years
 * stored times take (1970-01-01 in +08:00 is before the epoch), or not a real date (2025-02-30).
 */
export function badFilterTime(name: string, v: string | number, offset: string, e: unknown, prefix = ''): TingjianError {
  const outside = e instanceof Error && /outside 1970–2099/.test(e.message);
  const why = outside ? `is outside 1970–2099 (a time without an offset is in ${offset})` : 'is not a real date and time';
  return new TingjianError('INVALID_REQUEST', `${prefix}${name}: ${String(v)} ${why}`, { problems: [name] });
}

/** A range given upside down (minScore above maxScore) is a bad request naming both ends. */
export function checkRange<Q extends Record<string, unknown>>(q: Q, min: keyof Q & string, max: keyof Q & string): void {
  const lo = q[min];
  const hi = q[max];
  if (typeof lo === 'number' && typeof hi === 'number' && lo > hi) {
    throw new TingjianError('INVALID_REQUEST', `invalid querystring: ${min} (${lo}) is above ${max} (${hi})`, { problems: [min, max] });
  }
}
