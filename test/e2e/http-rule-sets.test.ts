import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { callDetailSchema } from '../../src/analyze/analysis-document.schema.js';
import { transcriptInput } from '../support/factories.js';
import { json, startHttpServer, type ErrorBody } from '../support/http-harness.js';

// Rule sets over real HTTP (SQLite, in-process workers): validate modules (JSON and YAML text,
// every problem located), store and publish versions, see new calls inspected with the published
// version (evidence down to the characters), dry-run a changed module against it, and refuse bad
// bodies with a 4xx while the server keeps serving. The rule modules are written here, not taken
// from the built-in templates. Setup is awaited before any test is declared (see http-harness.ts).

const api = await startHttpServer();
after(() => api.close());

interface RuleError {
  file: string;
  path: string;
  line: number | null;
  column: number | null;
  message: string;
}
interface RulesErrorBody {
  error: { code: string; message: string; details?: { errors?: RuleError[]; problems?: string[] } };
}
interface Summary {
  hash: string;
  modules: Array<{ module: string; name: string; rules: number; scorecards: number }>;
  rules: number;
  scorecards: number;
}
interface VersionInfo {
  version: number;
  status: 'draft' | 'published';
  sha256: string;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
  publishedAt: string | null;
}
interface DryRun {
  calls: number;
  publishedVersion: number | null;
  rules: Array<{
    ruleId: string;
    hitCalls: number;
    naCalls: number;
    hitRate: number;
    hits: number;
    published: { hitCalls: number; newlyHit: number; noLongerHit: number; newlyHitCallIds: string[]; noLongerHitCallIds: string[] } | null;
    examples: Array<{ callId: string; evidence: Array<{ segmentIndex: number | null; text: string; spans: Array<{ start: number; end: number }> }> }>;
  }>;
  meanScore: { candidate: number | null; published: number | null };
}

/** 服务禁语 (a violation) and 开场问候 (required), scored 50/50; `forbidden` is what the tests change. */
const qaModule = (forbidden: string[]) => ({
  module: 'qa',
  name: '质检',
  rules: [
    { id: 'forbidden', name: '服务禁语', when: { keywords: forbidden, speaker: 'agent' } },
    { id: 'greeting', name: '开场问候', type: 'required', when: { keywords: ['您好'], speaker: 'agent' } },
  ],
  scorecards: [
    {
      id: 'std',
      name: '标准评分表',
      businessLines: ['*'],
      categories: [
        {
          id: 'service',
          name: '服务',
          items: [
            { id: 'greeting', name: '问候', points: 50, rules: ['greeting'] },
            { id: 'forbidden', name: '禁语', points: 50, rules: ['forbidden'] },
          ],
        },
      ],
    },
  ],
});
const v1 = qaModule(['不知道', '不归我管']);

const BROKEN_YAML = ['module: qa', 'name: 质检', 'rules:', '  - id: forbidden', '    name: 服务禁语', '    when: {keyword: [不知道]}', ''].join('\n');
const GOOD_YAML = ['module: qa', 'name: 质检', 'rules:', '  - id: forbidden', '    name: 服务禁语', '    when: {keywords: [不知道, 别急], speaker: agent}', ''].join('\n');

async function post<T>(route: string, body: unknown, contentType = 'application/json'): Promise<{ res: Response; body: T }> {
  const res = await api.fetch(`${api.base}${route}`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { res, body: await json<T>(res) };
}

const seg = (speaker: 'agent' | 'customer', i: number, text: string) => ({ speaker, startMs: i * 4000, endMs: i * 4000 + 3000, text });
/** Three chats designed for the rules: c1 says 不归我管, c2 says 别急, c3 says 不知道 and never 您好. */
const chats = {
  c1: [seg('agent', 0, '您好，请问有什么可以帮您？'), seg('customer', 1, '我的快递丢了。'), seg('agent', 2, '这个不归我管。')],
  c2: [seg('agent', 0, '您好，很高兴为您服务。'), seg('customer', 1, '退款多久到账？'), seg('agent', 2, '别急，一般三个工作日到账。')],
  c3: [seg('agent', 0, '请问什么事？'), seg('customer', 1, '我要投诉。'), seg('agent', 2, '我不知道，你等着吧。')],
};
const ids: Record<keyof typeof chats, string> = { c1: '', c2: '', c3: '' };

describe('rule sets over HTTP', () => {
  test('before any version: published is 404 with how to make one, the list is empty', async () => {
    const { res, body } = await api.get<ErrorBody>('/api/v1/rule-sets/published');
    assert.equal(res.status, 404);
    assert.equal(body.error.code, 'NOT_FOUND');
    assert.match(body.error.message, /tingjian init/);
    assert.match(body.error.message, /POST \/api\/v1\/rule-sets\/versions/);
    assert.deepEqual((await api.get<{ items: unknown[] }>('/api/v1/rule-sets/versions')).body, { items: [] });
    const dry = await post<ErrorBody>('/api/v1/rule-sets/test', {});
    assert.equal(dry.res.status, 404, 'a dry run of the published set needs one');
  });

  test('validate: a good module as JSON and as YAML text', async () => {
    const ok = await post<{ valid: true; summary: Summary }>('/api/v1/rule-sets/validate', { modules: [v1] });
    assert.equal(ok.res.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.valid, true);
    assert.deepEqual(ok.body.summary.modules, [{ module: 'qa', name: '质检', rules: 2, scorecards: 1 }]);
    assert.equal(ok.body.summary.rules, 2);
    assert.match(ok.body.summary.hash, /^[0-9a-f]{64}$/);
    for (const type of ['application/yaml', 'text/yaml', 'text/plain', 'application/x-yaml; charset=utf-8']) {
      const yaml = await post<{ valid: true; summary: Summary }>('/api/v1/rule-sets/validate', GOOD_YAML, type);
      assert.equal(yaml.res.status, 200, `${type}: ${JSON.stringify(yaml.body)}`);
      assert.equal(yaml.body.summary.rules, 1, type);
    }
  });

  test('validate: a broken YAML text is 422 INVALID_RULES with the line and the path', async () => {
    const { res, body } = await post<RulesErrorBody>('/api/v1/rule-sets/validate', BROKEN_YAML, 'application/yaml');
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.equal(body.error.code, 'INVALID_RULES');
    const errors = body.error.details?.errors ?? [];
    assert.ok(errors.length >= 1, JSON.stringify(body));
    const e = errors.find((x) => x.path.startsWith('rules[0].when'));
    assert.ok(e, `an error at rules[0].when: ${JSON.stringify(errors)}`);
    assert.equal(e.file, 'request body');
    assert.equal(e.line, 6, 'the line of `when`');
    assert.equal(typeof e.column, 'number');
    assert.match(body.error.message, /request body:6:\d+ rules\[0\]\.when/);

    const syntax = await post<RulesErrorBody>('/api/v1/rule-sets/validate', 'module: qa\nrules: [\n  - id: x\n', 'text/yaml');
    assert.equal(syntax.res.status, 422, 'a YAML syntax error is located too');
    assert.equal(typeof syntax.body.error.details?.errors?.[0]?.line, 'number');
  });

  test('validate: a broken JSON module is located by modules[i] and path; every problem at once', async () => {
    const bad = { ...v1, rules: [{ ...v1.rules[0], when: { keywords: [] } }, { id: 'Bad Id', name: '', when: { keywords: ['x'] } }] };
    const { res, body } = await post<RulesErrorBody>('/api/v1/rule-sets/validate', { modules: [v1, bad] });
    assert.equal(res.status, 422, JSON.stringify(body));
    const errors = body.error.details?.errors ?? [];
    assert.ok(errors.every((e) => e.file === 'modules[1]' && e.line === null), JSON.stringify(errors));
    const paths = errors.map((e) => e.path);
    assert.ok(paths.some((p) => p.startsWith('rules[0].when')), JSON.stringify(paths));
    assert.ok(paths.includes('rules[1].id'), JSON.stringify(paths));
    assert.ok(paths.includes('rules[1].name'), JSON.stringify(paths));
  });

  test('store a draft, publish it, list and read it', async () => {
    const created = await post<VersionInfo & { summary: Summary }>('/api/v1/rule-sets/versions?note=%E9%A6%96%E7%89%88', { modules: [v1] });
    assert.equal(created.res.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.version, 1);
    assert.equal(created.body.status, 'draft');
    assert.equal(created.body.note, '首版');
    assert.equal(created.body.createdBy, 'test-admin', 'the account that stored it');
    assert.equal(created.body.publishedAt, null);
    assert.equal(created.body.summary.rules, 2);
    assert.equal(created.body.sha256, created.body.summary.hash);
    assert.equal((await api.get<ErrorBody>('/api/v1/rule-sets/published')).res.status, 404, 'a draft is not published');

    const published = await post<VersionInfo>('/api/v1/rule-sets/versions/1/publish', undefined, 'text/plain');
    assert.equal(published.res.status, 200, JSON.stringify(published.body));
    assert.equal(published.body.status, 'published');
    assert.ok(Math.abs(Date.parse(published.body.publishedAt ?? '') - Date.now()) < 60_000);
    const missing = await api.fetch(`${api.base}/api/v1/rule-sets/versions/99/publish`, { method: 'POST' });
    assert.equal(missing.status, 404);

    const list = await api.get<{ items: VersionInfo[] }>('/api/v1/rule-sets/versions');
    assert.deepEqual(list.body.items.map((v) => [v.version, v.status]), [[1, 'published']]);
    const one = await api.get<VersionInfo & { document: { modules: unknown[] } }>('/api/v1/rule-sets/versions/1');
    assert.equal(one.res.status, 200);
    assert.deepEqual(one.body.document.modules, [v1], 'served as sent, to edit and send back');
    const pub = await api.get<VersionInfo & { document: { modules: unknown[] } }>('/api/v1/rule-sets/published');
    assert.equal(pub.body.version, 1);
    assert.equal((await api.get<ErrorBody>('/api/v1/rule-sets/versions/7')).res.status, 404);
    assert.equal((await api.get<ErrorBody>('/api/v1/rule-sets/versions/abc')).res.status, 400);
  });

  test('new calls are inspected with the published version, with evidence', async () => {
    for (const [k, segments] of Object.entries(chats) as Array<[keyof typeof chats, (typeof chats)['c1']]>) {
      const { res, body } = await api.postJson(transcriptInput({ segments }));
      assert.equal(res.status, 201, JSON.stringify(body));
      ids[k] = body.call.id;
    }
    const details = Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, callDetailSchema.parse(await api.waitForCall(id))] as const)));
    for (const d of Object.values(details)) {
      assert.equal(d.inspection?.ruleSetVersion, 1);
      assert.equal(d.call.stages.inspect.status, 'done');
    }
    const outcome = (k: string, rule: string) => details[k]!.inspection!.results.find((r) => r.ruleId === `qa.${rule}`)?.outcome;
    assert.deepEqual(
      ['c1', 'c2', 'c3'].map((k) => [outcome(k, 'forbidden'), outcome(k, 'greeting')]),
      [
        ['hit', 'pass'],
        ['pass', 'pass'],
        ['hit', 'hit'],
      ],
    );
    const c3 = details.c3!.inspection!.results.find((r) => r.ruleId === 'qa.forbidden')!;
    assert.equal(c3.hits, 1);
    const ev = c3.evidence[0]!;
    assert.equal(ev.segmentIndex, 2);
    assert.equal(ev.text, '我不知道，你等着吧。');
    assert.deepEqual(ev.spans, [{ start: 1, end: 4 }]);
    assert.equal(ev.startMs, 8000);
    assert.equal(details.c1!.inspection!.score?.percent, 50);
    assert.equal(details.c2!.inspection!.score?.percent, 100);
  });

  test('dry run of a changed module: what newly hits and what no longer does, nothing stored', async () => {
    const v2 = qaModule(['不知道', '别急']);
    const callIds = [ids.c1, ids.c2, ids.c3];
    const { res, body } = await post<DryRun>('/api/v1/rule-sets/test', { modules: [v2], filter: { callIds } });
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.calls, 3);
    assert.equal(body.publishedVersion, 1);
    const forbidden = body.rules.find((r) => r.ruleId === 'qa.forbidden')!;
    assert.equal(forbidden.hitCalls, 2);
    assert.deepEqual(forbidden.published && { ...forbidden.published }, {
      hitCalls: 2,
      newlyHit: 1,
      noLongerHit: 1,
      newlyHitCallIds: [ids.c2],
      noLongerHitCallIds: [ids.c1],
    });
    assert.deepEqual(forbidden.examples.map((e) => e.callId).sort(), [ids.c2, ids.c3].sort());
    const greeting = body.rules.find((r) => r.ruleId === 'qa.greeting')!;
    assert.deepEqual([greeting.hitCalls, greeting.published?.newlyHit, greeting.published?.noLongerHit], [1, 0, 0]);
    // c1 100 (was 50), c2 50 (was 100), c3 0 under both.
    assert.deepEqual(body.meanScore, { candidate: 50, published: 50 });

    // The same candidate as a YAML text body, filter and limit in the query string; a new rule has no published column.
    const yaml = `${GOOD_YAML}  - id: wait\n    name: 让客户等\n    when: {keywords: [等着吧]}\n`;
    const q = new URLSearchParams({ callIds: callIds.join(','), limit: '10' });
    const text = await post<DryRun>(`/api/v1/rule-sets/test?${q}`, yaml, 'application/yaml');
    assert.equal(text.res.status, 200, JSON.stringify(text.body));
    assert.equal(text.body.calls, 3);
    assert.deepEqual(text.body.rules.find((r) => r.ruleId === 'qa.forbidden')?.published?.newlyHitCallIds, [ids.c2]);
    const wait = text.body.rules.find((r) => r.ruleId === 'qa.wait')!;
    assert.equal(wait.published, null);
    assert.equal(wait.hitCalls, 1);
    // The YAML module replaced qa as a whole: its greeting rule is gone, and the calls it hit no longer hit.
    const gone = text.body.rules.find((r) => r.ruleId === 'qa.greeting') as (DryRun['rules'][number] & { removed?: true }) | undefined;
    assert.equal(gone?.removed, true);
    assert.equal(gone?.hitCalls, 0);
    assert.equal(gone?.published?.noLongerHit, gone?.published?.hitCalls);
    assert.ok((gone?.published?.hitCalls ?? 0) >= 1);

    const limited = await post<DryRun>('/api/v1/rule-sets/test', { filter: { callIds }, limit: 2 });
    assert.equal(limited.body.calls, 2, 'limit, and the published set as it is without modules');
    const none = await post<DryRun>('/api/v1/rule-sets/test', { modules: [v2], filter: { callIds: [] } });
    assert.equal(none.body.calls, 0);

    const detail = callDetailSchema.parse((await api.get(`/api/v1/calls/${ids.c1}`)).body);
    assert.equal(detail.inspection?.ruleSetVersion, 1, 'a dry run stores nothing');
    assert.deepEqual(await api.app.db.repos.inspections.versionsForCall(ids.c2), [1]);
    assert.deepEqual((await api.get<{ items: VersionInfo[] }>('/api/v1/rule-sets/versions')).body.items.length, 1);
  });

  test('a version that replaces one module keeps the others; replaceAll replaces the set', async () => {
    const extra = { module: 'extra', name: '附加', rules: [{ id: 'rude', name: '粗话', when: { keywords: ['滚'] } }] };
    const merged = await post<VersionInfo & { summary: Summary }>('/api/v1/rule-sets/versions', { modules: [extra], note: '加 extra' });
    assert.equal(merged.res.status, 201, JSON.stringify(merged.body));
    assert.deepEqual(merged.body.summary.modules.map((m) => m.module), ['qa', 'extra']);
    assert.equal(merged.body.status, 'draft');

    // Validating checks what publishing would: a module whose scorecard cites qa.forbidden is valid
    // over the published set (which has qa), and not on its own (?replaceAll=true).
    const citing = { ...extra, module: 'citing', scorecards: [{ id: 'fin', name: '金融', businessLines: ['finance'], categories: [{ id: 'c', name: '合规', items: [{ id: 'i', name: '禁语', points: 10, rules: ['qa.forbidden', 'rude'] }] }] }] };
    const over = await post<{ valid: true; summary: Summary }>('/api/v1/rule-sets/validate', { modules: [citing] });
    assert.equal(over.res.status, 200, JSON.stringify(over.body));
    assert.deepEqual(over.body.summary.modules.map((m) => m.module), ['qa', 'citing'], 'the summary is of the set publishing would make');
    const alone = await post<RulesErrorBody>('/api/v1/rule-sets/validate?replaceAll=true', { modules: [citing] });
    assert.equal(alone.res.status, 422, JSON.stringify(alone.body));
    assert.match(alone.body.error.details?.errors?.[0]?.message ?? '', /no rule qa\.forbidden/);
    const whole = await post<VersionInfo & { summary: Summary }>('/api/v1/rule-sets/versions?replaceAll=true&publish=true', GOOD_YAML, 'text/yaml');
    assert.equal(whole.res.status, 201, JSON.stringify(whole.body));
    assert.deepEqual(whole.body.summary.modules.map((m) => m.module), ['qa']);
    assert.equal(whole.body.status, 'published');
    const conflict = await post<ErrorBody>('/api/v1/rule-sets/versions?note=a', { modules: [extra], note: 'b' });
    assert.equal(conflict.res.status, 400, 'note given twice, differently');
    const list = await api.get<{ items: VersionInfo[] }>('/api/v1/rule-sets/versions');
    assert.deepEqual(list.body.items.map((v) => [v.version, v.status]), [
      [3, 'published'],
      [2, 'draft'],
      [1, 'published'],
    ]);
    assert.equal((await api.get<VersionInfo>('/api/v1/rule-sets/published')).body.version, 3);
  });

  test('bad bodies are a clear 4xx, nothing is stored, and the server keeps serving', async () => {
    const before = (await api.get<{ items: VersionInfo[] }>('/api/v1/rule-sets/versions')).body.items;
    const unknown = await post<RulesErrorBody>('/api/v1/rule-sets/versions', { modules: [v1], publsh: true });
    assert.equal(unknown.res.status, 400);
    assert.equal(unknown.body.error.code, 'INVALID_REQUEST');
    assert.match(unknown.body.error.message, /publsh/);
    const unknownFilter = await post<RulesErrorBody>('/api/v1/rule-sets/test', { filter: { agent: 'A1' } });
    assert.equal(unknownFilter.res.status, 400);
    assert.match(unknownFilter.body.error.message, /agent/);
    const badQuery = await post<RulesErrorBody>('/api/v1/rule-sets/versions?publish=yes', { modules: [v1] });
    assert.equal(badQuery.res.status, 400);
    assert.match(badQuery.body.error.message, /publish/);
    const tooMany = await post<RulesErrorBody>('/api/v1/rule-sets/test', { limit: 100_001 });
    assert.equal(tooMany.res.status, 400);
    const badDate = await post<RulesErrorBody>('/api/v1/rule-sets/test', { filter: { from: '2025-02-30' } });
    assert.equal(badDate.res.status, 400);
    assert.match(badDate.body.error.message, /filter\.from/);
    const empty = await post<RulesErrorBody>('/api/v1/rule-sets/validate', { modules: [] });
    assert.equal(empty.res.status, 400);
    const emptyText = await post<RulesErrorBody>('/api/v1/rule-sets/validate', '  \n', 'application/yaml');
    assert.equal(emptyText.res.status, 400);
    const notJson = await post<RulesErrorBody>('/api/v1/rule-sets/validate', '{"modules": [', 'application/json');
    assert.equal(notJson.res.status, 400);
    const xml = await post<RulesErrorBody>('/api/v1/rule-sets/validate', '<rules/>', 'application/xml');
    assert.equal(xml.res.status, 400);
    assert.match(xml.body.error.message, /application\/yaml/);
    const huge = await post<RulesErrorBody>('/api/v1/rule-sets/versions', `${GOOD_YAML}# ${'x'.repeat(3 * 1024 * 1024)}\n`, 'application/yaml');
    assert.equal(huge.res.status, 413);
    assert.equal(huge.body.error.code, 'UPLOAD_TOO_LARGE');
    assert.match(huge.body.error.message, /rule files/);
    const hugeJson = await post<RulesErrorBody>('/api/v1/rule-sets/validate', { modules: [{ ...v1, description: 'x'.repeat(3 * 1024 * 1024) }] });
    assert.equal(hugeJson.res.status, 413);
    const invalid = await post<RulesErrorBody>('/api/v1/rule-sets/versions?publish=true', BROKEN_YAML, 'application/yaml');
    assert.equal(invalid.res.status, 422);

    assert.deepEqual((await api.get<{ items: VersionInfo[] }>('/api/v1/rule-sets/versions')).body.items, before, 'nothing stored');
    assert.equal((await api.get<{ status: string }>('/api/v1/health')).body.status, 'ok');
    assert.equal((await post<{ valid: boolean }>('/api/v1/rule-sets/validate', { modules: [v1] })).res.status, 200);
  });

  test('the OpenAPI document describes the rule set and re-inspection routes', async () => {
    const { body } = await api.get<{ paths: Record<string, Record<string, { summary?: string }>> }>('/api/openapi.json');
    for (const [p, m] of [
      ['/api/v1/rule-sets/validate', 'post'],
      ['/api/v1/rule-sets/versions', 'post'],
      ['/api/v1/rule-sets/versions', 'get'],
      ['/api/v1/rule-sets/versions/{version}', 'get'],
      ['/api/v1/rule-sets/versions/{version}/publish', 'post'],
      ['/api/v1/rule-sets/published', 'get'],
      ['/api/v1/rule-sets/test', 'post'],
      ['/api/v1/reinspections', 'post'],
      ['/api/v1/reinspections', 'get'],
      ['/api/v1/reinspections/{id}', 'get'],
      ['/api/v1/reinspections/{id}/cancel', 'post'],
    ] as const) {
      assert.ok(body.paths[p]?.[m]?.summary, `${m} ${p} has a summary`);
    }
    const validate = body.paths['/api/v1/rule-sets/validate']?.post as { requestBody?: { content: Record<string, unknown> } } | undefined;
    assert.deepEqual(Object.keys(validate?.requestBody?.content ?? {}).sort(), ['application/json', 'application/yaml', 'text/plain', 'text/yaml']);
  });
});
