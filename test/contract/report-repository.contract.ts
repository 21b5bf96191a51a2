import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Inspection, RuleResult } from '../../src/domain/inspection.js';
import type { SentimentLabel } from '../../src/domain/text-analysis.js';
import type { Database } from '../../src/ports/repositories.js';
import { ReportService } from '../../src/reports/report-service.js';
import { offsetMs } from '../../src/reports/report-shaping.js';
import { storedCall } from '../support/factories.js';

/**
 * The reports (repository + service) on a known set of calls, with exact numbers, the same on
 * SQLite and PostgreSQL: only each call's latest inspection counts, days are days of +08:00,
 * filters and data scopes limit every number, and rule names come from the version that hit.
 */
export function reportContract(name: string, open: () => Promise<{ db: Database; cleanup: () => Promise<void> }>): void {
  describe(`reports: ${name}`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    let service: ReportService;
    const id: Record<string, string> = {};
    const inspectorId = 'report-inspector';

    const rules = (forbidName: string) => ({
      modules: [
        {
          module: 'svc',
          name: '服务',
          rules: [
            { id: 'greet', name: '问候', when: { keywords: ['您好'] } },
            { id: 'forbid', name: forbidName, when: { keywords: ['不知道'] } },
            { id: 'slow', name: '语速', when: { keywords: ['慢'] } },
          ],
        },
      ],
    });

    /** An inspection by `version`: `hits` per rule (the others pass), each hit's evidence at `atMs`. */
    const inspection = (version: number, o: { percent: number | null; band: string | null; fatal?: boolean; hits: Record<string, number>; atMs?: number }): Inspection & { ruleSetVersion: number } => ({
      ruleSetVersion: version,
      ruleSetHash: `h${version}`,
      results: ['svc.greet', 'svc.forbid', 'svc.slow'].map(
        (ruleId): RuleResult => ({
          ruleId,
          ruleName: ruleId,
          outcome: o.hits[ruleId] ? 'hit' : 'pass',
          severity: o.fatal && ruleId === 'svc.forbid' ? 'fatal' : 'normal',
          hits: o.hits[ruleId] ?? 0,
          // svc.slow hits as a required rule does: no evidence, a reason.
          evidence: o.hits[ruleId] && ruleId !== 'svc.slow' ? [{ segmentIndex: 0, startMs: o.atMs ?? 1000, endMs: (o.atMs ?? 1000) + 2000, text: `我不知道，电话13800138000 (${ruleId})`, spans: [{ start: 1, end: 4 }] }] : [],
          ...(o.hits[ruleId] && ruleId === 'svc.slow' ? { reason: '没有提示语速' } : {}),
        }),
      ),
      score:
        o.percent === null
          ? null
          : { scorecardId: 'std', scorecardName: '评分表', total: o.percent, max: 100, percent: o.percent, band: o.band, fatal: false, pendingManual: 0, categories: [], items: [] },
    });

    interface Seed {
      at: string;
      agentId: string;
      teamId: string;
      businessLine: string | null;
      inspections: Array<Inspection & { ruleSetVersion: number }>;
      sentiment: [SentimentLabel, number] | null;
      topics: string[];
    }

    before(async () => {
      ({ db, cleanup } = await open());
      await db.migrate();
      const v1 = await db.repos.ruleSets.append(rules('禁语'), { sha256: '1'.repeat(64), createdAt: 1 });
      const v2 = await db.repos.ruleSets.append(rules('服务禁语'), { sha256: '2'.repeat(64), createdAt: 2 });
      assert.deepEqual([v1, v2], [1, 2]);
      const seeds: Record<string, Seed> = {
        c1: { at: '2025-09-15T09:00:00+08:00', agentId: 'A1', teamId: 'T1', businessLine: '电商', inspections: [inspection(1, { percent: 90, band: '优秀', hits: { 'svc.forbid': 2 }, atMs: 5000 })], sentiment: ['positive', 0.6], topics: ['refund'] },
        c2: {
          at: '2025-09-15T23:30:00+08:00',
          agentId: 'A1',
          teamId: 'T1',
          businessLine: '电商',
          // The v1 result (greet hit, score 10) is not the latest: it counts nowhere.
          inspections: [inspection(1, { percent: 10, band: '不合格', hits: { 'svc.greet': 1 } }), inspection(2, { percent: 70, band: '合格', hits: { 'svc.forbid': 1, 'svc.slow': 1 }, atMs: 7000 })],
          sentiment: ['negative', -0.5],
          topics: ['refund', 'delay'],
        },
        c3: { at: '2025-09-16T08:00:00+08:00', agentId: 'A2', teamId: 'T2', businessLine: '金融', inspections: [inspection(1, { percent: 40, band: '不合格', fatal: true, hits: { 'svc.forbid': 3 } })], sentiment: ['negative', -0.8], topics: ['delay'] },
        // 2025-09-15T23:59Z: the 16th in +08:00.
        c4: { at: '2025-09-16T07:59:00+08:00', agentId: 'A2', teamId: 'T2', businessLine: '金融', inspections: [inspection(1, { percent: 100, band: '优秀', hits: {} })], sentiment: ['neutral', 0], topics: [] },
        c5: { at: '2025-09-22T10:00:00+08:00', agentId: 'A3', teamId: 'T1', businessLine: null, inspections: [], sentiment: null, topics: [] },
        c6: { at: '2025-10-01T10:00:00+08:00', agentId: 'A1', teamId: 'T1', businessLine: '电商', inspections: [inspection(2, { percent: null, band: null, hits: { 'svc.greet': 1 } })], sentiment: ['positive', 0.4], topics: [] },
      };
      for (const [key, s] of Object.entries(seeds)) {
        const call = storedCall({ startedAt: Date.parse(s.at), agentId: s.agentId, teamId: s.teamId, businessLine: s.businessLine });
        id[key] = call.id;
        await db.repos.calls.insert(call);
        for (const i of s.inspections) await db.repos.inspections.save(call.id, i, 1);
        const latest = s.inspections.at(-1);
        await db.repos.search.upsert({
          callId: call.id,
          externalId: call.externalId,
          at: call.startedAt!,
          agentId: s.agentId,
          teamId: s.teamId,
          businessLine: s.businessLine,
          channel: 'phone',
          ruleSetVersion: latest?.ruleSetVersion ?? null,
          scorePercent: latest?.score?.percent ?? null,
          ruleIds: latest ? latest.results.filter((r) => r.outcome === 'hit').map((r) => r.ruleId) : [],
          customerSentiment: s.sentiment?.[1] ?? null,
          sentimentLabel: s.sentiment?.[0] ?? null,
          topics: s.topics,
          tokens: [],
        });
      }
      await db.repos.accounts.insert({ id: inspectorId, username: 'report-inspector', displayName: null, passwordHash: null, role: 'inspector', agentId: null, teamIds: [], businessLines: ['金融'], oidcSubject: null, createdAt: 1 });
      await db.repos.accounts.assign(id.c1!, inspectorId, null, 1);
      service = new ReportService(db, { offsetMs: offsetMs('+08:00'), topicName: (t) => (t === 'refund' ? '退款退货' : null) });
    });
    after(async () => {
      await db.close();
      await cleanup();
    });

    const all = { filters: {}, granularity: 'day' as const };
    const weeks = { filters: {}, granularity: 'week' as const };

    it('overview: totals over the latest inspections, the score histogram, bands, and a day trend in +08:00 with gaps', async () => {
      const o = await service.overview(all);
      assert.deepEqual(
        { calls: o.calls, scoredCalls: o.scoredCalls, inspectedCalls: o.inspectedCalls, avgScore: o.avgScore, hitCalls: o.hitCalls, hitRate: o.hitRate, fatalCalls: o.fatalCalls },
        { calls: 6, scoredCalls: 4, inspectedCalls: 5, avgScore: 75, hitCalls: 4, hitRate: 0.8, fatalCalls: 1 },
      );
      assert.deepEqual(
        o.scoreDistribution.map((b) => b.calls),
        [0, 0, 0, 0, 1, 0, 0, 1, 0, 2],
      );
      assert.deepEqual(o.bands, [
        { band: '优秀', calls: 2 },
        { band: '合格', calls: 1 },
        { band: '不合格', calls: 1 },
      ]);
      assert.equal(o.trend.length, 17, '2025-09-15 … 2025-10-01');
      assert.deepEqual(o.trend[0], { bucket: '2025-09-15', calls: 2, avgScore: 80, hitRate: 1, fatalCalls: 0 });
      assert.deepEqual(o.trend[1], { bucket: '2025-09-16', calls: 2, avgScore: 70, hitRate: 0.5, fatalCalls: 1 });
      assert.deepEqual(o.trend[2], { bucket: '2025-09-17', calls: 0, avgScore: null, hitRate: null, fatalCalls: 0 });
      assert.deepEqual(o.trend[7], { bucket: '2025-09-22', calls: 1, avgScore: null, hitRate: null, fatalCalls: 0 });
      assert.deepEqual(o.trend[16], { bucket: '2025-10-01', calls: 1, avgScore: null, hitRate: 1, fatalCalls: 0 });
      assert.deepEqual(o.buckets[1], { bucket: '2025-09-16', from: '2025-09-15T16:00:00.000Z', to: '2025-09-16T16:00:00.000Z' });
    });

    it('weeks and months; a time range in +08:00', async () => {
      const w = await service.overview(weeks);
      assert.deepEqual(w.trend, [
        { bucket: '2025-09-15', calls: 4, avgScore: 75, hitRate: 0.75, fatalCalls: 1 },
        { bucket: '2025-09-22', calls: 1, avgScore: null, hitRate: null, fatalCalls: 0 },
        { bucket: '2025-09-29', calls: 1, avgScore: null, hitRate: 1, fatalCalls: 0 },
      ]);
      const m = await service.overview({ filters: {}, granularity: 'month' });
      assert.deepEqual(
        m.trend.map((t) => [t.bucket, t.calls, t.avgScore, t.hitRate]),
        [
          ['2025-09-01', 5, 75, 0.75],
          ['2025-10-01', 1, null, 1],
        ],
      );
      const day16 = await service.overview({ filters: { from: Date.parse('2025-09-16T00:00:00+08:00'), to: Date.parse('2025-09-17T00:00:00+08:00') }, granularity: 'day' });
      assert.deepEqual([day16.calls, day16.avgScore, day16.fatalCalls], [2, 70, 1]);
      assert.deepEqual(
        day16.trend.map((t) => t.bucket),
        ['2025-09-16'],
      );
    });

    it('rules: most violated first with names from the version that hit, rates over inspected calls, a trend of the top ones', async () => {
      const r = await service.rules(weeks, 2);
      assert.equal(r.inspectedCalls, 5);
      assert.deepEqual(r.items, [
        { ruleId: 'svc.forbid', ruleName: '服务禁语', calls: 3, hits: 6, rate: 0.6 },
        { ruleId: 'svc.greet', ruleName: '问候', calls: 1, hits: 1, rate: 0.2 },
      ]);
      assert.deepEqual(r.trend, [
        { bucket: '2025-09-15', ruleId: 'svc.forbid', calls: 3, rate: 0.75 },
        { bucket: '2025-09-15', ruleId: 'svc.greet', calls: 0, rate: 0 },
        { bucket: '2025-09-22', ruleId: 'svc.forbid', calls: 0, rate: null },
        { bucket: '2025-09-22', ruleId: 'svc.greet', calls: 0, rate: null },
        { bucket: '2025-09-29', ruleId: 'svc.forbid', calls: 0, rate: 0 },
        { bucket: '2025-09-29', ruleId: 'svc.greet', calls: 1, rate: 1 },
      ]);
      const onlyV1 = await service.rules({ filters: { agentId: 'A2' }, granularity: 'day' }, 10);
      assert.deepEqual(onlyV1.items, [{ ruleId: 'svc.forbid', ruleName: '禁语', calls: 1, hits: 3, rate: 0.5 }], 'named by version 1, which hit');
    });

    it('agents ranked by average score (or another measure); business lines by calls', async () => {
      const a = await service.agents(all, { limit: 50, order: 'avgScore', direction: 'desc' });
      assert.equal(a.agents, 3);
      assert.deepEqual(a.items, [
        { agentId: 'A1', teamId: 'T1', calls: 3, scoredCalls: 2, inspectedCalls: 3, avgScore: 80, hitCalls: 3, hitRate: 1, fatalCalls: 0 },
        { agentId: 'A2', teamId: 'T2', calls: 2, scoredCalls: 2, inspectedCalls: 2, avgScore: 70, hitCalls: 1, hitRate: 0.5, fatalCalls: 1 },
        { agentId: 'A3', teamId: 'T1', calls: 1, scoredCalls: 0, inspectedCalls: 0, avgScore: null, hitCalls: 0, hitRate: null, fatalCalls: 0 },
      ]);
      const byFatal = await service.agents(all, { limit: 1, order: 'fatalCalls', direction: 'desc' });
      assert.deepEqual(
        byFatal.items.map((i) => i.agentId),
        ['A2'],
      );
      const b = await service.businessLines(all);
      assert.deepEqual(
        b.items.map((i) => [i.businessLine, i.calls, i.avgScore, i.hitRate, i.fatalCalls]),
        [
          ['电商', 3, 80, 1, 0],
          ['金融', 2, 70, 0.5, 1],
        ],
      );
    });

    it('emotion per day and topics with their trend', async () => {
      const e = await service.emotion(all);
      assert.deepEqual(e.totals, { positive: 2, neutral: 1, negative: 2, avgSentiment: -0.06 });
      assert.deepEqual(e.trend[0], { bucket: '2025-09-15', positive: 1, neutral: 0, negative: 1, avgSentiment: 0.05 });
      assert.deepEqual(e.trend[1], { bucket: '2025-09-16', positive: 0, neutral: 1, negative: 1, avgSentiment: -0.4 });
      assert.deepEqual(e.trend[2], { bucket: '2025-09-17', positive: 0, neutral: 0, negative: 0, avgSentiment: null });
      const t = await service.topics(weeks, 10);
      assert.deepEqual(t.items, [
        { topic: 'delay', name: 'delay', calls: 2 },
        { topic: 'refund', name: '退款退货', calls: 2 },
      ]);
      assert.deepEqual(t.trend, [
        { bucket: '2025-09-15', topic: 'delay', calls: 2 },
        { bucket: '2025-09-15', topic: 'refund', calls: 2 },
        { bucket: '2025-09-22', topic: 'delay', calls: 0 },
        { bucket: '2025-09-22', topic: 'refund', calls: 0 },
        { bucket: '2025-09-29', topic: 'delay', calls: 0 },
        { bucket: '2025-09-29', topic: 'refund', calls: 0 },
      ]);
    });

    it('data scopes limit every number: an agent, teams, an inspector (business lines + assigned calls)', async () => {
      const asAgent = await service.overview({ filters: { scope: { agentIds: ['A2'] } }, granularity: 'day' });
      assert.deepEqual([asAgent.calls, asAgent.avgScore, asAgent.fatalCalls], [2, 70, 1]);
      const agentRanking = await service.agents({ filters: { scope: { agentIds: ['A2'] } }, granularity: 'day' }, { limit: 50, order: 'avgScore', direction: 'desc' });
      assert.deepEqual(
        agentRanking.items.map((i) => i.agentId),
        ['A2'],
      );
      const team = await service.overview({ filters: { scope: { teamIds: ['T1'] } }, granularity: 'day' });
      assert.deepEqual([team.calls, team.avgScore], [4, 80]);
      const inspector = { inspector: { userId: inspectorId, businessLines: ['金融'] } };
      const insp = await service.rules({ filters: { scope: inspector }, granularity: 'day' }, 10);
      assert.equal(insp.inspectedCalls, 3, 'c3, c4 (金融) and c1 (assigned)');
      assert.deepEqual(
        insp.items.map((i) => [i.ruleId, i.calls, i.hits]),
        [['svc.forbid', 2, 5]],
      );
      const none = await service.overview({ filters: { scope: { agentIds: [] } }, granularity: 'day' });
      assert.deepEqual([none.calls, none.trend.length, none.avgScore], [0, 0, null]);
    });

    it("an agent's page: KPIs, trend, deductions with the latest moments from the inspections' evidence; outside the scope: null", async () => {
      const p = await service.agent(weeks, 'A1', { deductions: 10 });
      assert.ok(p);
      assert.deepEqual(
        { calls: p.calls, avgScore: p.avgScore, hitRate: p.hitRate, teamId: p.teamId },
        { calls: 3, avgScore: 80, hitRate: 1, teamId: 'T1' },
      );
      assert.deepEqual(p.trend, [
        { bucket: '2025-09-15', calls: 2, avgScore: 80, hitRate: 1 },
        { bucket: '2025-09-22', calls: 0, avgScore: null, hitRate: null },
        { bucket: '2025-09-29', calls: 1, avgScore: null, hitRate: 1 },
      ]);
      assert.deepEqual(
        p.deductions.map((d) => [d.ruleId, d.ruleName, d.calls, d.hits]),
        [
          ['svc.forbid', '服务禁语', 2, 3],
          ['svc.greet', '问候', 1, 1],
          ['svc.slow', '语速', 1, 1],
        ],
      );
      assert.deepEqual(p.deductions[0]!.moments, [
        { callId: id.c2, at: '2025-09-15T15:30:00.000Z', startMs: 7000, endMs: 9000, quote: '我不知道，电话13800138000 (svc.forbid)' },
        { callId: id.c1, at: '2025-09-15T01:00:00.000Z', startMs: 5000, endMs: 7000, quote: '我不知道，电话13800138000 (svc.forbid)' },
      ]);
      assert.deepEqual(
        p.deductions[1]!.moments.map((m) => m.callId),
        [id.c6],
      );
      assert.deepEqual(p.deductions[2]!.moments, [{ callId: id.c2, at: '2025-09-15T15:30:00.000Z', startMs: 0, endMs: 0, quote: '没有提示语速' }], 'a hit without evidence: its reason');

      assert.equal(await service.agent({ filters: { scope: { agentIds: ['A1'] } }, granularity: 'day' }, 'A2', { deductions: 10, ownAgentId: 'A1' }), null);
      assert.equal(await service.agent(all, 'nobody', { deductions: 10 }), null);
      const own = await service.agent({ filters: { scope: { agentIds: ['A9'] } }, granularity: 'day' }, 'A9', { deductions: 10, ownAgentId: 'A9' });
      assert.deepEqual([own?.calls, own?.deductions], [0, []], "an agent's own page without calls is empty, not missing");
      const inspector = await service.agent({ filters: { scope: { inspector: { userId: inspectorId, businessLines: ['金融'] } } }, granularity: 'day' }, 'A1', { deductions: 10 });
      assert.deepEqual(
        [inspector?.calls, inspector?.deductions.map((d) => d.moments.map((m) => m.callId))],
        [1, [[id.c1]]],
        'only the assigned call',
      );
    });
  });
}
