import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Export requests (src/exports/): what was asked for (the call list resolved at request time, as
 * JSON, and the filter that chose it), by whom and why, who decided and when, and the download
 * link — only the sha256 of its token, never the token — with its expiry and downloads.
 *
 * No foreign keys: an export outlives the accounts and calls it names (a purged call is left out
 * of the file; the record of who exported what stays).
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('export_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('audio', 'transcripts', 'report')`))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('call_ids', 'text', (c) => c.notNull())
    .addColumn('call_count', 'integer', (c) => c.notNull())
    .addColumn('call_filter', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('requested_at', bigint, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'rejected', 'expired', 'cancelled')`))
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', bigint)
    .addColumn('decision_note', 'text')
    .addColumn('link_token_hash', 'text')
    .addColumn('link_expires_at', bigint)
    .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_downloaded_at', bigint)
    .execute();
  await db.schema.createIndex('export_requests_requester').on('export_requests').columns(['requested_by', 'requested_at']).execute();
  // Approvers' lists (every pending export) and the expiry sweep (approved, by link expiry).
  await db.schema.createIndex('export_requests_status').on('export_requests').columns(['status', 'link_expires_at']).execute();
  await db.schema.createIndex('export_requests_decider').on('export_requests').columns(['decided_by', 'requested_at']).execute();
}
