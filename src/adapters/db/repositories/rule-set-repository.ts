import type { Kysely, Selectable } from 'kysely';
import type { RuleSetRepository, RuleSetVersionInfo, RuleSetVersionRow } from '../../../ports/repositories.js';
import type { DatabaseSchema, RuleSetVersionsTable } from '../schema.js';
import { appendNumbered, type Dialect } from './sql-helpers.js';

const INFO_COLUMNS = ['version', 'sha256', 'note', 'status', 'created_at', 'created_by', 'published_at'] as const;

const toInfo = (r: Omit<Selectable<RuleSetVersionsTable>, 'body'>): RuleSetVersionInfo => ({
  version: Number(r.version),
  sha256: r.sha256,
  note: r.note,
  status: r.status as RuleSetVersionInfo['status'],
  createdAt: r.created_at,
  createdBy: r.created_by,
  publishedAt: r.published_at,
});

const toRow = (r: Selectable<RuleSetVersionsTable>): RuleSetVersionRow => ({ ...toInfo(r), body: JSON.parse(r.body) as unknown });

/** Rule set versions as rows, only ever inserted (numbered by appendNumbered); publishing marks one. */
export class KyselyRuleSetRepository implements RuleSetRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: Dialect,
  ) {}

  append(body: unknown, meta: { sha256: string; note?: string | null; createdAt: number; createdBy?: string | null }): Promise<number> {
    return appendNumbered(this.db, this.dialect, 'rule_set_versions', {
      text: { body: JSON.stringify(body), sha256: meta.sha256, note: meta.note ?? null, status: 'draft', created_by: meta.createdBy ?? null },
      epoch: { created_at: meta.createdAt },
    });
  }

  async publish(version: number, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('rule_set_versions')
      .set({ status: 'published', published_at: at })
      .where('version', '=', version)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) return true;
    // Not a draft: already published (a no-op), or no such version. Versions are never deleted.
    const existing = await this.db.selectFrom('rule_set_versions').select('version').where('version', '=', version).executeTakeFirst();
    return existing !== undefined;
  }

  async get(version: number): Promise<RuleSetVersionRow | null> {
    const r = await this.db.selectFrom('rule_set_versions').selectAll().where('version', '=', version).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async latestPublished(): Promise<RuleSetVersionRow | null> {
    const r = await this.db
      .selectFrom('rule_set_versions')
      .selectAll()
      .where('status', '=', 'published')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async latestPublishedVersion(): Promise<number | null> {
    const r = await this.db
      .selectFrom('rule_set_versions')
      .select((eb) => eb.fn.max<number | string | null>('version').as('v'))
      .where('status', '=', 'published')
      .executeTakeFirst();
    return r?.v === null || r?.v === undefined ? null : Number(r.v);
  }

  async listVersions(): Promise<RuleSetVersionInfo[]> {
    const rows = await this.db.selectFrom('rule_set_versions').select(INFO_COLUMNS).orderBy('version', 'desc').execute();
    return rows.map(toInfo);
  }
}
