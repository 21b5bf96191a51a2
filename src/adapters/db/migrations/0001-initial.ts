import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** The foundation tables: calls, recordings, transcripts, computed artifacts and pipeline jobs. */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('started_at', bigint)
    .addColumn('occurred_at', bigint, (c) => c.notNull())
    .addColumn('duration_ms', bigint)
    .addColumn('agent_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('business_line', 'text')
    .addColumn('customer_phone', 'text')
    .addColumn('customer_tags', 'text', (c) => c.notNull())
    .addColumn('consult_type', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stages', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calls_occurred').on('calls').columns(['occurred_at', 'id']).execute();
  await db.schema.createIndex('calls_agent').on('calls').columns(['agent_id', 'occurred_at']).execute();
  await db.schema.createIndex('calls_team').on('calls').columns(['team_id', 'occurred_at']).execute();
  await db.schema.createIndex('calls_business_line').on('calls').columns(['business_line', 'occurred_at']).execute();
  await db.schema.createIndex('calls_status').on('calls').columns(['status', 'occurred_at']).execute();

  await db.schema
    .createTable('recordings')
    .addColumn('call_id', 'text', (c) => c.primaryKey().references('calls.id').onDelete('cascade'))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('codec', 'text', (c) => c.notNull())
    .addColumn('sample_rate', 'integer', (c) => c.notNull())
    .addColumn('channels', 'integer', (c) => c.notNull())
    .addColumn('channel_roles', 'text', (c) => c.notNull())
    .addColumn('duration_ms', bigint, (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('size_bytes', bigint, (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text')
    .execute();

  await db.schema
    .createTable('transcripts')
    .addColumn('call_id', 'text', (c) => c.primaryKey().references('calls.id').onDelete('cascade'))
    .addColumn('engine', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('transcript_segments')
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('speaker', 'text', (c) => c.notNull())
    .addColumn('start_ms', bigint, (c) => c.notNull())
    .addColumn('end_ms', bigint, (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('confidence', 'real')
    .addPrimaryKeyConstraint('transcript_segments_pk', ['call_id', 'idx'])
    .execute();

  await db.schema
    .createTable('artifacts')
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('artifacts_pk', ['call_id', 'kind'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', dialect === 'postgres' ? sql`bigserial` : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_after', bigint, (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', bigint)
    .addColumn('last_error', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('jobs_call_stage', ['call_id', 'stage'])
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_after', 'id']).execute();
}
