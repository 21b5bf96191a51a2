import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../adapters/db/open-database.js';
import type { Database } from '../../ports/repositories.js';
import { CorrectionService, DEFAULT_RECHECK_MS } from './correction-service.js';

let db: Database;
before(async () => {
  db = await openDatabase('sqlite::memory:');
  await db.migrate();
});
after(() => db.close());

const v1 = { note: '快递', terms: [{ term: '圆通快递', aliases: ['圆桶快递'] }] };
const v2 = { terms: [{ term: '圆通快递' }, { term: '豆沙色' }] };

test('current(): null before any save; compiled once per version; another process’s save seen after recheckMs', async () => {
  let clock = 1_000_000;
  const service = new CorrectionService(db, { now: () => clock });
  const elsewhere = new CorrectionService(db, { now: () => clock }); // another process on the same database
  assert.equal(await service.current(), null);
  assert.deepEqual(await elsewhere.save(v1, { createdBy: 'test' }), { version: 1, terms: 1 });
  assert.equal(await service.current(), null, 'not asked again within recheckMs');
  clock += DEFAULT_RECHECK_MS;
  const first = await service.current();
  assert.equal(first?.version, 1);
  assert.equal(first.compiled.doc.terms[0]?.term, '圆通快递');
  clock += DEFAULT_RECHECK_MS;
  assert.equal((await service.current())?.compiled, first.compiled, 'the same version is not compiled again');
  await service.save(v2);
  const second = await service.current();
  assert.equal(second?.version, 2, 'a save through this instance is seen at once');
  const [a, b] = await Promise.all([service.current(), service.current()]);
  assert.equal(a, b);
});

test('save() rejects an invalid document with every problem and stores nothing', async () => {
  const service = new CorrectionService(db);
  const before = await service.list();
  await assert.rejects(service.save({ terms: [{ term: '圆', alias: [] }] }, { source: 'bad.json' }), (e: { code?: string; message: string; details?: { problems?: string[] } }) => {
    assert.equal(e.code, 'INVALID_REQUEST');
    assert.match(e.message, /^invalid bad\.json: /);
    assert.deepEqual(e.details?.problems, ['terms.0.term: a term has at least 2 characters', 'terms.0.alias: unknown field; a term has term, aliases, keep, minSimilarity']);
    return true;
  });
  assert.deepEqual(await service.list(), before);
});

test('get/latest/list/preview', async () => {
  const service = new CorrectionService(db);
  assert.equal((await service.latest()).version, 2);
  assert.deepEqual((await service.get(1)).doc, v1);
  await assert.rejects(service.get(9), /version 9 does not exist; versions are 1 to 2/);
  assert.deepEqual(
    (await service.list()).map((v) => [v.version, v.terms, v.note, v.createdBy]),
    [
      [2, 2, null, null],
      [1, 1, '快递', 'test'],
    ],
  );
  assert.equal((await service.preview('这个豆沙塞的')).text, '这个豆沙色的');
  assert.equal((await service.preview('这个豆沙塞的', { version: 1 })).text, '这个豆沙塞的', 'version 1 has no 豆沙色');
  const tried = await service.preview('花被分期', { dictionary: { terms: [{ term: '花呗', aliases: ['花被'] }] } });
  assert.deepEqual(tried, { version: null, text: '花呗分期', corrections: [{ from: '花被', to: '花呗', index: 0, similarity: 1, by: 'alias' }] });
  await assert.rejects(service.preview('x', { dictionary: { terms: 'no' } }), /invalid dictionary: terms:/);
});

test('NOT_FOUND with a hint when nothing was saved', async () => {
  const empty = await openDatabase('sqlite::memory:');
  await empty.migrate();
  try {
    const service = new CorrectionService(empty);
    await assert.rejects(service.latest(), (e: { code?: string; message: string }) => e.code === 'NOT_FOUND' && /tingjian dictionary set/.test(e.message));
    await assert.rejects(service.preview('圆桶快递'), (e: { code?: string }) => e.code === 'NOT_FOUND');
    await assert.rejects(service.get(1), (e: { code?: string; message: string }) => e.code === 'NOT_FOUND' && /PUT \/api\/v1\/correction-dictionary/.test(e.message));
  } finally {
    await empty.close();
  }
});
