import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { callDetailSchema } from '../../src/analyze/analysis-document.schema.js';
import { transcriptInput } from '../support/factories.js';
import { json, startHttpServer, type ErrorBody } from '../support/http-harness.js';

// Re-inspection over real HTTP: stored calls judged again with a newer published version by the
// server's background worker (no re-transcription), the new results stored beside the old ones;
// a draft cannot be used, jobs can be listed, polled and cancelled. Rule modules are written here.
// Setup is awaited before any test is declared (see http-harness.ts).

const api = await startHttpServer();
after(() => api.close());

interface Job {
  id: number;
  ruleSetVersion: number;
  filter: Record<string, unknown>;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  total: number;
  done: number;
  hitCalls: number;
  progress: number;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

async function post<T>(route: string, body?: unknown): Promise<{ res: Response; body: T }> {
  const res = await api.fetch(`${api.base}${route}`, { method: 'POST', ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
  return { res, body: await json<T>(res) };
}

/** v1 requires 抱歉; v2 also takes 对不起 and adds a violation, 你自己看. */
const svc = (apology: string[], extraRules: unknown[] = []) => ({
  module: 'svc',
  name: '服务规范',
  rules: [{ id: 'apology', name: '致歉', type: 'required', when: { keywords: apology, speaker: 'agent' } }, ...extraRules],
});
const v1 = svc(['抱歉']);
const v2 = svc(['抱歉', '对不起'], [{ id: 'rude', name: '推诿', when: { keywords: ['你自己看'], speaker: 'agent' } }]);

const chat = (agent: string) => [
  { speaker: 'customer', startMs: 0, endMs: 3000, text: '我的订单怎么还没到？' },
  { speaker: 'agent', startMs: 3500, endMs: 7000, text: agent },
];
const chats = { d1: chat('非常抱歉让您久等了。'), d2: chat('对不起，系统出错了。'), d3: chat('好的，你自己看吧。'), d4: chat('抱歉，马上处理。') };
const ids = { d1: '', d2: '', d3: '', d4: '' };

async function waitForJob(id: number, timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { res, body } = await api.get<Job>(`/api/v1/reinspections/${id}`);
    assert.equal(res.status, 200, JSON.stringify(body));
    if (body.status !== 'queued' && body.status !== 'running') return body;
    if (Date.now() > deadline) assert.fail(`re-inspection ${id} still ${body.status} after ${timeoutMs} ms: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const outcomes = (inspection: { results: Array<{ ruleId: string; outcome: string }> } | null) => Object.fromEntries((inspection?.results ?? []).map((r) => [r.ruleId, r.outcome]));

describe('re-inspection over HTTP', () => {
  test('calls ingested under version 1 are inspected with it', async () => {
    const created = await post<{ version: number; status: string }>('/api/v1/rule-sets/versions?publish=true&replaceAll=true', { modules: [v1] });
    assert.equal(created.res.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.version, created.body.status], [1, 'published']);
    for (const k of Object.keys(chats) as Array<keyof typeof chats>) {
      const { res, body } = await api.postJson(transcriptInput({ segments: chats[k] }));
      assert.equal(res.status, 201, JSON.stringify(body));
      ids[k] = body.call.id;
    }
    for (const id of Object.values(ids)) assert.equal(callDetailSchema.parse(await api.waitForCall(id)).inspection?.ruleSetVersion, 1);
    const d2 = callDetailSchema.parse((await api.get(`/api/v1/calls/${ids.d2}`)).body);
    assert.deepEqual(outcomes(d2.inspection), { 'svc.apology': 'hit' }, '对不起 is not 抱歉 in v1');
  });

  test('bad requests: unknown version 404, draft 409, unknown fields 400', async () => {
    const unknown = await post<ErrorBody>('/api/v1/reinspections', { version: 99 });
    assert.equal(unknown.res.status, 404);
    assert.match(unknown.body.error.message, /version 99 does not exist/);
    const draft = await post<{ version: number; status: string }>('/api/v1/rule-sets/versions', { modules: [v2] });
    assert.deepEqual([draft.body.version, draft.body.status], [2, 'draft']);
    const conflict = await post<ErrorBody>('/api/v1/reinspections', { version: 2 });
    assert.equal(conflict.res.status, 409);
    assert.equal(conflict.body.error.code, 'CONFLICT');
    assert.match(conflict.body.error.message, /draft/);
    const extra = await post<ErrorBody>('/api/v1/reinspections', { version: 1, filter: { agent: 'A1' }, dryRun: true });
    assert.equal(extra.res.status, 400);
    assert.match(extra.body.error.message, /agent/);
    assert.match(extra.body.error.message, /dryRun/);
    assert.equal((await post<ErrorBody>('/api/v1/reinspections', { version: '1' })).res.status, 400);
    assert.equal((await post<ErrorBody>('/api/v1/reinspections', { version: 1, filter: { channel: 'fax' } })).res.status, 400);
    assert.equal((await post<ErrorBody>('/api/v1/reinspections')).res.status, 400, 'no body');
    assert.deepEqual((await api.get<{ items: Job[] }>('/api/v1/reinspections')).body.items, [], 'nothing queued');
  });

  test('publish v2, re-inspect: the calls now show v2 and their v1 results stay stored', async () => {
    assert.equal((await post('/api/v1/rule-sets/versions/2/publish')).res.status, 200);
    const callIds = [ids.d1, ids.d2, ids.d3];
    const queued = await post<Job>('/api/v1/reinspections', { version: 2, filter: { callIds, from: '2025-09-01', to: '2025-10-01T00:00:00+08:00' } });
    assert.equal(queued.res.status, 202, JSON.stringify(queued.body));
    assert.equal(queued.body.ruleSetVersion, 2);
    assert.equal(queued.body.total, 3, 'the calls the filter matched (d4 is not listed)');
    assert.deepEqual(queued.body.filter, { callIds, from: '2025-08-31T16:00:00.000Z', to: '2025-09-30T16:00:00.000Z' });

    const job = await waitForJob(queued.body.id);
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.deepEqual([job.done, job.total, job.hitCalls, job.progress, job.error], [3, 3, 1, 1, null]);
    assert.ok(job.finishedAt);

    const detail = Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, callDetailSchema.parse((await api.get(`/api/v1/calls/${id}`)).body)] as const)));
    assert.deepEqual(
      ['d1', 'd2', 'd3'].map((k) => [detail[k]!.inspection?.ruleSetVersion, outcomes(detail[k]!.inspection)]),
      [
        [2, { 'svc.apology': 'pass', 'svc.rude': 'pass' }],
        [2, { 'svc.apology': 'pass', 'svc.rude': 'pass' }],
        [2, { 'svc.apology': 'hit', 'svc.rude': 'hit' }],
      ],
    );
    const rude = detail.d3!.inspection!.results.find((r) => r.ruleId === 'svc.rude')!;
    assert.deepEqual(
      rude.evidence.map((e) => [e.segmentIndex, e.text, e.spans]),
      [[1, '好的，你自己看吧。', [{ start: 3, end: 7 }]]],
    );
    assert.equal(detail.d4!.inspection?.ruleSetVersion, 1, 'a call outside the filter keeps its inspection');

    const repo = api.app.db.repos.inspections;
    assert.deepEqual(await repo.versionsForCall(ids.d2), [1, 2]);
    assert.deepEqual(await repo.versionsForCall(ids.d4), [1]);
    assert.deepEqual(outcomes(await repo.get(ids.d2, 1)), { 'svc.apology': 'hit' }, 'the v1 result is still stored as it was');
    assert.equal((await repo.get(ids.d2, 1))?.ruleSetVersion, 1);
  });

  test('jobs are listed newest first and read one by one', async () => {
    const all = await post<Job>('/api/v1/reinspections', { version: 2 });
    assert.equal(all.res.status, 202);
    assert.ok(all.body.total >= 4, 'every stored call');
    assert.deepEqual(all.body.filter, {});
    const none = await post<Job>('/api/v1/reinspections', { version: 1, filter: { callIds: [] } });
    assert.equal(none.body.total, 0);
    assert.equal((await waitForJob(all.body.id)).status, 'done');
    const empty = await waitForJob(none.body.id);
    assert.deepEqual([empty.status, empty.progress], ['done', 1]);
    assert.deepEqual(await api.app.db.repos.inspections.versionsForCall(ids.d4), [1, 2], 'now d4 too');
    const list = await api.get<{ items: Job[] }>('/api/v1/reinspections?limit=2');
    assert.deepEqual(list.body.items.map((j) => j.id), [none.body.id, all.body.id]);
    assert.equal((await api.get<{ items: Job[] }>('/api/v1/reinspections')).body.items.length, 3);
    assert.equal((await api.get<ErrorBody>('/api/v1/reinspections?limit=101')).res.status, 400);
    assert.equal((await api.get<ErrorBody>('/api/v1/reinspections/999')).res.status, 404);
    assert.equal((await api.get<ErrorBody>('/api/v1/reinspections/abc')).res.status, 400);
  });

  test('cancel: a queued job is cancelled, an ended one is 409, an unknown one 404', async () => {
    const ended = (await api.get<{ items: Job[] }>('/api/v1/reinspections')).body.items.at(-1)!;
    const late = await post<ErrorBody>(`/api/v1/reinspections/${ended.id}/cancel`);
    assert.equal(late.res.status, 409);
    assert.match(late.body.error.message, /already done/);
    assert.equal((await post<ErrorBody>('/api/v1/reinspections/999/cancel')).res.status, 404);

    // With the worker stopped the job stays queued, so the cancel is not racing it.
    await api.app.reinspections!.stop();
    const queued = await post<Job>('/api/v1/reinspections', { version: 2 });
    assert.equal(queued.body.status, 'queued');
    const cancelled = await post<Job>(`/api/v1/reinspections/${queued.body.id}/cancel`);
    assert.equal(cancelled.res.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal((await api.get<Job>(`/api/v1/reinspections/${queued.body.id}`)).body.status, 'cancelled');
    assert.equal((await post<ErrorBody>(`/api/v1/reinspections/${queued.body.id}/cancel`)).res.status, 409);
    assert.equal((await api.get<{ status: string }>('/api/v1/health')).body.status, 'ok');
  });
});
