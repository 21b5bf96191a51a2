import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Call } from '../../src/domain/call.js';
import type { SentimentLabel } from '../../src/domain/text-analysis.js';
import type { CallListFilter, CallListInspection, CallListOptions, CallListSort, Database, SearchFilters, StoredInspection } from '../../src/ports/repositories.js';
import { indexTokens, parseQuery } from '../../src/search/search-tokens.js';
import { storedCall } from '../support/factories.js';

interface Seeded {
  call: Call;
  inspection: CallListInspection | null;
  ruleIds: string[];
  analysis: { customerSentiment: number | null; sentimentLabel: SentimentLabel | null; topics: string[] } | null;
}

const inspectionOf = (version: number, rules: string[], score: { percent: number | null; band: string | null; fatal?: boolean } | null): StoredInspection => ({
  ruleSetVersion: version,
  ruleSetHash: 'h'.repeat(64),
  results: ['r.a', 'r.b', 'r.c'].map((ruleId) => ({
    ruleId,
    ruleName: ruleId,
    outcome: rules.includes(ruleId) ? ('hit' as const) : ('pass' as const),
    severity: 'normal' as const,
    hits: rules.includes(ruleId) ? 2 : 0,
    evidence: [],
  })),
  score: score && { scorecardId: 's', scorecardName: '评分表', total: 0, max: 100, percent: score.percent, band: score.band, fatal: score.fatal ?? false, pendingManual: 0, categories: [], items: [] },
});

/**
 * The console's calls list on every database: filters on the call, its latest inspection (the
 * highest rule set version, never an older one) and its text analysis; sorts by time, duration
 * and score with calls lacking a value last in both orders; offset pages; the total; cursors only
 * in the default order.
 */
export function callListContract(name: string, open: () => Promise<{ db: Database; cleanup: () => Promise<void> }>): void {
  describe(`calls list contract: ${name}`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    const team = `team-list-${Math.random().toString(36).slice(2)}`;
    const base = Date.UTC(2033, 0, 1);
    const seeded: Seeded[] = [];

    before(async () => {
      ({ db, cleanup } = await open());
      await db.migrate();
      const version = async () => {
        const v = await db.repos.ruleSets.append({ rules: [] }, { sha256: Math.random().toString(16).slice(2).padEnd(64, '0'), createdAt: 1 });
        await db.repos.ruleSets.publish(v, 2);
        return v;
      };
      const v1 = await version();
      const v2 = await version();
      const labels: SentimentLabel[] = ['positive', 'neutral', 'negative'];
      for (let i = 0; i < 24; i++) {
        // Two calls at each time (ties broken by id); a few without a duration; every 6th still processing.
        const call = storedCall({
          id: `${team}-${String(i).padStart(2, '0')}`,
          teamId: team,
          agentId: i % 4 === 0 ? 'A-own' : 'A-other',
          startedAt: base + Math.floor(i / 2) * 60_000,
          durationMs: i % 7 === 3 ? null : ((i * 37) % 11) * 10_000,
          status: i % 6 === 5 ? 'processing' : 'done',
        });
        await db.repos.calls.insert(call);
        const row: Seeded = { call, inspection: null, ruleIds: [], analysis: null };
        seeded.push(row);
        if (call.status !== 'done') continue;
        // v1 for every done call; v2 for every other one, with other rules and another score.
        const percent = i % 5 === 4 ? null : (i * 13) % 100;
        const first = inspectionOf(v1, ['r.a'], { percent: 99, band: '优秀', fatal: true });
        await db.repos.inspections.save(call.id, first, 1);
        const latest = i % 2 === 0 ? inspectionOf(v2, i % 3 === 0 ? ['r.b', 'r.c'] : [], { percent, band: percent === null ? null : percent >= 50 ? '良好' : '较差', fatal: i % 8 === 0 }) : first;
        if (latest !== first) await db.repos.inspections.save(call.id, latest, 2);
        const rules = latest.results.filter((r) => r.outcome === 'hit').map((r) => r.ruleId);
        row.inspection = { ruleSetVersion: latest.ruleSetVersion, scorePercent: latest.score?.percent ?? null, band: latest.score?.band ?? null, hits: rules.length, fatal: latest.score?.fatal === true };
        row.ruleIds = rules;
        if (i % 10 === 9) continue; // done, but not indexed yet
        row.analysis = { customerSentiment: i % 3 === 1 ? null : (i % 3) - 1, sentimentLabel: i % 3 === 1 ? null : labels[i % 3]!, topics: [`topic-${i % 4}`, ...(i % 3 === 0 ? ['topic-x'] : [])] };
        await db.repos.search.upsert({
          callId: call.id,
          externalId: call.externalId,
          at: call.startedAt!,
          agentId: call.agentId,
          teamId: call.teamId,
          businessLine: call.businessLine,
          channel: call.channel,
          ruleSetVersion: latest.ruleSetVersion,
          scorePercent: row.inspection.scorePercent,
          ruleIds: rules,
          customerSentiment: row.analysis.customerSentiment,
          sentimentLabel: row.analysis.sentimentLabel,
          topics: row.analysis.topics,
          tokens: indexTokens(['我要投诉，快递太慢了。']),
        });
      }
      // Another team's call never shows up in a list filtered by team.
      await db.repos.calls.insert(storedCall({ teamId: `${team}-other`, startedAt: base }));
    });
    after(async () => {
      await db.close();
      await cleanup();
    });

    const desc = (a: number, b: number) => b - a;
    const keyOf: Record<CallListSort, (s: Seeded) => number | null> = {
      startedAt: (s) => s.call.startedAt,
      duration: (s) => s.call.durationMs,
      score: (s) => s.inspection?.scorePercent ?? null,
    };
    /** What the repository must answer, computed here: nulls last, then time and id in the same order. */
    function expected(match: (s: Seeded) => boolean, sort: CallListSort, order: 'asc' | 'desc'): string[] {
      const sign = order === 'desc' ? 1 : -1;
      return seeded
        .filter(match)
        .sort((a, b) => {
          const [ka, kb] = [keyOf[sort](a), keyOf[sort](b)];
          if (ka === null || kb === null) return (ka === null ? 1 : 0) - (kb === null ? 1 : 0) || sign * (desc(a.call.startedAt!, b.call.startedAt!) || (a.call.id < b.call.id ? 1 : -1));
          return sign * (desc(ka, kb) || desc(a.call.startedAt!, b.call.startedAt!) || (a.call.id < b.call.id ? 1 : -1));
        })
        .map((s) => s.call.id);
    }

    /** Every page by offset, pages of 5. */
    async function allPages(filter: CallListFilter, o: Omit<CallListOptions, 'limit'>) {
      const ids: string[] = [];
      let total = -1;
      for (let offset = 0; offset < 100; offset += 5) {
        const page = await db.repos.calls.browse({ teamId: team, ...filter }, { ...o, limit: 5, offset });
        if (total >= 0) assert.equal(page.total, total, 'the same total on every page');
        total = page.total;
        ids.push(...page.items.map((r) => r.call.id));
        if (page.items.length < 5) break;
      }
      return { ids, total };
    }

    const cases: Array<[string, CallListFilter, (s: Seeded) => boolean]> = [
      ['everything', {}, () => true],
      ['score 30–70', { minScore: 30, maxScore: 70 }, (s) => s.inspection?.scorePercent != null && s.inspection.scorePercent >= 30 && s.inspection.scorePercent <= 70],
      ['band', { band: '较差' }, (s) => s.inspection?.band === '较差'],
      ['rule hit in the latest inspection only', { ruleId: 'r.a' }, (s) => s.ruleIds.includes('r.a')],
      ['rule r.c', { ruleId: 'r.c' }, (s) => s.ruleIds.includes('r.c')],
      ['fatal', { fatal: true }, (s) => s.inspection?.fatal === true],
      ['not fatal', { fatal: false }, (s) => s.inspection?.fatal === false],
      ['sentiment', { sentiment: 'negative' }, (s) => s.analysis?.sentimentLabel === 'negative'],
      ['topic', { topicId: 'topic-x' }, (s) => s.analysis?.topics.includes('topic-x') === true],
      ['duration 20–60 s', { minDurationMs: 20_000, maxDurationMs: 60_000 }, (s) => s.call.durationMs !== null && s.call.durationMs >= 20_000 && s.call.durationMs <= 60_000],
      ['status and agent', { status: 'done', agentId: 'A-own' }, (s) => s.call.status === 'done' && s.call.agentId === 'A-own'],
      ['agent scope', { scope: { agentIds: ['A-own'] } }, (s) => s.call.agentId === 'A-own'],
      ['all at once', { minScore: 1, ruleId: 'r.b', topicId: 'topic-x', minDurationMs: 1 }, (s) => (s.inspection?.scorePercent ?? 0) >= 1 && s.ruleIds.includes('r.b') && s.analysis?.topics.includes('topic-x') === true && (s.call.durationMs ?? 0) >= 1],
      ['nothing', { band: 'no such band' }, () => false],
    ];

    it('filters, sorts (missing values last in both orders) and counts every case, page by page', async () => {
      for (const [label, filter, match] of cases) {
        const some = seeded.filter(match).length;
        if (label !== 'everything' && label !== 'nothing') assert.ok(some > 0 && some < seeded.length, `${label}: the seed makes the filter pick some calls, not all`);
        for (const sort of ['startedAt', 'duration', 'score'] as const) {
          for (const order of ['desc', 'asc'] as const) {
            const got = await allPages(filter, { sort, order });
            const want = expected(match, sort, order);
            assert.deepEqual(got.ids, want, `${label}, ${sort} ${order}`);
            assert.equal(got.total, want.length, `${label}: total`);
          }
        }
      }
    });

    it('search applies every one of these filters too, with and without words: the indexed calls the list shows', async () => {
      for (const [label, filter, match] of cases) {
        const { topicId, ...same } = filter;
        const searchFilter: SearchFilters = { teamId: team, ...same, ...(topicId !== undefined ? { topic: topicId } : {}) };
        const want = seeded.filter((s) => s.analysis !== null && match(s)).map((s) => s.call.id).sort();
        // Filters only, and with words (each database's text plan then checks the filters).
        for (const q of ['', '投诉']) {
          const found = await db.repos.search.search({ terms: parseQuery(q) }, searchFilter, { limit: 100, offset: 0 });
          assert.deepEqual(found.items.map((i) => i.callId).sort(), want, `${label} (q=${q})`);
          assert.equal(found.total, want.length, `${label} (q=${q}): total`);
        }
      }
    });

    it('each call comes with its latest inspection and its text analysis; none before they exist', async () => {
      const page = await db.repos.calls.browse({ teamId: team }, { limit: 100, sort: 'startedAt', order: 'asc' });
      assert.equal(page.items.length, seeded.length);
      for (const item of page.items) {
        const s = seeded.find((x) => x.call.id === item.call.id)!;
        assert.deepEqual(item.call, s.call, 'the whole call, as get() reads it');
        assert.deepEqual(item.inspection, s.inspection, `inspection of ${s.call.id}`);
        assert.deepEqual(item.analysis, s.analysis, `analysis of ${s.call.id}`);
      }
      assert.ok(page.items.some((r) => r.inspection?.ruleSetVersion !== page.items[0]!.inspection?.ruleSetVersion), 'calls with either version');
      assert.ok(page.items.some((r) => r.inspection === null) && page.items.some((r) => r.inspection !== null && r.analysis === null));
    });

    it('pages by cursor in the default order only, and refuses a cursor with another sort', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await db.repos.calls.browse({ teamId: team }, { limit: 7, sort: 'startedAt', order: 'desc', cursor });
        assert.equal(page.total, seeded.length);
        seen.push(...page.items.map((r) => r.call.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(seen, expected(() => true, 'startedAt', 'desc'));
      const first = await db.repos.calls.browse({ teamId: team }, { limit: 7, sort: 'startedAt', order: 'desc' });
      assert.ok(first.nextCursor);
      const other = await db.repos.calls.browse({ teamId: team }, { limit: 7, sort: 'score', order: 'desc' });
      assert.equal(other.nextCursor, null, 'no cursor for another sort: page with offset');
      for (const [sort, order] of [['score', 'desc'], ['startedAt', 'asc']] as const) {
        await assert.rejects(db.repos.calls.browse({ teamId: team }, { limit: 7, sort, order, cursor: first.nextCursor }), (e: { code?: string; message?: string }) => e.code === 'INVALID_REQUEST' && /cursor/.test(e.message ?? ''));
      }
      await assert.rejects(db.repos.calls.browse({}, { limit: 7, sort: 'startedAt', order: 'desc', cursor: 'not-a-cursor' }), (e: { code?: string }) => e.code === 'INVALID_REQUEST');
    });
  });
}
