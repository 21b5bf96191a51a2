/** How discovery counts calls over time: per calendar day or per ISO week, in a given time zone. */
export type PeriodUnit = 'day' | 'week';

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The period of an instant: `YYYY-MM-DD`, or the ISO week `YYYY-Www` (weeks start on Monday; the
 * week belongs to the year of its Thursday, so 2024-12-30 is 2025-W01). Calendar dates are those
 * of a clock `utcOffsetMinutes` ahead of UTC (480: China), so a call at 23:30 in Beijing counts
 * on its own day, not the next one.
 */
export function periodOf(at: number, unit: PeriodUnit, utcOffsetMinutes: number): string {
  const local = new Date(at + utcOffsetMinutes * 60_000);
  if (unit === 'day') return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const weekday = (local.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(day + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${pad(week)}`;
}
