import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database, SavedFilter } from '../../src/ports/repositories.js';

/**
 * Saved filters on every database: read back exactly (Chinese names, a JSON query), per account
 * and page in name order, one name per account and page (a second insert stores nothing), a
 * limit per account that concurrent saves respect, counts across pages, deletes only the account's own, and never for an account that does not exist.
 */
export function savedFilterContract(name: string, open: () => Promise<{ db: Database; cleanup: () => Promise<void> }>): void {
  describe(`saved filter repository contract: ${name}`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    const account = async (id: string) =>
      db.repos.accounts.insert({ id, username: id, displayName: null, passwordHash: null, role: 'inspector', agentId: null, teamIds: [], businessLines: [], oidcSubject: null, createdAt: 1 });
    let n = 0;
    const filter = (over: Partial<SavedFilter>): SavedFilter => ({ id: `sf-${++n}`, accountId: 'u-a', page: 'calls', name: `filter ${n}`, query: {}, createdAt: 1_700_000_000_000 + n, ...over });

    before(async () => {
      ({ db, cleanup } = await open());
      await db.migrate();
      await account('u-a');
      await account('u-b');
    });
    after(async () => {
      await db.close();
      await cleanup();
    });

    it('stores, lists per account and page in name order, and counts every page', async () => {
      const low = filter({ name: '低分通话', query: { maxScore: '60', sort: 'score', order: 'asc', businessLine: '电商' } });
      const fatal = filter({ name: 'A fatal', query: { fatal: 'true' } });
      const search = filter({ name: '低分通话', page: 'search', query: { q: '退款 "不归我们管"' } });
      const other = filter({ accountId: 'u-b', name: 'A fatal' });
      for (const f of [low, fatal, search, other]) assert.equal(await db.repos.savedFilters.insert(f, 100), 'saved');
      assert.deepEqual(await db.repos.savedFilters.list('u-a', 'calls'), [fatal, low]);
      assert.deepEqual(await db.repos.savedFilters.list('u-a', 'search'), [search]);
      assert.deepEqual(await db.repos.savedFilters.list('u-a'), [fatal, low, search], 'every page: name, then page');
      assert.deepEqual(await db.repos.savedFilters.list('u-b'), [other]);
      assert.deepEqual(await db.repos.savedFilters.list('u-b', 'dashboard'), []);
      assert.deepEqual([await db.repos.savedFilters.count('u-a'), await db.repos.savedFilters.count('u-b'), await db.repos.savedFilters.count('nobody')], [3, 1, 0]);
    });

    it('one name per account and page: a second one stores nothing', async () => {
      const first = filter({ accountId: 'u-b', name: '投诉', query: { rule: 'svc.rude' } });
      assert.equal(await db.repos.savedFilters.insert(first, 100), 'saved');
      assert.equal(await db.repos.savedFilters.insert(filter({ accountId: 'u-b', name: '投诉', query: { rule: 'other' } }), 100), 'name-taken');
      assert.deepEqual((await db.repos.savedFilters.list('u-b', 'calls')).filter((f) => f.name === '投诉'), [first], 'the first one kept');
      assert.equal(await db.repos.savedFilters.insert(filter({ accountId: 'u-b', name: '投诉', page: 'dashboard' }), 100), 'saved', 'the same name on another page');
      assert.equal(await db.repos.savedFilters.insert(filter({ accountId: 'u-a', name: '投诉' }), 100), 'saved', 'the same name for another account');
      await assert.rejects(db.repos.savedFilters.insert(filter({ accountId: 'no-such-account' }), 100), 'only for an account that exists');
    });

    it('saves at the same time never take an account past its limit', async () => {
      await account('u-many');
      await account('u-other');
      const many = Array.from({ length: 12 }, (_, i) => filter({ accountId: 'u-many', name: `race ${i}` }));
      const outcomes = await Promise.all([...many.map((f) => db.repos.savedFilters.insert(f, 5)), db.repos.savedFilters.insert(filter({ accountId: 'u-other' }), 5)]);
      assert.deepEqual(outcomes.slice(0, 12).sort(), [...Array(7).fill('full'), ...Array(5).fill('saved')]);
      assert.equal(outcomes[12], 'saved', 'another account is not held up by the limit of this one');
      assert.equal(await db.repos.savedFilters.count('u-many'), 5);
      assert.equal(await db.repos.savedFilters.insert(filter({ accountId: 'u-many', name: 'race 0' }), 5), 'full', 'full is told before a taken name');
    });

    it("deletes only the account's own filter", async () => {
      const mine = filter({ accountId: 'u-a', name: 'to delete' });
      await db.repos.savedFilters.insert(mine, 100);
      assert.equal(await db.repos.savedFilters.delete('u-b', mine.id), false, "another account's id");
      assert.equal(await db.repos.savedFilters.delete('u-a', 'missing'), false);
      assert.ok((await db.repos.savedFilters.list('u-a')).some((f) => f.id === mine.id));
      assert.equal(await db.repos.savedFilters.delete('u-a', mine.id), true);
      assert.equal(await db.repos.savedFilters.delete('u-a', mine.id), false, 'gone');
      assert.ok(!(await db.repos.savedFilters.list('u-a')).some((f) => f.id === mine.id));
    });
  });
}
