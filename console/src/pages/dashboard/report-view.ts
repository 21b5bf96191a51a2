import { toQueryString } from '../../api/client';
import type { Bucket, Granularity, ReportFilters } from '../../api/reports';

/**
 * The dashboard's (and agent page's) filters live in the query string, so a reload or the back
 * button after a drill-down shows the same view. Time ranges are whole days of the browser's
 * calendar: a preset counts back from today, a custom range names its first and last day.
 */
export const RANGES = ['7d', '30d', '90d', 'all', 'custom'] as const;
export type RangeKey = (typeof RANGES)[number];
export const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];

export interface ReportView {
  range: RangeKey;
  /** Whether the range came from the URL (the default one may switch itself to all time). */
  rangeGiven: boolean;
  /** Custom range: first and last day, YYYY-MM-DD. */
  fromDay?: string | undefined;
  toDay?: string | undefined;
  agentId?: string | undefined;
  teamId?: string | undefined;
  businessLine?: string | undefined;
  granularity: Granularity;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const DEFAULT_RANGE: RangeKey = '30d';

export function readView(p: URLSearchParams): ReportView {
  const range = p.get('range') as RangeKey | null;
  const g = p.get('granularity') as Granularity | null;
  const day = (k: string) => (DAY.test(p.get(k) ?? '') ? p.get(k)! : undefined);
  const text = (k: string) => p.get(k)?.trim() || undefined;
  const fromDay = day('from');
  const toDay = day('to');
  const valid = range !== null && RANGES.includes(range) && (range !== 'custom' || (fromDay !== undefined && toDay !== undefined));
  return {
    range: valid ? range : DEFAULT_RANGE,
    rangeGiven: valid,
    fromDay: valid && range === 'custom' ? fromDay : undefined,
    toDay: valid && range === 'custom' ? toDay : undefined,
    agentId: text('agentId'),
    teamId: text('teamId'),
    businessLine: text('businessLine'),
    granularity: g && GRANULARITIES.includes(g) ? g : 'day',
  };
}

export function writeView(v: ReportView): URLSearchParams {
  const p = new URLSearchParams();
  if (v.rangeGiven || v.range !== DEFAULT_RANGE) p.set('range', v.range);
  if (v.range === 'custom' && v.fromDay && v.toDay) {
    p.set('from', v.fromDay);
    p.set('to', v.toDay);
  }
  if (v.agentId) p.set('agentId', v.agentId);
  if (v.teamId) p.set('teamId', v.teamId);
  if (v.businessLine) p.set('businessLine', v.businessLine);
  if (v.granularity !== 'day') p.set('granularity', v.granularity);
  return p;
}

/** Local midnight of a YYYY-MM-DD day plus `days`, as an ISO instant. */
function dayStart(day: string, days = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + days).toISOString();
}

/** Today in the browser's calendar, YYYY-MM-DD. */
export function today(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

const PRESET_DAYS: Partial<Record<RangeKey, number>> = { '7d': 7, '30d': 30, '90d': 90 };

/** The view as the reports API takes it: from (inclusive) and to (exclusive) as ISO instants. */
export function reportFilters(v: ReportView, now = new Date()): ReportFilters {
  const f: ReportFilters = { agentId: v.agentId, teamId: v.teamId, businessLine: v.businessLine, granularity: v.granularity };
  const days = PRESET_DAYS[v.range];
  if (days !== undefined) {
    f.from = dayStart(today(now), -(days - 1));
    f.to = dayStart(today(now), 1);
  } else if (v.range === 'custom' && v.fromDay && v.toDay) {
    f.from = dayStart(v.fromDay);
    f.to = dayStart(v.toDay, 1);
  }
  return f;
}

/** What a drill-down adds to the report's filters (the calls page's query names). */
export interface Drill {
  bucket?: Bucket | undefined;
  minScore?: number;
  maxScore?: number;
  band?: string;
  rule?: string;
  sentiment?: 'positive' | 'neutral' | 'negative';
  topic?: string;
  businessLine?: string;
  fatal?: boolean;
}

/** /calls with the report's filters and what was clicked; a bucket narrows the time to it. */
export function callsLink(f: ReportFilters, d: Drill = {}): string {
  const { bucket, fatal, ...rest } = d;
  return `/calls${toQueryString({
    from: bucket?.from ?? f.from,
    to: bucket?.to ?? f.to,
    agentId: f.agentId,
    teamId: f.teamId,
    businessLine: f.businessLine,
    ...rest,
    ...(fatal ? { fatal: 'true' } : {}),
  })}`;
}

/** The highest score of a 10-point bucket the calls page should include (scores are tenths; the last bucket holds 100). */
export const bucketMaxScore = (to: number) => (to >= 100 ? 100 : Math.round((to - 0.1) * 10) / 10);

/** Axis labels of a trend's buckets: MM-DD for days and weeks, YYYY-MM for months; whole dates when the years differ. */
export function bucketLabels(buckets: readonly Bucket[], g: Granularity): string[] {
  if (g === 'month') return buckets.map((b) => b.bucket.slice(0, 7));
  const years = new Set(buckets.map((b) => b.bucket.slice(0, 4)));
  return buckets.map((b) => (years.size > 1 ? b.bucket : b.bucket.slice(5)));
}
