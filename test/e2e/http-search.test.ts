import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { transcriptInput } from '../support/factories.js';
import { json, startHttpServer, type ErrorBody } from '../support/http-harness.js';

// Search over real HTTP: transcript-only calls go through the whole pipeline (the index stage
// writes their documents), then GET /api/v1/search finds them by words and filters, with the
// sentences that say it; a re-inspection changes which calls a rule filter finds. Setup is
// awaited before any test is declared (see http-harness.ts).

const api = await startHttpServer();
after(() => api.close());

interface Snippet {
  index: number;
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
  highlights: Array<{ start: number; end: number }>;
}
interface Item {
  callId: string;
  externalId: string | null;
  at: string;
  agentId: string | null;
  businessLine: string | null;
  scorePercent: number | null;
  matchedSegments: number;
  snippets: Snippet[];
}
interface Results {
  items: Item[];
  total: number;
  totalCapped: boolean;
  terms: string[];
  limit: number;
  offset: number;
}

async function post<T>(route: string, body: unknown): Promise<{ res: Response; body: T }> {
  const res = await api.fetch(`${api.base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { res, body: await json<T>(res) };
}

async function search(query: Record<string, string>): Promise<Results> {
  const { res, body } = await api.get<Results>(`/api/v1/search?${new URLSearchParams(query)}`);
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

/** A violation when the customer says these words (v1: 退货, v2: 投诉): 0 points when it hits, else 100. */
const module = (words: string[]) => ({
  module: 'svc',
  name: '服务',
  rules: [{ id: 'ask', name: '客户诉求', when: { keywords: words, speaker: 'customer' } }],
  scorecards: [{ id: 'std', name: '评分表', businessLines: ['*'], categories: [{ id: 'c', name: '诉求', items: [{ id: 'ask', name: '诉求', points: 100, rules: ['ask'] }] }] }],
});

const seg = (speaker: 'agent' | 'customer', i: number, text: string) => ({ speaker, startMs: i * 4000, endMs: i * 4000 + 3000, text });
const chats = {
  refund: { agentId: 'A-search-1', businessLine: '电商客服', startedAt: '2025-09-18T10:30:00+08:00', segments: [seg('agent', 0, '您好，请问有什么可以帮您？'), seg('customer', 1, '我买的面膜过敏了，想退货。'), seg('agent', 2, '好的，我马上为您处理退货，订单号12345。')] },
  complaint: { agentId: 'A-search-2', businessLine: '物流', startedAt: '2025-09-19T09:00:00+08:00', segments: [seg('agent', 0, '您好。'), seg('customer', 1, '我要投诉，快递三天没动。'), seg('agent', 2, '非常抱歉，我帮您催一下。')] },
  policy: { agentId: 'A-search-1', businessLine: '电商客服', startedAt: '2025-09-20T15:00:00+08:00', segments: [seg('customer', 0, '你们的退货政策是什么？'), seg('agent', 1, '七天无理由退货，VIP会员十五天。')] },
};
const ids: Record<keyof typeof chats, string> = { refund: '', complaint: '', policy: '' };

describe('search over HTTP', () => {
  test('ingested calls are indexed by the pipeline and found by their words, newest first, with sentences and times', async () => {
    const v1 = await post<{ version: number }>('/api/v1/rule-sets/versions?publish=true&replaceAll=true', { modules: [module(['退货'])] });
    assert.equal(v1.res.status, 201, JSON.stringify(v1.body));
    for (const k of Object.keys(chats) as Array<keyof typeof chats>) {
      const { res, body } = await api.postJson(transcriptInput(chats[k]));
      assert.equal(res.status, 201, JSON.stringify(body));
      ids[k] = body.call.id;
    }
    for (const id of Object.values(ids)) await api.waitForCall(id);

    const r = await search({ q: '退货' });
    assert.deepEqual(r.items.map((i) => i.callId), [ids.policy, ids.refund]);
    assert.deepEqual([r.total, r.totalCapped, r.terms, r.limit, r.offset], [2, false, ['退货'], 20, 0]);
    const refund = r.items[1]!;
    assert.equal(refund.at, '2025-09-18T02:30:00.000Z');
    assert.equal(refund.matchedSegments, 2);
    assert.deepEqual(
      refund.snippets.map((s) => [s.index, s.speaker, s.startMs, s.endMs, s.text.slice(s.highlights[0]!.start, s.highlights[0]!.end)]),
      [
        [1, 'customer', 4000, 7000, '退货'],
        [2, 'agent', 8000, 11_000, '退货'],
      ],
    );
    assert.equal(refund.scorePercent, 0, 'the inspection is in the document: its one rule (a violation) hit');
  });

  test('traditional input, phrases, several words, Latin words and numbers', async () => {
    assert.deepEqual((await search({ q: '退貨政策' })).items.map((i) => i.callId), [ids.policy]);
    assert.deepEqual((await search({ q: '无理由退货' })).items.map((i) => i.callId), [ids.policy]);
    assert.deepEqual((await search({ q: '投诉 快递' })).items.map((i) => i.callId), [ids.complaint]);
    assert.deepEqual((await search({ q: '退货 投诉' })).items, []);
    assert.deepEqual((await search({ q: 'vip' })).items.map((i) => i.callId), [ids.policy]);
    const order = await search({ q: '订单号 12345' });
    assert.deepEqual(order.items.map((i) => i.callId), [ids.refund]);
    const s = order.items[0]!.snippets[0]!;
    assert.deepEqual(s.highlights.map((h) => s.text.slice(h.start, h.end)), ['订单号12345'], 'words that touch are one highlight');
  });

  test('filters with and without words: agent, business line, time range, score, rule', async () => {
    assert.deepEqual((await search({ q: '退货', agentId: 'A-search-1', businessLine: '电商客服' })).items.map((i) => i.callId), [ids.policy, ids.refund]);
    assert.deepEqual((await search({ q: '退货', from: '2025-09-19', to: '2025-09-21' })).items.map((i) => i.callId), [ids.policy]);
    assert.deepEqual((await search({ q: '您好', to: String(Date.parse('2025-09-19T01:00:00.001Z')) })).items.map((i) => i.callId), [ids.complaint, ids.refund], 'to as epoch ms');
    assert.deepEqual((await search({ agentId: 'A-search-1' })).items.map((i) => i.callId), [ids.policy, ids.refund], 'filters alone');
    assert.deepEqual((await search({ businessLine: '物流' })).items[0]!.snippets, []);
    assert.deepEqual((await search({ rule: 'svc.ask' })).items.map((i) => i.callId), [ids.policy, ids.refund]);
    assert.deepEqual((await search({ maxScore: '0' })).items.map((i) => i.callId), [ids.policy, ids.refund]);
    assert.deepEqual((await search({ minScore: '100' })).items.map((i) => i.callId), [ids.complaint]);
    // The calls list's other filters: fatal, band, status and length (each as GET /api/v1/calls reads them).
    for (const extra of [{ fatal: 'false' }, { fatal: 'true' }, { status: 'done' }, { minDurationMs: '1' }, { maxDurationMs: '0' }] as Array<Record<string, string>>) {
      const listed = await api.get<{ items: Array<{ id: string }> }>(`/api/v1/calls?${new URLSearchParams({ agentId: 'A-search-1', ...extra })}`);
      const found = await search({ agentId: 'A-search-1', ...extra });
      assert.deepEqual(found.items.map((i) => i.callId).sort(), listed.body.items.map((i) => i.id).sort(), JSON.stringify(extra));
    }
    const paged = await search({ q: '退货', limit: '1', offset: '1' });
    assert.deepEqual([paged.items.map((i) => i.callId), paged.total], [[ids.refund], 2]);
  });

  test('a re-inspection with a new version changes what the rule and score filters find', async () => {
    const v2 = await post<{ version: number }>('/api/v1/rule-sets/versions?publish=true&replaceAll=true', { modules: [module(['投诉'])] });
    assert.equal(v2.res.status, 201, JSON.stringify(v2.body));
    const queued = await post<{ id: number }>('/api/v1/reinspections', { version: v2.body.version });
    assert.equal(queued.res.status, 202, JSON.stringify(queued.body));
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { body } = await api.get<{ status: string }>(`/api/v1/reinspections/${queued.body.id}`);
      if (body.status === 'done') break;
      assert.ok(['queued', 'running'].includes(body.status) && Date.now() < deadline, JSON.stringify(body));
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual((await search({ rule: 'svc.ask' })).items.map((i) => i.callId), [ids.complaint]);
    assert.deepEqual((await search({ q: '退货', maxScore: '50' })).items, []);
    assert.deepEqual((await search({ q: '退货', minScore: '100' })).items.map((i) => i.callId), [ids.policy, ids.refund]);
  });

  test('pii=masked: the phone number in a found sentence is masked, the highlights still fit', async () => {
    const { res, body } = await api.postJson(transcriptInput({ startedAt: '2025-08-01T10:00:00+08:00', segments: [seg('customer', 0, '我的手机号是13812345678，帮我查快递。')] }));
    assert.equal(res.status, 201, JSON.stringify(body));
    await api.waitForCall(body.call.id);
    const shown = await search({ q: '手机号' });
    assert.match(shown.items[0]!.snippets[0]!.text, /13812345678/);
    const masked = await search({ q: '手机号', pii: 'masked' });
    const s = masked.items[0]!.snippets[0]!;
    assert.equal(s.text, '我的手机号是***********，帮我查快递。');
    assert.deepEqual(s.highlights.map((h) => s.text.slice(h.start, h.end)), ['手机号']);
  });

  test('bad parameters are 400 INVALID_REQUEST naming the field', async () => {
    const cases: Array<[string, string[]]> = [
      ['q=好', ['at least 2 characters', '好']],
      ['q=退货&agent=A1', ['agent']],
      ['minScore=abc', ['minScore']],
      ['maxScore=101', ['maxScore']],
      ['sentiment=angry', ['sentiment', 'positive, neutral, negative']],
      ['sentiment=-2', ['sentiment']],
      ['limit=0', ['limit']],
      ['offset=5000', ['offset']],
      ['from=2025-02-30', ['from']],
      ['channel=fax', ['channel']],
      ['fatal=yes', ['fatal']],
      ['status=queued', ['status']],
      ['minDurationMs=-1', ['minDurationMs']],
      ['minScore=80&maxScore=20', ['minScore', 'maxScore']],
      ['minDurationMs=9000&maxDurationMs=1000', ['minDurationMs', 'maxDurationMs']],
    ];
    for (const [query, mentions] of cases) {
      const { res, body } = await api.get<ErrorBody>(`/api/v1/search?${encodeURI(query)}`);
      assert.equal(res.status, 400, `${query}: ${JSON.stringify(body)}`);
      assert.equal(body.error.code, 'INVALID_REQUEST', query);
      for (const m of mentions) assert.ok(body.error.message.includes(m), `${query}: ${body.error.message} should mention ${m}`);
    }
  });

  test('the OpenAPI document describes the endpoint and its parameters', async () => {
    const { body } = await api.get<{ paths: Record<string, { get?: { parameters?: Array<{ name: string; description?: string }> } }> }>('/api/openapi.json');
    const params = body.paths['/api/v1/search']?.get?.parameters ?? [];
    for (const name of ['q', 'from', 'to', 'agentId', 'teamId', 'businessLine', 'channel', 'minScore', 'maxScore', 'rule', 'topic', 'sentiment', 'limit', 'offset']) {
      assert.ok(params.some((p) => p.name === name), `parameter ${name} is documented`);
    }
    assert.match(params.find((p) => p.name === 'q')?.description ?? '', /at least 2 characters/);
  });
});
