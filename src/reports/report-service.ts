import type { Inspection } from '../domain/inspection.js';
import { maskPii } from '../enrich/pii/redact-text.js';
import type { ReportFilters } from '../ports/report-repository.js';
import type { Database } from '../ports/repositories.js';
import { publishedRuleSets } from '../rules/published-rule-sets.js';
import {
  addAggregates,
  aggregateTrend,
  bucketsOf,
  bucketView,
  byCallsThenKey,
  keyedTrend,
  orderBands,
  quoteOf,
  rankAgents,
  rate,
  rollUp,
  scoreDistribution,
  summary,
  total,
  type AgentOrder,
  type Granularity,
  type Span,
} from './report-shaping.js';

export interface ReportQuery {
  filters: ReportFilters;
  granularity: Granularity;
}

/** Moments shown per deduction on an agent's page. */
export const MOMENTS_PER_RULE = 5;

/**
 * The reports of the dashboard and the agent page: the repository counts inside the database
 * (scope included), the shaping functions make buckets, averages and rankings, and rule names
 * come from the rule set version that produced the hits (the compiled-version cache).
 */
export class ReportService {
  private readonly offsetMs: number;

  constructor(
    private readonly db: Database,
    private readonly opts: { offsetMs: number; topicName: (id: string) => string | null },
  ) {
    this.offsetMs = opts.offsetMs;
  }

  private get reports() {
    return this.db.repos.reports;
  }

  private span(q: ReportQuery): Span {
    return { granularity: q.granularity, offsetMs: this.offsetMs, from: q.filters.from, to: q.filters.to };
  }

  async overview(q: ReportQuery) {
    const [days, scores, bands] = await Promise.all([this.reports.byDay(q.filters, this.offsetMs), this.reports.scores(q.filters), this.reports.bands(q.filters)]);
    return {
      ...summary(total(days)),
      scoreDistribution: scoreDistribution(scores),
      bands: orderBands(bands),
      ...aggregateTrend(days, this.span(q)),
    };
  }

  async rules(q: ReportQuery, limit: number) {
    const [days, rules] = await Promise.all([this.reports.byDay(q.filters, this.offsetMs), this.reports.rules(q.filters)]);
    const top = [...rules].sort(byCallsThenKey((r) => r.ruleId)).slice(0, limit);
    const names = await this.ruleNames(top);
    const inspected = total(days).inspectedCalls;
    const items = top.map((r) => ({ ruleId: r.ruleId, ruleName: names.get(r.ruleId) ?? r.ruleId, calls: r.calls, hits: r.hits, rate: rate(r.calls, inspected) }));
    const ruleDays = await this.reports.ruleDays(q.filters, this.offsetMs, items.map((i) => i.ruleId));
    const buckets = bucketsOf(this.span(q), days.map((d) => d.day));
    const inspectedPerBucket = rollUp(days, q.granularity, addAggregates);
    const trend = keyedTrend(ruleDays, 'ruleId', items.map((i) => i.ruleId), buckets, q.granularity).map((p) => ({
      bucket: p.bucket,
      ruleId: p.key,
      calls: p.calls,
      rate: rate(p.calls, inspectedPerBucket.get(p.start)?.inspectedCalls ?? 0),
    }));
    return { inspectedCalls: inspected, items, buckets: buckets.map(bucketView), trend };
  }

  async agents(q: ReportQuery, opts: { limit: number; order: AgentOrder; direction: 'asc' | 'desc' }) {
    const rows = (await this.reports.byAgent(q.filters)).map((r) => ({ agentId: r.agentId, teamId: r.teamId, ...summary(r) }));
    return { agents: rows.length, items: rankAgents(rows, opts.order, opts.direction, opts.limit) };
  }

  async businessLines(q: ReportQuery) {
    const rows = await this.reports.byBusinessLine(q.filters);
    return { items: rows.map((r) => ({ businessLine: r.businessLine, ...summary(r) })).sort(byCallsThenKey((r) => r.businessLine)) };
  }

  async emotion(q: ReportQuery) {
    const days = await this.reports.sentimentDays(q.filters, this.offsetMs);
    const buckets = bucketsOf(this.span(q), days.map((d) => d.day));
    const byBucket = rollUp(days, q.granularity, (a, b) => ({
      day: a.day,
      positive: a.positive + b.positive,
      neutral: a.neutral + b.neutral,
      negative: a.negative + b.negative,
      sentimentSum: a.sentimentSum + b.sentimentSum,
      sentimentCalls: a.sentimentCalls + b.sentimentCalls,
    }));
    const trend = buckets.map((b) => {
      const r = byBucket.get(b.start);
      return { bucket: b.bucket, positive: r?.positive ?? 0, neutral: r?.neutral ?? 0, negative: r?.negative ?? 0, avgSentiment: rounded(r?.sentimentSum ?? 0, r?.sentimentCalls ?? 0) };
    });
    const sum = (k: 'positive' | 'neutral' | 'negative') => days.reduce((t, d) => t + d[k], 0);
    return {
      totals: { positive: sum('positive'), neutral: sum('neutral'), negative: sum('negative'), avgSentiment: rounded(days.reduce((t, d) => t + d.sentimentSum, 0), days.reduce((t, d) => t + d.sentimentCalls, 0)) },
      buckets: buckets.map(bucketView),
      trend,
    };
  }

  async topics(q: ReportQuery, limit: number) {
    const [all, days] = await Promise.all([this.reports.topics(q.filters), this.reports.byDay(q.filters, this.offsetMs)]);
    const items = [...all].sort(byCallsThenKey((t) => t.topic)).slice(0, limit).map((t) => ({ topic: t.topic, name: this.opts.topicName(t.topic) ?? t.topic, calls: t.calls }));
    const topicDays = await this.reports.topicDays(q.filters, this.offsetMs, items.map((i) => i.topic));
    const buckets = bucketsOf(this.span(q), days.map((d) => d.day));
    const trend = keyedTrend(topicDays, 'topic', items.map((i) => i.topic), buckets, q.granularity).map((p) => ({ bucket: p.bucket, topic: p.key, calls: p.calls }));
    return { calls: total(days).calls, items, buckets: buckets.map(bucketView), trend };
  }

  /**
   * One agent's page: KPIs, trend and the rules that cost them most, with the latest moments
   * each hit (quotes with personal data masked when `maskPii`). Null when none of the agent's
   * calls is in the scope (and the agent is not the principal's own), so an id outside it reads
   * like one that does not exist.
   */
  async agent(q: ReportQuery, agentId: string, opts: { deductions: number; ownAgentId?: string | undefined; maskPii?: boolean }) {
    if (opts.ownAgentId !== agentId && !(await this.reports.agentHasCalls({ ...(q.filters.scope ? { scope: q.filters.scope } : {}) }, agentId))) return null;
    const filters: ReportFilters = { ...q.filters, agentId };
    const [days, rules, agentRows] = await Promise.all([this.reports.byDay(filters, this.offsetMs), this.reports.rules(filters), this.reports.byAgent(filters)]);
    const top = [...rules].sort(byCallsThenKey((r) => r.ruleId)).slice(0, opts.deductions);
    const [names, hits] = await Promise.all([this.ruleNames(top), this.reports.recentRuleHits(filters, top.map((r) => r.ruleId), MOMENTS_PER_RULE)]);
    const inspections = await this.inspectionsOf(hits);
    const { trend, buckets } = aggregateTrend(days, this.span(q));
    return {
      agentId,
      teamId: agentRows[0]?.teamId ?? null,
      ...summary(total(days)),
      buckets,
      trend: trend.map(({ bucket, calls, avgScore, hitRate }) => ({ bucket, calls, avgScore, hitRate })),
      deductions: top.map((r) => ({
        ruleId: r.ruleId,
        ruleName: names.get(r.ruleId) ?? r.ruleId,
        calls: r.calls,
        hits: r.hits,
        moments: hits
          .filter((h) => h.ruleId === r.ruleId)
          .flatMap((h) => {
            const result = inspections.get(`${h.callId}\u0000${h.ruleSetVersion}`)?.results.find((x) => x.ruleId === r.ruleId && x.outcome === 'hit');
            const e = result?.evidence[0];
            // Masked whole, then cut: a cut through a number leaves digits the detector no longer sees as one.
            const mask = (text: string) => (opts.maskPii ? maskPii(text) : text);
            // A required rule that hit has no evidence (the thing is missing): its reason says what.
            return [{ callId: h.callId, at: new Date(h.at).toISOString(), startMs: e?.startMs ?? 0, endMs: e?.endMs ?? 0, quote: e ? quoteOf(mask(e.text), e.spans) : mask(result?.reason ?? '') }];
          }),
      })),
    };
  }

  /** The inspections the moments come from, read once per (call, version). */
  private async inspectionsOf(hits: ReadonlyArray<{ callId: string; ruleSetVersion: number }>): Promise<Map<string, Inspection>> {
    const keys = [...new Map(hits.map((h) => [`${h.callId}\u0000${h.ruleSetVersion}`, h])).entries()];
    const read = await Promise.all(keys.map(async ([k, h]) => [k, await this.db.repos.inspections.get(h.callId, h.ruleSetVersion)] as const));
    return new Map(read.filter((e): e is readonly [string, Inspection] => e[1] !== null));
  }

  /** Rule names as the version that produced the hits names them (a rule id when that version cannot be read). */
  private async ruleNames(rules: ReadonlyArray<{ ruleId: string; ruleSetVersion: number }>): Promise<Map<string, string>> {
    const cache = publishedRuleSets(this.db);
    const out = new Map<string, string>();
    for (const v of new Set(rules.map((r) => r.ruleSetVersion))) {
      const compiled = await cache.version(v).catch(() => null);
      if (!compiled) continue;
      for (const r of rules) {
        if (r.ruleSetVersion !== v) continue;
        const i = compiled.ruleIndex.get(r.ruleId);
        const name = i === undefined ? undefined : compiled.rules[i]?.name;
        if (name) out.set(r.ruleId, name);
      }
    }
    return out;
  }
}

/** An average sentiment rounded to 0.01. */
const rounded = (sum: number, n: number): number | null => (n > 0 ? Math.round((sum / n) * 100) / 100 : null);
