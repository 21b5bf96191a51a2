import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { callDetailSchema } from '../../src/analyze/analysis-document.schema.js';
import { transcriptInput } from '../support/factories.js';
import { accountWithToken, json, startHttpServer, type ErrorBody, type StoredCall } from '../support/http-harness.js';

// The console's calls list over real HTTP: calls ingested and judged by the real pipeline with a
// published rule set (a scorecard with the default bands), then listed with the latest
// inspection and text analysis of each, filtered, sorted, paged by offset, counted; bad
// parameters are 400 naming them; an agent sees and counts only their own calls. Also the
// "re-inspect selected" action: POST /api/v1/reinspections with the chosen call ids.

const api = await startHttpServer();
after(() => api.close());

interface Item extends StoredCall {
  inspection: { ruleSetVersion: number; scorePercent: number | null; band: string | null; hits: number; fatal: boolean } | null;
  analysis: { customerSentiment: number | null; sentimentLabel: string | null; topics: string[] } | null;
}
interface ListBody {
  items: Item[];
  nextCursor: string | null;
  total: number;
}

async function post<T>(route: string, body: unknown): Promise<{ res: Response; body: T }> {
  const res = await api.fetch(`${api.base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { res, body: await json<T>(res) };
}

const rules = (apology: string[]) => ({
  module: 'svc',
  name: '服务规范',
  rules: [
    { id: 'apology', name: '致歉', type: 'required', when: { keywords: apology, speaker: 'agent' } },
    { id: 'rude', name: '推诿', when: { keywords: ['你自己看'], speaker: 'agent' } },
  ],
  scorecards: [
    {
      id: 'sc',
      name: '评分表',
      businessLines: ['*'],
      categories: [
        {
          id: 'service',
          name: '服务',
          items: [
            { id: 'apology', name: '致歉', points: 50, rules: ['apology'] },
            { id: 'rude', name: '不推诿', points: 50, rules: ['rude'], fatal: true },
          ],
        },
      ],
    },
  ],
});

const chat = (agent: string) => [
  { speaker: 'customer', startMs: 0, endMs: 3000, text: '我的快递三天了还没到，太慢了，我很生气！' },
  { speaker: 'agent', startMs: 3500, endMs: 7000, text: agent },
];
// good: apology said, nothing rude (100 %); plain: no apology (50 %); rude: both rules hit, a fatal item.
const calls = {
  good: { agentId: 'A-own', durationMs: 30_000, startedAt: '2025-09-18T10:00:00+08:00', agent: '非常抱歉让您久等了，我马上帮您查。' },
  plain: { agentId: 'A-own', durationMs: 90_000, startedAt: '2025-09-18T11:00:00+08:00', agent: '好的，我帮您查一下。' },
  rude: { agentId: 'A-other', durationMs: 60_000, startedAt: '2025-09-18T12:00:00+08:00', agent: '好的，你自己看吧。' },
};
const ids: Record<keyof typeof calls, string> = { good: '', plain: '', rude: '' };
const businessLine = `线-${Math.random().toString(36).slice(2, 8)}`;
const list = (query: string, headers: Record<string, string> = {}) => api.get<ListBody>(`/api/v1/calls?businessLine=${encodeURIComponent(businessLine)}&${query}`, headers);
const order = (body: ListBody) => body.items.map((i) => (Object.keys(ids) as Array<keyof typeof ids>).find((k) => ids[k] === i.id));

describe('calls list over HTTP', () => {
  test('calls judged by the pipeline are listed with their latest inspection and text analysis', async () => {
    const early = await post<ErrorBody>('/api/v1/reinspections', { filter: { callIds: ['x'] } });
    assert.equal(early.res.status, 409, 'no version given and none published');
    assert.match(early.body.error.message, /no rule set version is published yet/);
    const published = await post<{ version: number }>('/api/v1/rule-sets/versions?publish=true&replaceAll=true', { modules: [rules(['抱歉'])] });
    assert.equal(published.res.status, 201, JSON.stringify(published.body));
    for (const [k, c] of Object.entries(calls) as Array<[keyof typeof calls, (typeof calls)[keyof typeof calls]]>) {
      const { res, body } = await api.postJson(transcriptInput({ customerPhone: '13812345678', agentId: c.agentId, durationMs: c.durationMs, startedAt: c.startedAt, businessLine, segments: chat(c.agent) }));
      assert.equal(res.status, 201, JSON.stringify(body));
      ids[k] = body.call.id;
    }
    for (const id of Object.values(ids)) await api.waitForCall(id);

    const { res, body } = await list('');
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.total, 3);
    assert.deepEqual(order(body), ['rude', 'plain', 'good'], 'newest first');
    const byKey = Object.fromEntries(body.items.map((i) => [order({ ...body, items: [i] })[0], i]));
    assert.deepEqual(
      ['good', 'plain', 'rude'].map((k) => byKey[k]!.inspection),
      [
        { ruleSetVersion: published.body.version, scorePercent: 100, band: '优秀', hits: 0, fatal: false },
        { ruleSetVersion: published.body.version, scorePercent: 50, band: '不合格', hits: 1, fatal: false },
        { ruleSetVersion: published.body.version, scorePercent: byKey.rude!.inspection!.scorePercent, band: byKey.rude!.inspection!.band, hits: 2, fatal: true },
      ],
    );
    // The analysis is the one the call detail shows.
    for (const item of body.items) {
      const detail = callDetailSchema.parse((await api.get(`/api/v1/calls/${item.id}`)).body);
      assert.deepEqual(item.analysis, {
        customerSentiment: detail.text!.customerSentiment?.score ?? null,
        sentimentLabel: detail.text!.customerSentiment?.label ?? null,
        topics: [...new Set(detail.text!.topics.map((t) => t.id))],
      });
      assert.equal(item.inspection?.scorePercent, detail.inspection?.score?.percent);
    }
  });

  test('filters, sorts, offset pages and the total', async () => {
    const cases: Array<[string, string[]]> = [
      ['sort=score', ['good', 'plain', 'rude']],
      ['sort=score&order=asc', ['rude', 'plain', 'good']],
      ['sort=duration', ['plain', 'rude', 'good']],
      ['sort=duration&order=asc', ['good', 'rude', 'plain']],
      ['sort=startedAt&order=asc', ['good', 'plain', 'rude']],
      ['minScore=40&maxScore=60', ['plain']],
      ['band=%E4%BC%98%E7%A7%80', ['good']],
      ['rule=svc.apology&sort=score', ['plain', 'rude']],
      ['rule=svc.rude', ['rude']],
      ['fatal=true', ['rude']],
      ['fatal=false', ['plain', 'good']],
      ['minDurationMs=45000&maxDurationMs=90000', ['rude', 'plain']],
      ['agentId=A-own&sort=score&order=asc', ['plain', 'good']],
    ];
    for (const [query, want] of cases) {
      const { res, body } = await list(query);
      assert.equal(res.status, 200, `${query}: ${JSON.stringify(body)}`);
      assert.deepEqual(order(body), want, query);
      assert.equal(body.total, want.length, `${query}: total`);
    }
    const first = (await list('')).body.items[0]!;
    const sentiment = first.analysis!.sentimentLabel!;
    assert.equal((await list(`sentiment=${sentiment}`)).body.total, 3, 'the three customers say the same');
    const other = ['positive', 'neutral', 'negative'].find((s) => s !== sentiment)!;
    assert.deepEqual((await list(`sentiment=${other}`)).body, { items: [], nextCursor: null, total: 0 });
    assert.ok(first.analysis!.topics.length > 0, 'the customer speaks of a late delivery');
    for (const topic of first.analysis!.topics) assert.equal((await list(`topic=${encodeURIComponent(topic)}`)).body.total, 3, topic);
    assert.equal((await list('topic=no-such-topic')).body.total, 0);

    const page2 = await list('sort=score&limit=2&offset=2');
    assert.deepEqual([order(page2.body), page2.body.total, page2.body.nextCursor], [['rude'], 3, null]);
    const byCursor = await list('limit=2');
    assert.ok(byCursor.body.nextCursor, 'the default order still pages by cursor');
    const next = await list(`limit=2&cursor=${encodeURIComponent(byCursor.body.nextCursor!)}`);
    assert.deepEqual([order(next.body), next.body.total], [['good'], 3]);
  });

  test('bad parameters are 400 and name the parameter', async () => {
    const bad: Array<[string, RegExp]> = [
      ['sort=name', /sort/],
      ['order=up', /order/],
      ['minScore=101', /minScore/],
      ['maxScore=-1', /maxScore/],
      ['minScore=80&maxScore=20', /minScore \(80\) is above maxScore \(20\)/],
      ['minDurationMs=abc', /minDurationMs/],
      ['fatal=yes', /fatal/],
      ['sentiment=angry', /sentiment/],
      ['offset=-1', /offset/],
      ['sort=score&cursor=abc', /cursor: a cursor pages only the default order/],
      ['cursor=abc&offset=5', /cursor and offset/],
      ['q=退款', /"q"/],
      // An empty value is not 0 (z.coerce would read it so: minScore= would hide every unscored call, to= every call).
      ['minScore=', /minScore/],
      ['maxScore=', /maxScore/],
      ['minDurationMs=', /minDurationMs/],
      ['maxDurationMs=&minDurationMs=1', /maxDurationMs/],
      ['minDurationMs=1.5', /minDurationMs/],
      ['to=', /to/],
      ['from=', /from/],
      ['from=1970-01-01T00:00', /from: 1970-01-01T00:00 is outside 1970–2099/],
      ['to=2025-02-30T00:00', /to: 2025-02-30T00:00 is not a real date and time/],
    ];
    for (const [query, message] of bad) {
      const { res, body } = await list(query);
      assert.equal(res.status, 400, query);
      assert.equal((body as unknown as ErrorBody).error.code, 'INVALID_REQUEST', query);
      assert.match((body as unknown as ErrorBody).error.message, message, query);
    }
  });

  test('an agent sees and counts only their own calls; personal data masked', async () => {
    const agent = await accountWithToken(api.app, { username: 'agent-own-list', role: 'agent', agentId: 'A-own' });
    const { res, body } = await list('sort=score', agent.headers);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.deepEqual([order(body), body.total], [['good', 'plain'], 2]);
    assert.equal((await list('')).body.items[0]!.customerPhone, '13812345678', 'the administrator sees the number');
    for (const item of body.items) assert.ok(item.customerPhone !== '13812345678' && String(item.customerPhone).includes('*'), `masked for the agent: ${String(item.customerPhone)}`);
    assert.deepEqual([(await list('fatal=true', agent.headers)).body.total, (await list('agentId=A-other', agent.headers)).body.total], [0, 0]);
  });

  test('facets: the agents and business lines to filter by, counted within the caller\'s scope and the time range', async () => {
    interface Facets { agents: Array<{ value: string; calls: number }>; teams: unknown[]; businessLines: Array<{ value: string; calls: number }>; truncated: Record<string, boolean> }
    const day = 'from=2025-09-18&to=2025-09-19';
    const admin = await api.get<Facets>(`/api/v1/calls/facets?${day}`);
    assert.equal(admin.res.status, 200, JSON.stringify(admin.body));
    const counted = (f: Facets, v: string) => f.agents.find((a) => a.value === v)?.calls;
    assert.deepEqual([counted(admin.body, 'A-own'), counted(admin.body, 'A-other')], [2, 1]);
    assert.deepEqual(admin.body.businessLines.find((b) => b.value === businessLine), { value: businessLine, calls: 3 });
    const agent = await accountWithToken(api.app, { username: 'agent-own-facets', role: 'agent', agentId: 'A-own' });
    const own = await api.get<Facets>(`/api/v1/calls/facets?${day}`, agent.headers);
    assert.deepEqual(own.body.agents, [{ value: 'A-own', calls: 2 }], 'an agent is offered only themselves');
    assert.deepEqual((await api.get<Facets>('/api/v1/calls/facets?from=2025-09-19', agent.headers)).body.agents, [], 'the time range applies');
    const one = await api.get<Facets>(`/api/v1/calls/facets?${day}&limit=1`);
    assert.deepEqual([one.body.agents.length, one.body.truncated.agents], [1, true]);
    const bad = await api.get<ErrorBody>('/api/v1/calls/facets?agentId=A-own');
    assert.equal(bad.res.status, 400, 'an unknown parameter is refused, not ignored');
    assert.match(bad.body.error.message, /agentId/);
    assert.equal((await api.get<ErrorBody>('/api/v1/calls/facets?from=2025-02-30')).res.status, 400);
  });

  test('re-inspect selected: callIds without a version use the newest published one', async () => {
    const v2 = await post<{ version: number }>('/api/v1/rule-sets/versions?publish=true&replaceAll=true', { modules: [rules(['抱歉', '帮您查'])] });
    assert.equal(v2.res.status, 201, JSON.stringify(v2.body));
    const queued = await post<{ id: number; ruleSetVersion: number; total: number; filter: unknown }>('/api/v1/reinspections', { filter: { callIds: [ids.plain, ids.rude] } });
    assert.equal(queued.res.status, 202, JSON.stringify(queued.body));
    assert.deepEqual([queued.body.ruleSetVersion, queued.body.total, queued.body.filter], [v2.body.version, 2, { callIds: [ids.plain, ids.rude] }]);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const job = (await api.get<{ status: string }>(`/api/v1/reinspections/${queued.body.id}`)).body;
      if (job.status === 'done') break;
      assert.ok(['queued', 'running'].includes(job.status) && Date.now() < deadline, JSON.stringify(job));
      await new Promise((r) => setTimeout(r, 50));
    }
    const { body } = await list('sort=score');
    assert.deepEqual(order(body), ['plain', 'good', 'rude'], 'plain and good both 100 now: the newer first');
    const versions = Object.fromEntries(body.items.map((i) => [order({ ...body, items: [i] })[0], [i.inspection!.ruleSetVersion, i.inspection!.scorePercent]]));
    assert.deepEqual(versions.plain, [v2.body.version, 100], 'the plain call now says 帮您查, an apology in v2');
    assert.equal(versions.good![0], v2.body.version - 1, 'a call not selected keeps its inspection');
    assert.equal((await list('rule=svc.apology')).body.total, 1, 'the rule filter reads the new latest inspection');
  });
});
