import type { CallAggregate, DayKey } from '../ports/report-repository.js';

/**
 * Pure shaping of report rows: days rolled up into weeks or months, gaps filled, averages and
 * rates, the score histogram, rankings. The database counts per day in the server's UTC offset;
 * everything calendar-shaped happens here, the same for SQLite and PostgreSQL.
 */

export const DAY_MS = 86_400_000;
export type Granularity = 'day' | 'week' | 'month';
export const GRANULARITIES = ['day', 'week', 'month'] as const;

/** At most this many buckets are filled in between the first and last one; a longer span shows the buckets with calls only. */
export const MAX_FILLED_BUCKETS = 1000;

/** An offset like +08:00 / -05:30 / Z as milliseconds east of UTC. */
export function offsetMs(offset: string): number {
  if (offset === 'Z' || offset === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m) throw new Error(`not a UTC offset: ${offset}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** The day number (days since 1970-01-01) of an instant, in the calendar of that offset. */
export const dayOfInstant = (ms: number, offset: number) => Math.floor((ms + offset) / DAY_MS);

/** The first day of the bucket a day falls in: itself, the Monday of its ISO week, the 1st of its month. */
export function bucketStart(day: number, g: Granularity): number {
  if (g === 'day') return day;
  if (g === 'week') return day - (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
}

/** The first day of the next bucket. */
export function nextBucket(start: number, g: Granularity): number {
  if (g === 'day') return start + 1;
  if (g === 'week') return start + 7;
  const d = new Date(start * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS;
}

/** A day number as an ISO date (YYYY-MM-DD). */
export const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** What a trend covers: the report's time range as day numbers (either end may be open). */
export interface Span {
  granularity: Granularity;
  /** Milliseconds east of UTC of the calendar days are counted in. */
  offsetMs: number;
  /** The filter's bounds, epoch ms (from inclusive, to exclusive). */
  from?: number | undefined;
  to?: number | undefined;
}

export interface Bucket {
  /** ISO date of the bucket's first day. */
  bucket: string;
  /** The instants it covers within the report's range (ISO 8601), for drilling down to its calls. */
  from: string;
  to: string;
}

/**
 * The buckets of a trend, in order: from the range's first to its last bucket (an open end: the
 * first or last bucket with data), gaps included, unless that is more than MAX_FILLED_BUCKETS:
 * then only those with data.
 */
export function bucketsOf(span: Span, dataDays: Iterable<number>): Array<Bucket & { start: number }> {
  const starts = new Set<number>();
  for (const d of dataDays) starts.add(bucketStart(d, span.granularity));
  const sorted = [...starts].sort((a, b) => a - b);
  const first = span.from !== undefined ? bucketStart(dayOfInstant(span.from, span.offsetMs), span.granularity) : sorted[0];
  const last = span.to !== undefined ? bucketStart(dayOfInstant(span.to - 1, span.offsetMs), span.granularity) : sorted[sorted.length - 1];
  let list = sorted;
  if (first !== undefined && last !== undefined && first <= last) {
    const filled: number[] = [];
    for (let s = first; s <= last && filled.length <= MAX_FILLED_BUCKETS; s = nextBucket(s, span.granularity)) filled.push(s);
    if (filled.length <= MAX_FILLED_BUCKETS) list = filled;
  }
  return list.map((start) => {
    const from = Math.max(start * DAY_MS - span.offsetMs, span.from ?? -Infinity);
    const to = Math.min(nextBucket(start, span.granularity) * DAY_MS - span.offsetMs, span.to ?? Infinity);
    return { start, bucket: isoDay(start), from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  });
}

/** Rows per day summed into their buckets (keyed by the bucket's first day). */
export function rollUp<T extends DayKey>(rows: readonly T[], g: Granularity, sum: (a: T, b: T) => T): Map<number, T> {
  const out = new Map<number, T>();
  for (const r of rows) {
    const start = bucketStart(r.day, g);
    const had = out.get(start);
    out.set(start, had ? sum(had, { ...r, day: start }) : { ...r, day: start });
  }
  return out;
}

export const addAggregates = <T extends CallAggregate>(a: T, b: T): T => ({
  ...a,
  calls: a.calls + b.calls,
  scoredCalls: a.scoredCalls + b.scoredCalls,
  scoreSum: a.scoreSum + b.scoreSum,
  inspectedCalls: a.inspectedCalls + b.inspectedCalls,
  hitCalls: a.hitCalls + b.hitCalls,
  fatalCalls: a.fatalCalls + b.fatalCalls,
});

export const EMPTY_AGGREGATE: CallAggregate = { calls: 0, scoredCalls: 0, scoreSum: 0, inspectedCalls: 0, hitCalls: 0, fatalCalls: 0 };

/** An average score rounded to 0.1 (null without scores). */
export const average = (sum: number, n: number): number | null => (n > 0 ? Math.round((sum / n) * 10) / 10 : null);

/** A share rounded to 4 decimals (null when there is nothing to divide by). */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** What a group of calls reports: counts, the average score, the share of inspected calls with a hit. */
export function summary(a: CallAggregate) {
  return {
    calls: a.calls,
    scoredCalls: a.scoredCalls,
    inspectedCalls: a.inspectedCalls,
    avgScore: average(a.scoreSum, a.scoredCalls),
    hitCalls: a.hitCalls,
    hitRate: rate(a.hitCalls, a.inspectedCalls),
    fatalCalls: a.fatalCalls,
  };
}

/** The sum of groups' aggregates (the totals of a report). */
export const total = (rows: readonly CallAggregate[]): CallAggregate => rows.reduce<CallAggregate>((t, r) => addAggregates(t, r), { ...EMPTY_AGGREGATE });

/** The per-day aggregates as a trend: one point per bucket (empty ones with zero calls and null averages). */
export function aggregateTrend(days: ReadonlyArray<DayKey & CallAggregate>, span: Span) {
  const buckets = bucketsOf(span, days.map((d) => d.day));
  const byBucket = rollUp(days, span.granularity, addAggregates);
  const trend = buckets.map((b) => {
    const s = summary(byBucket.get(b.start) ?? EMPTY_AGGREGATE);
    return { bucket: b.bucket, calls: s.calls, avgScore: s.avgScore, hitRate: s.hitRate, fatalCalls: s.fatalCalls };
  });
  return { buckets: buckets.map(bucketView), trend };
}

/** A bucket as the API shows it. */
export const bucketView = ({ bucket, from, to }: Bucket): Bucket => ({ bucket, from, to });

/**
 * Calls per 10-point score bucket: [0, 10), [10, 20) … [90, 100] (the last one holds 100). Every
 * bucket is listed, empty ones with 0.
 */
export function scoreDistribution(scores: ReadonlyArray<{ scorePercent: number; calls: number }>): Array<{ from: number; to: number; calls: number }> {
  const out = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, calls: 0 }));
  for (const s of scores) {
    const i = Math.min(9, Math.max(0, Math.floor(s.scorePercent / 10)));
    out[i]!.calls += s.calls;
  }
  return out;
}

/** Bands in the order scorecards usually list them (best first), others after by name. */
const BAND_ORDER = ['优秀', '良好', '合格', '不合格'];
export function orderBands(bands: ReadonlyArray<{ band: string; calls: number }>): Array<{ band: string; calls: number }> {
  const rank = (b: string) => (BAND_ORDER.includes(b) ? BAND_ORDER.indexOf(b) : BAND_ORDER.length);
  return [...bands].sort((a, b) => rank(a.band) - rank(b.band) || compareText(a.band, b.band));
}

/** Code-point order, the same whatever the database's collation. */
export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Most calls first, then by key: the order of every "top N" list. */
export const byCallsThenKey = <T extends { calls: number }>(key: (t: T) => string) => (a: T, b: T) => b.calls - a.calls || compareText(key(a), key(b));

export const AGENT_ORDERS = ['avgScore', 'calls', 'hitRate', 'fatalCalls'] as const;
export type AgentOrder = (typeof AGENT_ORDERS)[number];

/** Agents ranked by a measure (missing ones last whatever the direction), then by agent id. */
export function rankAgents<T extends { agentId: string } & Record<AgentOrder, number | null>>(rows: readonly T[], order: AgentOrder, direction: 'asc' | 'desc', limit: number): T[] {
  const sign = direction === 'desc' ? -1 : 1;
  return [...rows]
    .sort((a, b) => {
      const x = a[order];
      const y = b[order];
      if (x === null || y === null) return x === y ? compareText(a.agentId, b.agentId) : x === null ? 1 : -1;
      return sign * (x - y) || compareText(a.agentId, b.agentId);
    })
    .slice(0, limit);
}

/**
 * Series per key (rule, topic) over the buckets: one point per bucket and key, zero where none.
 * `rateOf` turns a bucket's count into its rate (rules: over the bucket's inspected calls).
 */
export function keyedTrend<K extends string>(
  rows: ReadonlyArray<DayKey & { calls: number } & Record<K, string>>,
  field: K,
  keys: readonly string[],
  buckets: ReadonlyArray<Bucket & { start: number }>,
  g: Granularity,
): Array<{ bucket: string; start: number; key: string; calls: number }> {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const k = `${bucketStart(r.day, g)}\u0000${r[field]}`;
    counts.set(k, (counts.get(k) ?? 0) + r.calls);
  }
  return buckets.flatMap((b) => keys.map((key) => ({ bucket: b.bucket, start: b.start, key, calls: counts.get(`${b.start}\u0000${key}`) ?? 0 })));
}

/** A quote of an evidence: the text around its first matched span, at most `max` characters. */
export function quoteOf(text: string, spans: ReadonlyArray<{ start: number; end: number }>, max = 80): string {
  if (text.length <= max) return text;
  const first = spans[0];
  if (!first) return `${text.slice(0, max - 1)}…`;
  const mid = Math.floor((first.start + first.end) / 2);
  const start = Math.max(0, Math.min(text.length - max, mid - Math.floor(max / 2)));
  const end = Math.min(text.length, start + max);
  return `${start > 0 ? '…' : ''}${text.slice(start > 0 ? start + 1 : start, end < text.length ? end - 1 : end)}${end < text.length ? '…' : ''}`;
}
