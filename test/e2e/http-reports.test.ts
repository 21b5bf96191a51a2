import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { transcriptInput } from '../support/factories.js';
import { accountWithToken, json, startHttpServer, type ErrorBody } from '../support/http-harness.js';

// The reports over real HTTP: transcript calls go through the whole pipeline (inspected with a
// published rule set, analysed, indexed), then the report routes count them — an administrator
// every call, an agent only their own, with quotes masked and other agents' pages not found.
// Setup is awaited before any test is declared (see http-harness.ts).

const api = await startHttpServer();
after(() => api.close());

/** `ask`: the customer says 退货; `rude`: the agent says 不知道. Each item 50 points, lost when its rule hits. */
const module = {
  module: 'rep',
  name: '报表',
  rules: [
    { id: 'ask', name: '客户诉求', when: { keywords: ['退货'], speaker: 'customer' } },
    { id: 'rude', name: '推诿', when: { keywords: ['不知道'], speaker: 'agent' } },
  ],
  scorecards: [
    {
      id: 'std',
      name: '评分表',
      businessLines: ['*'],
      categories: [
        {
          id: 'c',
          name: '服务',
          items: [
            { id: 'ask', name: '诉求', points: 50, rules: ['ask'] },
            { id: 'rude', name: '推诿', points: 50, rules: ['rude'] },
          ],
        },
      ],
    },
  ],
};

const seg = (speaker: 'agent' | 'customer', i: number, text: string) => ({ speaker, startMs: i * 4000, endMs: i * 4000 + 3000, text });
const calls = {
  r1: { agentId: 'A-rep-1', teamId: 'T-rep', businessLine: '电商', startedAt: '2025-09-18T10:30:00+08:00', segments: [seg('agent', 0, '您好，请问有什么可以帮您？'), seg('customer', 1, '我要退货，我的电话是13800138000。'), seg('agent', 2, '好的，马上为您处理。')] },
  r2: { agentId: 'A-rep-1', teamId: 'T-rep', businessLine: '电商', startedAt: '2025-09-19T09:00:00+08:00', segments: [seg('agent', 0, '您好，请问有什么可以帮您？'), seg('customer', 1, '我想问一下会员积分怎么用。'), seg('agent', 2, '积分可以抵扣现金。')] },
  r3: { agentId: 'A-rep-2', teamId: 'T-rep', businessLine: '物流', startedAt: '2025-09-19T15:00:00+08:00', segments: [seg('customer', 0, '快递丢了，我要退货。'), seg('agent', 1, '这个我不知道，你自己去问。')] },
};
const ids: Record<keyof typeof calls, string> = { r1: '', r2: '', r3: '' };

const published = await api.fetch(`${api.base}/api/v1/rule-sets/versions?publish=true&replaceAll=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modules: [module] }) });
assert.equal(published.status, 201, await published.clone().text());
for (const k of Object.keys(calls) as Array<keyof typeof calls>) {
  const { res, body } = await api.postJson(transcriptInput(calls[k]));
  assert.equal(res.status, 201, JSON.stringify(body));
  ids[k] = body.call.id;
}
for (const id of Object.values(ids)) await api.waitForCall(id);
const agent = await accountWithToken(api.app, { username: 'rep-agent', role: 'agent', agentId: 'A-rep-1' });

interface Overview {
  calls: number;
  avgScore: number | null;
  hitCalls: number;
  hitRate: number | null;
  fatalCalls: number;
  scoreDistribution: Array<{ from: number; to: number; calls: number }>;
  bands: Array<{ band: string; calls: number }>;
  buckets: Array<{ bucket: string; from: string; to: string }>;
  trend: Array<{ bucket: string; calls: number; avgScore: number | null; hitRate: number | null }>;
}
interface Rules {
  items: Array<{ ruleId: string; ruleName: string; calls: number; hits: number; rate: number | null }>;
  trend: Array<{ bucket: string; ruleId: string; calls: number; rate: number | null }>;
}
interface AgentPage {
  agentId: string;
  calls: number;
  avgScore: number | null;
  deductions: Array<{ ruleId: string; ruleName: string; calls: number; moments: Array<{ callId: string; startMs: number; quote: string }> }>;
}

async function get<T>(path: string, headers: Record<string, string> = {}, status = 200): Promise<T> {
  const { res, body } = await api.get<T>(path, headers);
  assert.equal(res.status, status, `${path}: ${JSON.stringify(body)}`);
  return body;
}

describe('reports over HTTP', () => {
  test('an administrator: KPIs, the score distribution, trend by day in +08:00, rules by calls', async () => {
    const o = await get<Overview>('/api/v1/reports/overview');
    assert.deepEqual([o.calls, o.avgScore, o.hitCalls, o.hitRate, o.fatalCalls], [3, 50, 2, 0.6667, 0]);
    assert.deepEqual(
      o.scoreDistribution.filter((b) => b.calls).map((b) => [b.from, b.calls]),
      [
        [0, 1],
        [50, 1],
        [90, 1],
      ],
    );
    assert.deepEqual(
      o.trend.map((t) => [t.bucket, t.calls, t.avgScore]),
      [
        ['2025-09-18', 1, 50],
        ['2025-09-19', 2, 50],
      ],
    );
    assert.deepEqual(o.buckets[0], { bucket: '2025-09-18', from: '2025-09-17T16:00:00.000Z', to: '2025-09-18T16:00:00.000Z' });
    const ranged = await get<Overview>(`/api/v1/reports/overview?from=2025-09-19&to=${Date.parse('2025-09-20T00:00:00+08:00')}&granularity=week`);
    assert.deepEqual([ranged.calls, ranged.trend.length, ranged.trend[0]?.bucket], [2, 1, '2025-09-15']);

    const r = await get<Rules>('/api/v1/reports/rules?limit=10');
    assert.deepEqual(r.items, [
      { ruleId: 'rep.ask', ruleName: '客户诉求', calls: 2, hits: 2, rate: 0.6667 },
      { ruleId: 'rep.rude', ruleName: '推诿', calls: 1, hits: 1, rate: 0.3333 },
    ]);
    assert.deepEqual(r.trend.find((p) => p.bucket === '2025-09-19' && p.ruleId === 'rep.ask'), { bucket: '2025-09-19', ruleId: 'rep.ask', calls: 1, rate: 0.5 });

    const agents = await get<{ items: Array<{ agentId: string; avgScore: number | null; calls: number }> }>('/api/v1/reports/agents');
    assert.deepEqual(
      agents.items.map((a) => [a.agentId, a.calls, a.avgScore]),
      [
        ['A-rep-1', 2, 75],
        ['A-rep-2', 1, 0],
      ],
    );
    const lines = await get<{ items: Array<{ businessLine: string; calls: number }> }>('/api/v1/reports/business-lines');
    assert.deepEqual(
      lines.items.map((l) => [l.businessLine, l.calls]),
      [
        ['电商', 2],
        ['物流', 1],
      ],
    );
    const emotion = await get<{ totals: { positive: number; neutral: number; negative: number } }>('/api/v1/reports/emotion');
    assert.equal(emotion.totals.positive + emotion.totals.neutral + emotion.totals.negative, 3, 'every call has a customer sentiment label');
    const topics = await get<{ items: Array<{ topic: string; name: string; calls: number }> }>('/api/v1/reports/topics');
    const refund = topics.items.find((t) => t.topic === 'refund-return');
    assert.ok(refund && refund.name !== refund.topic, `the taxonomy names its topics: ${JSON.stringify(topics.items)}`);
  });

  test("an agent sees only their own calls' aggregates; another agent's page is not found; quotes are masked", async () => {
    const o = await get<Overview>('/api/v1/reports/overview', agent.headers);
    assert.deepEqual([o.calls, o.avgScore, o.hitCalls], [2, 75, 1]);
    const r = await get<Rules>('/api/v1/reports/rules', agent.headers);
    assert.deepEqual(
      r.items.map((i) => [i.ruleId, i.calls]),
      [['rep.ask', 1]],
    );
    const agents = await get<{ items: Array<{ agentId: string }> }>('/api/v1/reports/agents', agent.headers);
    assert.deepEqual(
      agents.items.map((a) => a.agentId),
      ['A-rep-1'],
    );
    // Even filtering by another agent's id counts nothing of theirs.
    const other = await get<Overview>('/api/v1/reports/overview?agentId=A-rep-2', agent.headers);
    assert.equal(other.calls, 0);

    const page = await get<AgentPage>('/api/v1/reports/agents/A-rep-1', agent.headers);
    assert.deepEqual([page.calls, page.avgScore], [2, 75]);
    assert.deepEqual(
      page.deductions.map((d) => [d.ruleId, d.ruleName, d.calls]),
      [['rep.ask', '客户诉求', 1]],
    );
    const moment = page.deductions[0]!.moments[0]!;
    assert.deepEqual([moment.callId, moment.startMs], [ids.r1, 4000]);
    assert.doesNotMatch(moment.quote, /13800138000/, 'an agent has no pii:view');
    assert.match(moment.quote, /退货/);
    const asAdmin = await get<AgentPage>('/api/v1/reports/agents/A-rep-1');
    assert.match(asAdmin.deductions[0]!.moments[0]!.quote, /13800138000/);

    const hidden = await get<ErrorBody>('/api/v1/reports/agents/A-rep-2', agent.headers, 404);
    const missing = await get<ErrorBody>('/api/v1/reports/agents/A-nobody', agent.headers, 404);
    assert.equal(hidden.error.code, 'NOT_FOUND');
    assert.equal(hidden.error.message.replace('A-rep-2', 'X'), missing.error.message.replace('A-nobody', 'X'), 'out of scope reads like missing');
    await get<ErrorBody>('/api/v1/reports/agents/A-nobody', {}, 404);
  });

  test('a long quote is masked before it is cut: no digits of a number at its edge (agent without pii:view)', async () => {
    // 退货 is 40 characters after the phone number starts: the 80-character window around it
    // begins inside the number, and the cut-off 800138000 no longer looks like a phone number.
    const text = '您好，我的号码是13800138000，麻烦您记一下。然后我这边的问题是这样的，东西坏了所以我要退货，因为东西坏了，包装也破了，快递员态度也不好，希望你们尽快处理，谢谢您了，辛苦了，再见。';
    const { res, body } = await api.postJson(transcriptInput({ agentId: 'A-rep-9', teamId: 'T-rep-9', businessLine: '电商', startedAt: '2025-09-20T10:00:00+08:00', segments: [seg('customer', 0, text)] }));
    assert.equal(res.status, 201, JSON.stringify(body));
    await api.waitForCall(body.call.id);
    const own = await accountWithToken(api.app, { username: 'rep-agent-9', role: 'agent', agentId: 'A-rep-9' });
    const quoteOf = (p: AgentPage) => p.deductions.find((d) => d.ruleId === 'rep.ask')!.moments[0]!.quote;
    const shown = quoteOf(await get<AgentPage>('/api/v1/reports/agents/A-rep-9'));
    assert.match(shown, /800138000/, 'the quote starts inside the number (pii:view sees it)');
    const masked = quoteOf(await get<AgentPage>('/api/v1/reports/agents/A-rep-9', own.headers));
    assert.match(masked, /退货/);
    assert.doesNotMatch(masked, /\d{3,}/, `no run of the number's digits: ${masked}`);
    assert.equal(masked.length, shown.length, 'masking keeps the length');
    const maskedByAdmin = quoteOf(await get<AgentPage>('/api/v1/reports/agents/A-rep-9?pii=masked'));
    assert.equal(maskedByAdmin, masked);
  });

  test('bad parameters are 400 naming them; no credentials 401', async () => {
    const bad = await get<ErrorBody>('/api/v1/reports/overview?granularity=year', {}, 400);
    assert.match(bad.error.message, /granularity/);
    const badDate = await get<ErrorBody>('/api/v1/reports/rules?from=2025-02-30', {}, 400);
    assert.match(badDate.error.message, /from/);
    // 1970-01-01 in +08:00 is before the epoch: a real date, outside the range (not "not a real date").
    const early = await get<ErrorBody>('/api/v1/reports/overview?from=1970-01-01', {}, 400);
    assert.match(early.error.message, /from: 1970-01-01 is outside 1970–2099/);
    const empty = await get<ErrorBody>('/api/v1/reports/overview?to=', {}, 400);
    assert.match(empty.error.message, /\bto\b/, 'an empty to is not epoch 0 (which would count nothing)');
    const anonymous = await fetch(`${api.base}/api/v1/reports/overview`);
    assert.equal(anonymous.status, 401);
    assert.equal((await json<ErrorBody>(anonymous)).error.code, 'UNAUTHENTICATED');
  });
});
