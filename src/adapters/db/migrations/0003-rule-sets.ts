import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * The rule engine's storage: rule set versions (append-only, drafts until published), one
 * inspection per (call, rule set version) so publishing never changes an old result, a row per
 * rule that hit (reports and hit counts without parsing JSON), and re-inspection jobs that run a
 * version over stored calls in id order and resume from their cursor.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  // PostgreSQL's `real` is 4 bytes: 87.3 would read back as 87.30000305.
  const double = dialect === 'postgres' ? 'double precision' : 'real';

  await db.schema
    .createTable('rule_set_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published')`))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('published_at', bigint)
    .execute();
  await db.schema.createIndex('rule_set_versions_status').on('rule_set_versions').columns(['status', 'version']).execute();

  await db.schema
    .createTable('inspections')
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
    .addColumn('rule_set_version', 'integer', (c) => c.notNull().references('rule_set_versions.version'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('score_percent', double)
    .addColumn('band', 'text')
    // 0/1 in both dialects, so report queries read the same on either.
    .addColumn('fatal', 'integer', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('inspections_pk', ['call_id', 'rule_set_version'])
    .execute();
  await db.schema.createIndex('inspections_version').on('inspections').column('rule_set_version').execute();

  await db.schema
    .createTable('inspection_hits')
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('rule_set_version', 'integer', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('inspection_hits_pk', ['call_id', 'rule_set_version', 'rule_id'])
    .addForeignKeyConstraint('inspection_hits_inspection', ['call_id', 'rule_set_version'], 'inspections', ['call_id', 'rule_set_version'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('inspection_hits_rule').on('inspection_hits').columns(['rule_set_version', 'rule_id']).execute();

  await db.schema
    .createTable('reinspection_jobs')
    .addColumn('id', dialect === 'postgres' ? sql`bigserial` : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('rule_set_version', 'integer', (c) => c.notNull().references('rule_set_versions.version'))
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed', 'cancelled')`))
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hit_calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cursor', 'text')
    .addColumn('error', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('finished_at', bigint)
    .execute();
  await db.schema.createIndex('reinspection_jobs_claim').on('reinspection_jobs').columns(['status', 'id']).execute();

  // Inspections were an artifact kind before this table; none were ever produced (the inspect
  // stage skipped every call), and their old shape would not read as an Inspection now.
  await sql`delete from artifacts where kind = 'inspection'`.execute(db);
}
