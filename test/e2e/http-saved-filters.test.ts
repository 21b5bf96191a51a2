import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { accountWithToken, json, startHttpServer, type ErrorBody } from '../support/http-harness.js';

// Saved filters and the inspector list over real HTTP: each account keeps its own filters (one
// name per page, at most 100), never sees or deletes another's; bad bodies are 400 naming the
// field. GET /api/v1/inspectors lists the enabled inspectors for those who may assign calls.

const api = await startHttpServer();
after(() => api.close());

interface Saved {
  id: string;
  name: string;
  page: string;
  query: Record<string, string>;
  createdAt: string;
}

const admin = { authorization: `Bearer ${api.token}` };
const agent = await accountWithToken(api.app, { username: 'sf-agent', role: 'agent', agentId: 'A-sf' });

async function call<T>(method: string, route: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${api.base}${route}`, { method, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: res.status === 204 ? (undefined as T) : await json<T>(res) };
}
const save = (headers: Record<string, string>, body: unknown) => call<Saved & ErrorBody>('POST', '/api/v1/saved-filters', headers, body);
const mine = (headers: Record<string, string>, page = 'calls') => call<{ items: Saved[] }>('GET', `/api/v1/saved-filters?page=${page}`, headers);

describe('saved filters over HTTP', () => {
  test('save, list own in name order, one name per page', async () => {
    const low = await save(admin, { name: ' 低分通话 ', page: 'calls', query: { maxScore: '60', sort: 'score', order: 'asc' } });
    assert.equal(low.status, 201, JSON.stringify(low.body));
    assert.deepEqual({ ...low.body, id: 'x', createdAt: 'x' }, { id: 'x', name: '低分通话', page: 'calls', query: { maxScore: '60', sort: 'score', order: 'asc' }, createdAt: 'x' });
    assert.ok(Math.abs(Date.parse(low.body.createdAt) - Date.now()) < 60_000);
    assert.equal((await save(admin, { name: 'Fatal', page: 'calls', query: { fatal: 'true' } })).status, 201);
    assert.equal((await save(admin, { name: '低分通话', page: 'search', query: { q: '退款' } })).status, 201, 'the same name on another page');

    const listed = await mine(admin);
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items.map((f) => f.name), ['Fatal', '低分通话']);
    assert.deepEqual(listed.body.items[1], low.body);
    assert.deepEqual((await mine(admin, 'search')).body.items.map((f) => [f.name, f.query]), [['低分通话', { q: '退款' }]]);
    assert.equal((await call<{ items: Saved[] }>('GET', '/api/v1/saved-filters', admin)).body.items.length, 3, 'every page without ?page');

    const again = await save(admin, { name: '低分通话', page: 'calls', query: {} });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'CONFLICT');
    assert.match(again.body.error.message, /already have a filter named "低分通话" on the calls page/);
  });

  test('another account sees none of them and cannot delete them', async () => {
    assert.deepEqual((await mine(agent.headers)).body, { items: [] });
    const id = (await mine(admin)).body.items[0]!.id;
    const theirs = await call<ErrorBody>('DELETE', `/api/v1/saved-filters/${id}`, agent.headers);
    assert.equal(theirs.status, 404);
    assert.equal((await mine(admin)).body.items.length, 2, 'still there');
    assert.equal((await save(agent.headers, { name: 'Fatal', page: 'calls', query: {} })).status, 201, 'names are per account');
    assert.equal((await call<undefined>('DELETE', `/api/v1/saved-filters/${id}`, admin)).status, 204);
    assert.equal((await call<ErrorBody>('DELETE', `/api/v1/saved-filters/${id}`, admin)).status, 404, 'already gone');
    assert.deepEqual((await mine(admin)).body.items.map((f) => f.name), ['低分通话']);
    assert.equal((await fetch(`${api.base}/api/v1/saved-filters`)).status, 401, 'signed in only');
  });

  test('bad bodies are 400 and name the field', async () => {
    const tooMany = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']));
    const cases: Array<[unknown, RegExp]> = [
      [{ name: '', page: 'calls', query: {} }, /name/],
      [{ name: '   ', page: 'calls', query: {} }, /name/],
      [{ name: 'x'.repeat(61), page: 'calls', query: {} }, /name/],
      [{ name: 'ok', page: 'reports', query: {} }, /page/],
      [{ name: 'ok', page: 'calls', query: tooMany }, /query.*at most 30/],
      [{ name: 'ok', page: 'calls', query: { q: 'x'.repeat(501) } }, /query\.q/],
      [{ name: 'ok', page: 'calls', query: { minScore: 60 } }, /query\.minScore/],
      [{ name: 'ok', page: 'calls' }, /query/],
      [{ name: 'ok', page: 'calls', query: {}, shared: true }, /shared/],
    ];
    for (const [body, message] of cases) {
      const r = await save(admin, body);
      assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
      assert.match(r.body.error.message, message);
    }
    assert.equal((await call<ErrorBody>('GET', '/api/v1/saved-filters?page=reports', admin)).status, 400);
  });

  test('at most 100 per account', async () => {
    const heavy = await accountWithToken(api.app, { username: 'sf-heavy', role: 'inspector' });
    for (let i = 0; i < 99; i++) assert.equal(await api.app.db.repos.savedFilters.insert({ id: `heavy-${i}`, accountId: heavy.account.id, page: 'dashboard', name: `f${i}`, query: {}, createdAt: 1 }, 100), 'saved');
    assert.equal((await save(heavy.headers, { name: 'the hundredth', page: 'calls', query: {} })).status, 201);
    const over = await save(heavy.headers, { name: 'one more', page: 'calls', query: {} });
    assert.equal(over.status, 400);
    assert.match(over.body.error.message, /100 saved filters.*delete some/);
    assert.equal((await save(agent.headers, { name: 'one more', page: 'calls', query: {} })).status, 201, 'the limit is per account');
  });
});

describe('GET /api/v1/inspectors', () => {
  test('the enabled inspectors, for those who may assign calls', async () => {
    const a = await accountWithToken(api.app, { username: 'insp-b', role: 'inspector', displayName: '质检员小王', businessLines: ['电商', '金融'] });
    await accountWithToken(api.app, { username: 'insp-a', role: 'inspector' });
    const off = await accountWithToken(api.app, { username: 'insp-off', role: 'inspector' });
    await api.app.accounts.updateAccount(off.account.id, { disabled: true });
    const manager = await accountWithToken(api.app, { username: 'sf-manager', role: 'qa_manager' });

    const { status, body } = await call<{ items: Array<{ id: string; username: string; displayName: string | null; businessLines: string[] }> }>('GET', '/api/v1/inspectors', manager.headers);
    assert.equal(status, 200);
    const ours = body.items.filter((i) => i.username.startsWith('insp-'));
    assert.deepEqual(ours, [
      { id: ours[0]!.id, username: 'insp-a', displayName: null, businessLines: [] },
      { id: a.account.id, username: 'insp-b', displayName: '质检员小王', businessLines: ['电商', '金融'] },
    ]);
    assert.ok(body.items.every((i) => i.username !== 'sf-agent' && i.username !== 'sf-manager'), 'inspectors only');
    assert.ok(body.items.some((i) => i.username === 'sf-heavy'), 'the other inspector made above');
    assert.equal((await call('GET', '/api/v1/inspectors', admin)).status, 200);
    assert.equal((await call('GET', '/api/v1/inspectors', agent.headers)).status, 403, 'agents cannot assign calls');
  });
});
