import { sql, type Kysely, type Selectable } from 'kysely';
import type { SavedFilter, SavedFilterPage, SavedFilterRepository } from '../../../ports/saved-filter-repository.js';
import type { DatabaseSchema, SavedFiltersTable } from '../schema.js';
import type { Atomic, Dialect } from './sql-helpers.js';

const toFilter = (r: Selectable<SavedFiltersTable>): SavedFilter => ({
  id: r.id,
  accountId: r.account_id,
  page: r.page as SavedFilterPage,
  name: r.name,
  query: JSON.parse(r.query) as Record<string, string>,
  createdAt: Number(r.created_at),
});

export class KyselySavedFilterRepository implements SavedFilterRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: Dialect,
    private readonly atomic: Atomic,
  ) {}

  /**
   * Count and insert in one transaction. SQLite runs one write transaction at a time; on
   * PostgreSQL the account's row is locked first, so a second save of the same account waits for
   * the first to commit and then counts its filter (saves of other accounts do not wait).
   */
  insert(f: SavedFilter, maxPerAccount: number): Promise<'saved' | 'name-taken' | 'full'> {
    return this.atomic(async (db) => {
      if (this.dialect === 'postgres') await sql`select id from users where id = ${f.accountId} for update`.execute(db);
      const { n } = await db.selectFrom('saved_filters').select((eb) => eb.fn.countAll<number | string>().as('n')).where('account_id', '=', f.accountId).executeTakeFirstOrThrow();
      if (Number(n) >= maxPerAccount) return 'full';
      const r = await db
        .insertInto('saved_filters')
        .values({ id: f.id, account_id: f.accountId, page: f.page, name: f.name, query: JSON.stringify(f.query), created_at: f.createdAt })
        .onConflict((oc) => oc.columns(['account_id', 'page', 'name']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0 ? 'saved' : 'name-taken';
    });
  }

  async list(accountId: string, page?: SavedFilterPage): Promise<SavedFilter[]> {
    let q = this.db.selectFrom('saved_filters').selectAll().where('account_id', '=', accountId);
    if (page !== undefined) q = q.where('page', '=', page);
    // Sorted here: the databases' collations order Chinese names differently (at most 100 rows).
    const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return (await q.execute()).map(toFilter).sort((a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.page, b.page));
  }

  async count(accountId: string): Promise<number> {
    const r = await this.db.selectFrom('saved_filters').select((eb) => eb.fn.countAll<number | string>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async delete(accountId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('saved_filters').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
