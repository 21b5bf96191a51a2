import type { Bucket, BusinessLinesReport, EmotionReport, Granularity, Overview, RulesReport, TopicsReport } from '../../api/reports';
import { tooltip, type ChartOption } from '../../components/Chart';
import type { Message } from './messages';
import { bucketLabels } from './report-view';

/**
 * ECharts options of the report charts, from API data (pure). Series ids carry what a click
 * drills down to (a rule id, a topic id, a sentiment label), so the pages read them back.
 */

type T = (key: Message, vars?: Record<string, string | number>) => string;

export const COLORS = { primary: '#1f6feb', score: '#f5a623', positive: '#52c41a', neutral: '#bfbfbf', negative: '#f5222d' };
const GRID = { left: 48, right: 48, top: 36, bottom: 28 };
const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
const legend = { top: 0, type: 'scroll' as const };

/** Calls per 10-point score bucket. */
export function scoreDistributionOption(d: Overview['scoreDistribution'], t: T): ChartOption {
  return {
    tooltip: tooltip('axis'),
    grid: GRID,
    xAxis: { type: 'category', data: d.map((b) => `${b.from}–${b.to === 100 ? 100 : b.to - 1}`) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: t('calls'), data: d.map((b) => b.calls), itemStyle: { color: COLORS.primary }, barMaxWidth: 36 }],
  };
}

export function bandsOption(bands: Overview['bands']): ChartOption {
  return {
    tooltip: tooltip('item'),
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['40%', '70%'], center: ['50%', '45%'], data: bands.map((b) => ({ name: b.band, value: b.calls })), label: { formatter: '{b}: {c}' } }],
  };
}

/** Calls (bars, right axis) and the average score (line, 0–100) per bucket. */
export function scoreTrendOption(data: { buckets: Bucket[]; trend: Array<{ calls: number; avgScore: number | null }> }, g: Granularity, t: T): ChartOption {
  return {
    tooltip: tooltip('axis'),
    legend,
    grid: GRID,
    xAxis: { type: 'category', data: bucketLabels(data.buckets, g) },
    yAxis: [
      { type: 'value', min: 0, max: 100, name: t('avgScore') },
      { type: 'value', minInterval: 1, name: t('calls'), splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: t('calls'), yAxisIndex: 1, data: data.trend.map((p) => p.calls), itemStyle: { color: '#c6dafc' }, barMaxWidth: 28 },
      { type: 'line', name: t('avgScore'), data: data.trend.map((p) => p.avgScore), connectNulls: true, symbolSize: 8, itemStyle: { color: COLORS.score } },
    ],
  };
}

/** The rule bars' geometry, fixed (not fitted to the labels), so a bar's place is known: the first rule on top. */
export const RULE_GRID = { left: 168, right: 40, top: 8, bottom: 24 };

export function topRulesOption(items: RulesReport['items'], t: T): ChartOption {
  return {
    tooltip: tooltip('item'),
    grid: { ...RULE_GRID, outerBoundsMode: 'none' },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: items.map((r) => r.ruleName), axisLabel: { width: RULE_GRID.left - 16, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        name: t('hitCalls'),
        data: items.map((r) => r.calls),
        itemStyle: { color: COLORS.negative },
        barMaxWidth: 18,
        barMinHeight: 6,
        label: { show: true, position: 'right', formatter: (p: { dataIndex: number }) => `${pct(items[p.dataIndex]?.rate ?? null) ?? '—'}%` },
      },
    ],
  };
}

/** Series per key over the buckets, one point per bucket (`value` of each point from the rows). */
function keyedLines<R extends { bucket: string }>(
  buckets: Bucket[],
  g: Granularity,
  keys: Array<{ id: string; name: string }>,
  rows: R[],
  key: (r: R) => string,
  value: (r: R) => number | null,
  opts: { stack?: boolean; percent?: boolean } = {},
): ChartOption {
  const at = new Map(rows.map((r) => [`${r.bucket}\u0000${key(r)}`, value(r)]));
  return {
    tooltip: tooltip('axis'),
    legend,
    grid: GRID,
    xAxis: { type: 'category', data: bucketLabels(buckets, g) },
    yAxis: { type: 'value', minInterval: opts.percent ? undefined : 1, axisLabel: opts.percent ? { formatter: '{value}%' } : {} },
    series: keys.map((k) => ({
      type: 'line' as const,
      id: k.id,
      name: k.name,
      symbolSize: 7,
      connectNulls: true,
      ...(opts.stack ? { stack: 'all', areaStyle: {} } : {}),
      data: buckets.map((b) => at.get(`${b.bucket}\u0000${k.id}`) ?? null),
    })),
  };
}

/** Violation rate (%) of the top rules per bucket. */
export function ruleTrendOption(r: RulesReport, g: Granularity, top = 5): ChartOption {
  const keys = r.items.slice(0, top).map((i) => ({ id: i.ruleId, name: i.ruleName }));
  return keyedLines(r.buckets, g, keys, r.trend, (p) => p.ruleId, (p) => pct(p.rate), { percent: true });
}

export function topicTrendOption(r: TopicsReport, g: Granularity, top = 6): ChartOption {
  const keys = r.items.slice(0, top).map((i) => ({ id: i.topic, name: i.name }));
  return keyedLines(r.buckets, g, keys, r.trend, (p) => p.topic, (p) => p.calls);
}

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;

/** Calls per customer sentiment label per bucket, stacked. */
export function emotionOption(e: EmotionReport, g: Granularity, t: T): ChartOption {
  return {
    tooltip: tooltip('axis'),
    legend,
    grid: GRID,
    xAxis: { type: 'category', data: bucketLabels(e.buckets, g) },
    yAxis: { type: 'value', minInterval: 1 },
    series: SENTIMENTS.map((s) => ({ type: 'bar' as const, id: s, name: t(s), stack: 'emotion', barMaxWidth: 28, itemStyle: { color: COLORS[s] }, data: e.trend.map((p) => p[s]) })),
  };
}

/** Calls (bars) and average score (line) per business line. */
export function businessLinesOption(b: BusinessLinesReport, t: T): ChartOption {
  return {
    tooltip: tooltip('axis'),
    legend,
    grid: GRID,
    xAxis: { type: 'category', data: b.items.map((i) => i.businessLine) },
    yAxis: [
      { type: 'value', minInterval: 1, name: t('calls') },
      { type: 'value', min: 0, max: 100, name: t('avgScore'), splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: t('calls'), data: b.items.map((i) => i.calls), itemStyle: { color: COLORS.primary }, barMaxWidth: 36 },
      { type: 'line', name: t('avgScore'), yAxisIndex: 1, data: b.items.map((i) => i.avgScore), symbolSize: 8, itemStyle: { color: COLORS.score } },
    ],
  };
}
