import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Call } from '../../src/domain/call.js';
import { SEARCH_TOTAL_CAP, type Database, type SearchDoc, type SearchFilters } from '../../src/ports/repositories.js';
import { indexTokens, parseQuery } from '../../src/search/search-tokens.js';
import { storedCall } from '../support/factories.js';

/**
 * The search index contract: SQLite (FTS5) and PostgreSQL (tsvector) must find the same calls,
 * in the same order, with the same totals. Each test works in its own year, and most searches
 * pass that year as the time range: a range is also how FTS5 narrows its walk, so the plain
 * text plan is what they exercise; the indexed filters (agent, rule, topic …) take the other one.
 */
export function searchIndexContract(name: string, open: () => Promise<SearchContractDatabase>): void {
  describe(`search index contract: ${name}`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    let deleteCall: (callId: string) => Promise<void>;
    let analyze: () => Promise<void>;
    before(async () => {
      ({ db, cleanup, deleteCall, analyze } = await open());
      await db.migrate();
    });
    after(async () => {
      await db.close();
      await cleanup();
    });

    let year = 2000;
    /** A year no other test uses: its calls, and the filter that keeps a search to them. */
    const window = () => {
      const from = Date.UTC(++year, 0, 1);
      return { from, to: Date.UTC(year + 1, 0, 1) };
    };

    type DocInput = Partial<Omit<SearchDoc, 'callId' | 'tokens'>> & { text?: string[]; call?: Partial<Call> };
    const docOf = (call: Call, d: DocInput): SearchDoc => ({
      callId: call.id,
      externalId: call.externalId,
      at: d.at ?? call.startedAt ?? call.createdAt,
      agentId: d.agentId !== undefined ? d.agentId : call.agentId,
      teamId: d.teamId !== undefined ? d.teamId : call.teamId,
      businessLine: d.businessLine !== undefined ? d.businessLine : call.businessLine,
      channel: d.channel ?? call.channel,
      ruleSetVersion: d.ruleSetVersion ?? null,
      scorePercent: d.scorePercent ?? null,
      ruleIds: d.ruleIds ?? [],
      customerSentiment: d.customerSentiment ?? null,
      sentimentLabel: d.sentimentLabel ?? null,
      topics: d.topics ?? [],
      tokens: indexTokens(d.text ?? []),
    });

    /** Store calls and index them (one upsertMany), in order; returns their ids. */
    async function index(at: number, docs: DocInput[], opts: { stepMs?: number } = {}): Promise<string[]> {
      const calls = docs.map((d, i) => storedCall({ startedAt: at + i * (opts.stepMs ?? 1000), ...d.call }));
      for (const c of calls) await db.repos.calls.insert(c);
      await db.repos.search.upsertMany(calls.map((c, i) => docOf(c, docs[i]!)));
      return calls.map((c) => c.id);
    }

    async function find(q: string, filters: SearchFilters, page = { limit: 100, offset: 0 }) {
      const r = await db.repos.search.search({ terms: parseQuery(q) }, filters, page);
      return { ...r, ids: r.items.map((i) => i.callId) };
    }
    const ids = async (q: string, filters: SearchFilters) => (await find(q, filters)).ids;

    it('finds two-character words (one token each), newest first, and only where they are', async () => {
      const w = window();
      const [a, b, c] = await index(w.from, [
        { text: ['您好，请问有什么可以帮您？', '我想退货，面膜过敏了。'] },
        { text: ['我要投诉你们的快递员。'] },
        { text: ['退货的话需要先申请。', '好的，我要投诉。'] },
      ]);
      assert.deepEqual(await ids('退货', w), [c, a]);
      assert.deepEqual(await ids('投诉', w), [c, b]);
      assert.deepEqual(await ids('快递', w), [b]);
      assert.deepEqual(await ids('保险', w), []);
    });

    it('a longer word or phrase is an exact substring: its bigrams in a row, never across a sentence or punctuation', async () => {
      const w = window();
      const [whole, apart, across, punct, chain] = await index(w.from, [
        { text: ['我们支持七天无理由退货政策的。'] },
        { text: ['退货要看政策。'] },
        { text: ['我想退货', '政策是什么'] },
        { text: ['我想退货，政策是什么'] },
        { text: ['退货，货政部门'] },
      ]);
      assert.deepEqual(await ids('退货政策', w), [whole]);
      assert.deepEqual(await ids('七天无理由退货', w), [whole]);
      assert.deepEqual(await ids('无理由退货政策的', w), [whole]);
      assert.deepEqual(await ids('退货政', w), [whole], '退货，货政 must not read as 退货政');
      assert.deepEqual(await ids('退货', w), [chain, punct, across, apart, whole]);
      // A term typed with punctuation matches across that punctuation, still not across sentences.
      assert.deepEqual(await ids('退货，政策', w), [punct]);
      assert.deepEqual(await ids('货政部门', w), [chain]);
    });

    it('normalises text and query alike: traditional, full width and case', async () => {
      const w = window();
      const [simplified, traditional] = await index(w.from, [{ text: ['这个退货政策我不满意。'] }, { text: ['這個退貨政策我不滿意，ＶＩＰ客戶。'] }]);
      assert.deepEqual(await ids('退貨政策', w), [traditional, simplified]);
      assert.deepEqual(await ids('退货', w), [traditional, simplified]);
      assert.deepEqual(await ids('vip客户', w), [traditional]);
      assert.deepEqual(await ids('ＶＩＰ', w), [traditional]);
    });

    it('Latin words and digits match whole words; several terms must all occur', async () => {
      const w = window();
      const [vip, order, both] = await index(w.from, [
        { text: ['您是我们的VIP会员。'] },
        { text: ['您的订单号12345已经发货了。'] },
        { text: ['VIP客户的订单号是 123456。', '已经退货了'] },
      ]);
      assert.deepEqual(await ids('VIP', w), [both, vip]);
      assert.deepEqual(await ids('vip', w), [both, vip]);
      assert.deepEqual(await ids('订单号 12345', w), [order]);
      assert.deepEqual(await ids('12345', w), [order], '12345 is not 123456');
      assert.deepEqual(await ids('订单号12345', w), [order]);
      assert.deepEqual(await ids('订单号', w), [both, order]);
      assert.deepEqual(await ids('VIP 退货', w), [both]);
      assert.deepEqual(await ids('退货 VIP 订单', w), [both]);
      assert.deepEqual(await ids('VIP 快递', w), []);
      const [accents] = await index(w.from + 10_000, [{ text: ['Ärger im Café, ÄRGER!'] }]);
      assert.deepEqual(await ids('ärger', w), [accents], 'lower case beyond ASCII, on both databases');
      assert.deepEqual(await ids('café', w), [accents]);
      assert.deepEqual(await ids('cafe', w), [], 'diacritics are kept');
    });

    it('filters: time range to the millisecond, agent, team, business line, channel', async () => {
      const w = window();
      const t0 = w.from + 5000;
      const [x, y, z, edge] = await index(
        w.from,
        [
          { text: ['我要退货'], call: { startedAt: t0 + 100, agentId: 'A-1', teamId: 'T-1', businessLine: '电商' } },
          { text: ['我要退货'], call: { startedAt: t0 + 200, agentId: 'A-2', teamId: 'T-1', businessLine: '物流', channel: 'chat' } },
          { text: ['我要退货'], call: { startedAt: t0 + 2500, agentId: 'A-1', teamId: 'T-2', businessLine: '电商' } },
          { text: ['我要退货'], call: { startedAt: t0 + 2999, agentId: 'A-3', teamId: 'T-2', businessLine: '电商' } },
        ],
      );
      assert.deepEqual(await ids('退货', { from: t0 + 150, to: t0 + 2999 }), [z, y], 'from inclusive, to exclusive, inside one second too');
      assert.deepEqual(await ids('退货', { from: t0 + 200, to: t0 + 3000 }), [edge, z, y]);
      assert.deepEqual(await ids('退货', { ...w, agentId: 'A-1' }), [z, x]);
      assert.deepEqual(await ids('退货', { ...w, teamId: 'T-2' }), [edge, z]);
      assert.deepEqual(await ids('退货', { ...w, businessLine: '物流' }), [y]);
      assert.deepEqual(await ids('退货', { ...w, channel: 'chat' }), [y]);
      assert.deepEqual(await ids('退货', { ...w, channel: 'phone', businessLine: '电商', agentId: 'A-1', from: t0 + 1000 }), [z]);
      assert.deepEqual(await ids('退货', { agentId: 'A-1', from: t0, to: t0 + 1000 }), [x], 'an indexed filter with a time range');
    });

    it('filters: score range, rule that hit, topic, sentiment label and customer sentiment', async () => {
      const w = window();
      const [low, mid, high, none] = await index(w.from, [
        { text: ['我要投诉'], scorePercent: 40, ruleIds: ['svc.rude', 'svc.greeting'], topics: ['complaint'], customerSentiment: -0.8, sentimentLabel: 'negative', ruleSetVersion: 1 },
        { text: ['我要投诉'], scorePercent: 75.5, ruleIds: ['svc.greeting'], topics: ['complaint', 'logistics-delay'], customerSentiment: 0, sentimentLabel: 'neutral', ruleSetVersion: 1 },
        { text: ['我要投诉'], scorePercent: 100, topics: ['refund-return'], customerSentiment: 0.6, sentimentLabel: 'positive', ruleSetVersion: 1 },
        { text: ['我要投诉'] },
      ]);
      assert.deepEqual(await ids('投诉', { ...w, minScore: 50 }), [high, mid]);
      assert.deepEqual(await ids('投诉', { ...w, maxScore: 75.5 }), [mid, low]);
      assert.deepEqual(await ids('投诉', { ...w, minScore: 40, maxScore: 80 }), [mid, low]);
      assert.deepEqual(await ids('投诉', { ...w, ruleId: 'svc.greeting' }), [mid, low]);
      assert.deepEqual(await ids('投诉', { ...w, ruleId: 'svc.rude' }), [low]);
      assert.deepEqual(await ids('投诉', { ruleId: 'svc.rude', from: w.from + 1000, to: w.to }), [], 'rule and time range');
      assert.deepEqual(await ids('投诉', { ...w, topic: 'complaint' }), [mid, low]);
      assert.deepEqual(await ids('投诉', { ...w, topic: 'refund-return' }), [high]);
      assert.deepEqual(await ids('投诉', { ...w, sentiment: 'negative' }), [low]);
      assert.deepEqual(await ids('投诉', { ...w, maxSentiment: 0 }), [mid, low]);
      assert.deepEqual(await ids('投诉', { ...w, topic: 'complaint', ruleId: 'svc.rude', maxScore: 50 }), [low]);
      assert.deepEqual(await ids('投诉', w), [none, high, mid, low]);
      const [hit] = (await find('投诉', { ...w, topic: 'logistics-delay' })).items;
      assert.deepEqual(hit, {
        callId: mid,
        externalId: hit!.externalId,
        at: w.from + 1000,
        agentId: 'A1001',
        teamId: 'T1',
        businessLine: '电商客服',
        channel: 'phone',
        scorePercent: 75.5,
        customerSentiment: 0,
        sentimentLabel: 'neutral',
        topics: ['complaint', 'logistics-delay'],
      });
    });

    it('filters alone (no text) list calls newest first; a call without transcript is found by them only', async () => {
      const w = window();
      const [a, silent, c] = await index(w.from, [{ text: ['喂'], call: { agentId: 'A-nt' } }, { call: { agentId: 'A-nt' } }, { text: ['您好'], call: { agentId: 'A-other' } }]);
      const all = await db.repos.search.search({ terms: [] }, w, { limit: 10, offset: 0 });
      assert.deepEqual(all.items.map((i) => i.callId), [c, silent, a]);
      assert.deepEqual([all.total, all.totalCapped], [3, false]);
      assert.deepEqual((await db.repos.search.search({ terms: [] }, { ...w, agentId: 'A-nt' }, { limit: 10, offset: 0 })).items.map((i) => i.callId), [silent, a]);
      assert.deepEqual(await ids('您好', w), [c]);
    });

    it('orders by call time to the second, then the one indexed last; pages by offset', async () => {
      const w = window();
      // Indexed out of time order; two calls in one second.
      const [late, early, sameSecondFirst] = await index(w.from, [
        { text: ['退货'], call: { startedAt: w.from + 60_000 } },
        { text: ['退货'], call: { startedAt: w.from + 1000 } },
        { text: ['退货'], call: { startedAt: w.from + 30_900 } },
      ]);
      const [sameSecondSecond] = await index(w.from, [{ text: ['退货'], call: { startedAt: w.from + 30_100 } }]);
      const [noStart] = await index(w.from, [{ text: ['退货'], call: { startedAt: null, createdAt: w.from + 45_000 } }]);
      const order = [late, noStart, sameSecondSecond, sameSecondFirst, early];
      assert.deepEqual(await ids('退货', w), order, 'a call without startedAt is placed at the time it was accepted');
      const page2 = await find('退货', w, { limit: 2, offset: 2 });
      assert.deepEqual(page2.ids, order.slice(2, 4));
      assert.equal(page2.total, 5);
      assert.deepEqual((await find('退货', w, { limit: 2, offset: 4 })).ids, order.slice(4));
      assert.deepEqual((await find('退货', w, { limit: 2, offset: 6 })).ids, []);
    });

    it('re-indexing replaces a document; a new time moves it; re-inspection updates score and rules unless older', async () => {
      const w = window();
      const [id] = await index(w.from, [{ text: ['我要退货'], scorePercent: 50, ruleIds: ['a.x'], ruleSetVersion: 2, topics: ['refund-return'] }]);
      const call = (await db.repos.calls.get(id!))!;
      await db.repos.search.upsert(docOf(call, { text: ['我要投诉'], scorePercent: 50, ruleIds: ['a.x'], ruleSetVersion: 2, topics: ['complaint'] }));
      assert.deepEqual(await ids('退货', w), []);
      assert.deepEqual(await ids('投诉', { ...w, topic: 'complaint' }), [id]);
      assert.deepEqual(await ids('投诉', { ...w, topic: 'refund-return' }), []);

      await db.repos.search.updateInspections([{ callId: id!, ruleSetVersion: 3, scorePercent: 90, ruleIds: ['a.y'] }]);
      assert.deepEqual(await ids('投诉', { ...w, ruleId: 'a.y', minScore: 90 }), [id]);
      assert.deepEqual(await ids('投诉', { ...w, ruleId: 'a.x' }), []);
      // Re-inspecting with an earlier version stores its results, but they are not the latest.
      await db.repos.search.updateInspections([{ callId: id!, ruleSetVersion: 1, scorePercent: 10, ruleIds: ['a.z'] }]);
      assert.deepEqual(await ids('投诉', { ...w, ruleId: 'a.y', minScore: 90 }), [id]);
      await db.repos.search.updateInspections([{ callId: id!, ruleSetVersion: 3, scorePercent: null, ruleIds: [] }, { callId: 'no-such-call', ruleSetVersion: 3, scorePercent: 1, ruleIds: ['a.y'] }]);
      assert.deepEqual(await ids('投诉', { ...w, ruleId: 'a.y' }), []);
      assert.deepEqual(await ids('投诉', { ...w, maxScore: 100 }), [], 'no score: outside any score range');

      // Its time corrected into another second: the document moves and stays findable once.
      await db.repos.search.upsert(docOf(call, { at: w.from + 90_000, text: ['我要投诉'] }));
      const [other] = await index(w.from + 60_000, [{ text: ['我要投诉'] }]);
      assert.deepEqual(await ids('投诉', w), [id, other]);
      assert.deepEqual(await ids('投诉', { from: w.from, to: w.from + 90_000 }), [other]);
    });

    it('removes a document, also when its call is deleted', async () => {
      const w = window();
      const [a, b, c] = await index(w.from, [{ text: ['我要退货'] }, { text: ['我要退货'] }, { text: ['我要退货'] }]);
      await db.repos.search.remove(a!);
      await db.repos.search.remove('no-such-call');
      assert.deepEqual(await ids('退货', w), [c, b]);
      assert.equal((await find('退货', w)).total, 2);
      // Deleting the call (nothing in the product does yet) takes its document and text with it.
      await deleteCall(b!);
      assert.deepEqual(await ids('退货', w), [c]);
      // The freed key is given again: the old text must not come back with the new document.
      const [d] = await index(w.from + 1000, [{ text: ['我要投诉'] }]);
      assert.deepEqual(await ids('退货', w), [c]);
      assert.deepEqual(await ids('投诉', w), [d]);
    });

    it('caps totals: exact up to the cap, then capped; both plans give the same answer', async () => {
      const w = window();
      const n = 6000;
      const docs = Array.from({ length: n }, (_, i) => ({
        text: [i % 1000 === 7 ? '我要投诉你们' : '您好，请问有什么可以帮您', i % 3 === 0 ? '订单已经发货了' : '好的谢谢'],
        call: { agentId: i % 2000 === 7 ? 'A-small' : 'A-big', startedAt: w.from + i * 1000 },
        businessLine: '大业务线',
        scorePercent: i % 100,
        // A rule in more calls than SQLite checks one by one (its hits are walked instead), and a rare one.
        ruleIds: i % 2 === 0 ? ['r.common'] : i % 1000 === 7 ? ['r.rare'] : [],
      }));
      const ids6000 = await index(w.from, docs);
      const common = await find('您好', w, { limit: 20, offset: 0 });
      assert.deepEqual([common.total, common.totalCapped, common.items.length], [SEARCH_TOTAL_CAP, true, 20]);
      // With statistics, PostgreSQL knows 您好 is in nearly every call and walks the newest ones.
      await analyze();
      const walked = await find('您好', w, { limit: 20, offset: 40 });
      assert.deepEqual([walked.total, walked.totalCapped, walked.ids], [SEARCH_TOTAL_CAP, true, ids6000.filter((_, i) => i % 1000 !== 7).reverse().slice(40, 60)]);
      const rare = await find('投诉', w);
      assert.deepEqual([rare.total, rare.totalCapped], [6, false]);
      assert.equal(rare.items[0]!.at, w.from + 5007 * 1000);
      const wide = await find('发货', { ...w, businessLine: '大业务线', minScore: 90 });
      assert.deepEqual([wide.total, wide.totalCapped], [n / 3 / 10, false]);
      const commonRule = await find('发货', { ...w, ruleId: 'r.common', maxScore: 9 });
      assert.deepEqual([commonRule.total, commonRule.totalCapped], [n / 6 / 10, false]);
      assert.deepEqual((await find('您好', { ...w, ruleId: 'r.common' }, { limit: 1, offset: 0 })).totalCapped, true);
      assert.deepEqual((await find('投诉', { ...w, ruleId: 'r.rare' })).total, 6);
      // A common word and a rare rule: SQLite looks each of the rule's calls up in FTS5.
      assert.deepEqual((await find('谢谢', { ...w, ruleId: 'r.rare' })).ids.length, 4);
      assert.deepEqual((await find('投诉', { ...w, ruleId: 'r.common' })).total, 0);
      const narrow = await find('投诉', { ...w, agentId: 'A-small' });
      assert.deepEqual([narrow.total, narrow.totalCapped], [3, false]);
      assert.deepEqual(await ids('您好', { ...w, agentId: 'A-small' }), []);
      const big = await find('您好', { ...w, agentId: 'A-big' }, { limit: 5, offset: 995 });
      assert.deepEqual([big.total, big.totalCapped, big.items.length], [SEARCH_TOTAL_CAP, true, 5]);
      const filtersOnly = await db.repos.search.search({ terms: [] }, { ...w, businessLine: '大业务线' }, { limit: 1, offset: 0 });
      assert.deepEqual([filtersOnly.total, filtersOnly.totalCapped], [SEARCH_TOTAL_CAP, true]);
    });
  });
}

export interface SearchContractDatabase {
  db: Database;
  cleanup: () => Promise<void>;
  /** Deletes a call row over a connection of its own (the product deletes no calls yet; the cascade is what is tested). */
  deleteCall: (callId: string) => Promise<void>;
  /** Gathers the planner's statistics, as autovacuum would after a bulk load. */
  analyze: () => Promise<void>;
}
