import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { json, startHttpServer, type ErrorBody } from '../support/http-harness.js';

// The correction dictionary over real HTTP: save versions, read them back, try sentences, and
// refuse a bad document naming the field, storing nothing. Setup is awaited before any test is
// declared (see test/support/http-harness.ts).

const api = await startHttpServer();
after(() => api.close());

interface VersionInfo {
  version: number;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
  terms: number;
}
interface Version extends VersionInfo {
  dictionary: { terms: Array<{ term: string }>; note?: string };
}
interface Preview {
  version: number | null;
  text: string;
  corrections: Array<{ from: string; to: string; index: number; similarity: number; by: string }>;
}

const starter = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../samples/correction-dictionary.json'), 'utf8')) as Version['dictionary'];

async function send<T>(method: 'PUT' | 'POST', route: string, body: unknown): Promise<{ res: Response; body: T }> {
  const res = await api.fetch(`${api.base}${route}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { res, body: await json<T>(res) };
}

test('before any save: 404 with how to save one; preview says the same', async () => {
  const { res, body } = await api.get<ErrorBody>('/api/v1/correction-dictionary');
  assert.equal(res.status, 404);
  assert.equal(body.error.code, 'NOT_FOUND');
  assert.match(body.error.message, /PUT \/api\/v1\/correction-dictionary/);
  assert.match(body.error.message, /samples\/correction-dictionary\.json/);
  const preview = await send<ErrorBody>('POST', '/api/v1/correction-dictionary/preview', { text: '我的圆桶快递到了吗' });
  assert.equal(preview.res.status, 404);
  assert.deepEqual((await api.get<{ items: unknown[] }>('/api/v1/correction-dictionary/versions')).body, { items: [] });
});

test('put → get → versions → preview', async () => {
  const first = await send<{ version: number; terms: number }>('PUT', '/api/v1/correction-dictionary', starter);
  assert.equal(first.res.status, 201, JSON.stringify(first.body));
  assert.deepEqual(first.body, { version: 1, terms: starter.terms.length });

  const latest = await api.get<Version>('/api/v1/correction-dictionary');
  assert.equal(latest.res.status, 200);
  assert.equal(latest.body.version, 1);
  assert.deepEqual(latest.body.dictionary, starter, 'served as saved, so it can be edited and PUT back');
  assert.equal(latest.body.createdBy, 'api');
  assert.equal(latest.body.note, starter.note);
  assert.ok(Math.abs(Date.parse(latest.body.createdAt) - Date.now()) < 60_000);

  const edited = { note: '加入丰巢', terms: [...starter.terms, { term: '丰巢智能柜' }] };
  assert.deepEqual((await send('PUT', '/api/v1/correction-dictionary', edited)).body, { version: 2, terms: starter.terms.length + 1 });
  assert.deepEqual((await api.get<Version>('/api/v1/correction-dictionary')).body.dictionary, edited);

  const versions = await api.get<{ items: VersionInfo[] }>('/api/v1/correction-dictionary/versions');
  assert.deepEqual(
    versions.body.items.map((v) => [v.version, v.terms, v.note]),
    [
      [2, starter.terms.length + 1, '加入丰巢'],
      [1, starter.terms.length, starter.note],
    ],
  );
  const v1 = await api.get<Version>('/api/v1/correction-dictionary/versions/1');
  assert.deepEqual(v1.body.dictionary, starter, 'an earlier version stays readable');
  const missing = await api.get<ErrorBody>('/api/v1/correction-dictionary/versions/9');
  assert.equal(missing.res.status, 404);
  assert.match(missing.body.error.message, /versions are 1 to 2/);
  assert.equal((await api.get<ErrorBody>('/api/v1/correction-dictionary/versions/abc')).res.status, 400);

  const preview = await send<Preview>('POST', '/api/v1/correction-dictionary/preview', { text: '我的圆桶快递到了吗？这个豆沙塞的口红还有吗' });
  assert.equal(preview.res.status, 200, JSON.stringify(preview.body));
  assert.deepEqual(preview.body, {
    version: 2,
    text: '我的圆通快递到了吗？这个豆沙色的口红还有吗',
    corrections: [
      { from: '圆桶快递', to: '圆通快递', index: 2, similarity: 1, by: 'alias' },
      { from: '豆沙塞', to: '豆沙色', index: 12, similarity: 0.967, by: 'pinyin' },
    ],
  });
  const tryTerm = await send<Preview>('POST', '/api/v1/correction-dictionary/preview', { text: '我要用顺风快递寄', dictionary: { terms: [{ term: '顺丰快递' }] } });
  assert.deepEqual([tryTerm.body.version, tryTerm.body.text], [null, '我要用顺丰快递寄'], 'a term tried before it is saved');
  const older = await send<Preview>('POST', '/api/v1/correction-dictionary/preview', { text: '丰巢只能柜', version: 1 });
  assert.deepEqual([older.body.version, older.body.text], [1, '丰巢只能柜']);
});

test('an invalid document is refused with 400 naming each field, and nothing is stored', async () => {
  const before = (await api.get<{ items: VersionInfo[] }>('/api/v1/correction-dictionary/versions')).body.items;
  const bad = { terms: [{ term: '圆通快递', alias: ['圆桶快递'] }, { term: '圆通快递' }, { term: '豆沙色', minSimilarity: 2 }] };
  const { res, body } = await send<ErrorBody & { error: { details?: { problems?: string[] } } }>('PUT', '/api/v1/correction-dictionary', bad);
  assert.equal(res.status, 400);
  assert.equal(body.error.code, 'INVALID_REQUEST');
  assert.deepEqual(body.error.details?.problems, [
    'terms.0.alias: unknown field; a term has term, aliases, keep, minSimilarity',
    'terms.2.minSimilarity: Too big: expected number to be <=1',
    'terms.1.term: "圆通快递" is the term of terms[0]; merge the two entries',
  ]);
  assert.match(body.error.message, /terms\.0\.alias: unknown field/);
  for (const [what, payload] of [
    ['an array', []],
    ['a string', 'terms'],
    ['no terms', { note: 'x' }],
  ] as const) {
    const r = await send<ErrorBody>('PUT', '/api/v1/correction-dictionary', payload);
    assert.equal(r.res.status, 400, what);
    assert.equal(r.body.error.code, 'INVALID_REQUEST', what);
  }
  const notJson = await api.fetch(`${api.base}/api/v1/correction-dictionary`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"terms": [' });
  assert.equal(notJson.status, 400);
  assert.deepEqual((await api.get<{ items: VersionInfo[] }>('/api/v1/correction-dictionary/versions')).body.items, before, 'nothing stored');
  const badPreview = await send<ErrorBody>('POST', '/api/v1/correction-dictionary/preview', { text: '' });
  assert.equal(badPreview.res.status, 400);
  const badTry = await send<ErrorBody>('POST', '/api/v1/correction-dictionary/preview', { text: '你好', dictionary: { terms: [{ term: '圆' }] } });
  assert.equal(badTry.res.status, 400);
  assert.match(badTry.body.error.message, /terms\.0\.term: a term has at least 2 characters/);
});

test('the OpenAPI document describes the routes and the dictionary body', async () => {
  const { body } = await api.get<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>> }>('/api/openapi.json');
  for (const p of ['/api/v1/correction-dictionary', '/api/v1/correction-dictionary/versions', '/api/v1/correction-dictionary/versions/{version}', '/api/v1/correction-dictionary/preview']) assert.ok(body.paths[p], p);
  const put = body.paths['/api/v1/correction-dictionary']?.put;
  assert.ok(put?.requestBody?.content['application/json']?.schema.properties?.terms, 'PUT documents the dictionary schema');
});
