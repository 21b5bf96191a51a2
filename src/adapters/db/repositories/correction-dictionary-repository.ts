import type { Kysely, Selectable } from 'kysely';
import type { CorrectionDictionaryRepository, CorrectionDictionaryVersion, CorrectionDictionaryVersionInfo } from '../../../ports/repositories.js';
import type { CorrectionDictionary } from '../../../transcribe/correction/correction-dictionary.schema.js';
import type { CorrectionDictionariesTable, DatabaseSchema } from '../schema.js';
import { appendNumbered, type Dialect } from './sql-helpers.js';

const toVersion = (r: Selectable<CorrectionDictionariesTable>): CorrectionDictionaryVersion => ({
  version: Number(r.version),
  // Validated before it was stored (CorrectionService.save).
  doc: JSON.parse(r.body) as CorrectionDictionary,
  note: r.note,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** Dictionary versions as rows, only ever inserted, numbered 1, 2, 3… by appendNumbered. */
export class KyselyCorrectionDictionaryRepository implements CorrectionDictionaryRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: Dialect,
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

  append(doc: CorrectionDictionary, meta: { createdAt: number; createdBy?: string | null }): Promise<number> {
    return appendNumbered(this.db, this.dialect, 'correction_dictionaries', {
      text: { body: JSON.stringify(doc), note: doc.note ?? null, created_by: meta.createdBy ?? null },
      epoch: { created_at: meta.createdAt },
    });
  }
}
