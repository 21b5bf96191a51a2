import type { Kysely, Selectable } from 'kysely';
import type { DataKeyRepository, DataKeyRow } from '../../../ports/repositories.js';
import type { DataKeysTable, DatabaseSchema } from '../schema.js';
import { chunks } from './sql-helpers.js';

const toRow = (r: Selectable<DataKeysTable>): DataKeyRow => ({ objectId: r.object_id, keyId: r.key_id, wrapped: r.wrapped, createdAt: r.created_at });

export class KyselyDataKeyRepository implements DataKeyRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async getMany(objectIds: string[]): Promise<Map<string, DataKeyRow>> {
    const out = new Map<string, DataKeyRow>();
    for (const ids of chunks([...new Set(objectIds)])) {
      for (const r of await this.db.selectFrom('data_keys').selectAll().where('object_id', 'in', ids).execute()) out.set(r.object_id, toRow(r));
    }
    return out;
  }

  async insertIfAbsent(row: DataKeyRow): Promise<DataKeyRow> {
    await this.db
      .insertInto('data_keys')
      .values({ object_id: row.objectId, key_id: row.keyId, wrapped: row.wrapped, created_at: row.createdAt })
      .onConflict((oc) => oc.column('object_id').doNothing())
      .execute();
    const stored = await this.db.selectFrom('data_keys').selectAll().where('object_id', '=', row.objectId).executeTakeFirstOrThrow();
    return toRow(stored);
  }

  async listNotWrappedWith(keyId: string, afterObjectId: string | null, limit: number): Promise<DataKeyRow[]> {
    let q = this.db.selectFrom('data_keys').selectAll().where('key_id', '<>', keyId);
    if (afterObjectId !== null) q = q.where('object_id', '>', afterObjectId);
    return (await q.orderBy('object_id').limit(limit).execute()).map(toRow);
  }

  async countNotWrappedWith(keyId: string): Promise<number> {
    const r = await this.db.selectFrom('data_keys').select((eb) => eb.fn.countAll<number | string>().as('n')).where('key_id', '<>', keyId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async rewrap(objectId: string, expectedWrapped: string, next: { keyId: string; wrapped: string }): Promise<boolean> {
    const r = await this.db
      .updateTable('data_keys')
      .set({ key_id: next.keyId, wrapped: next.wrapped })
      .where('object_id', '=', objectId)
      .where('wrapped', '=', expectedWrapped)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async delete(objectId: string): Promise<void> {
    await this.db.deleteFrom('data_keys').where('object_id', '=', objectId).execute();
  }
}
