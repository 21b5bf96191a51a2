import { sql, type Kysely, type Selectable } from 'kysely';
import type { CorrectionDictionaryRepository, CorrectionDictionaryVersion, CorrectionDictionaryVersionInfo } from '../../../ports/repositories.js';
import type { CorrectionDictionary } from '../../../transcribe/correction/correction-dictionary.schema.js';
import type { CorrectionDictionariesTable, DatabaseSchema } from '../schema.js';

const toVersion = (r: Selectable<CorrectionDictionariesTable>): CorrectionDictionaryVersion => ({
  version: Number(r.version),
  // Validated before it was stored (CorrectionService.save).
  doc: JSON.parse(r.body) as CorrectionDictionary,
  note: r.note,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/**
 * Dictionary versions as rows, only ever inserted. The next number is taken in the INSERT itself
 * (max + 1): one statement under SQLite's write lock; on PostgreSQL behind a table lock that only
 * appenders take (readers are not blocked), since two statements reading the same max would
 * otherwise collide. A sequence would leave gaps on rollback; versions are 1, 2, 3….
 */
export class KyselyCorrectionDictionaryRepository implements CorrectionDictionaryRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async latest(): Promise<CorrectionDictionaryVersion | null> {
    const r = await this.db.selectFrom('correction_dictionaries').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
    return r ? toVersion(r) : null;
  }

  async get(version: number): Promise<CorrectionDictionaryVersion | null> {
    const r = await this.db.selectFrom('correction_dictionaries').selectAll().where('version', '=', version).executeTakeFirst();
    return r ? toVersion(r) : null;
  }

  async listVersions(): Promise<CorrectionDictionaryVersionInfo[]> {
    const rows = await this.db.selectFrom('correction_dictionaries').selectAll().orderBy('version', 'desc').execute();
    return rows.map((r) => {
      const { doc, ...info } = toVersion(r);
      return { ...info, terms: doc.terms.length };
    });
  }

  async append(doc: CorrectionDictionary, meta: { createdAt: number; createdBy?: string | null }): Promise<number> {
    if (this.dialect === 'postgres' && !this.db.isTransaction) {
      // The lock lasts until the transaction ends: open one when the caller has not.
      return this.db.transaction().execute((trx) => new KyselyCorrectionDictionaryRepository(trx, this.dialect).append(doc, meta));
    }
    if (this.dialect === 'postgres') await sql`lock table correction_dictionaries in share row exclusive mode`.execute(this.db);
    const bigint = sql.raw(this.dialect === 'postgres' ? 'bigint' : 'integer');
    // Casts: PostgreSQL types a bare parameter in a SELECT list as text.
    const row = await this.db
      .insertInto('correction_dictionaries')
      .columns(['version', 'body', 'note', 'created_at', 'created_by'])
      .expression(
        this.db
          .selectFrom('correction_dictionaries')
          .select([
            sql<number>`coalesce(max(version), 0) + 1`.as('version'),
            sql<string>`cast(${JSON.stringify(doc)} as text)`.as('body'),
            sql<string | null>`cast(${doc.note ?? null} as text)`.as('note'),
            sql<number>`cast(${meta.createdAt} as ${bigint})`.as('created_at'),
            sql<string | null>`cast(${meta.createdBy ?? null} as text)`.as('created_by'),
          ]),
      )
      .returning('version')
      .executeTakeFirstOrThrow();
    return Number(row.version);
  }
}
