import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Retention: one row per call with when it expires under the retention policy, and its legal
 * hold. A side table, so the call tables and their repositories stay as they were.
 *
 * No foreign key to calls: when a call is purged or deleted its rows go in one transaction, and
 * this row stays behind as a tombstone (purged_at, blob_key, external_id, purge_audit) until the
 * original recording and the decoded scratch copy are gone from disk and the audit entry is
 * written — so a crash between the database and the files leaves work the next purge finishes,
 * never an orphaned recording nobody knows about.
 *
 * expires_at is null for a call stored before retention existed: it is never purged until
 * `tingjian retention apply` computes its expiry (an upgrade must not delete anything by itself).
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('call_retention')
    .addColumn('call_id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', bigint)
    // The policy rule that decided: a rule id, 'default' or 'misdial'.
    .addColumn('policy', 'text')
    .addColumn('computed_at', bigint)
    // 0/1 in both dialects.
    .addColumn('legal_hold', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hold_reason', 'text')
    .addColumn('hold_by', 'text')
    .addColumn('hold_at', bigint)
    .addColumn('purged_at', bigint)
    .addColumn('blob_key', 'text')
    .addColumn('external_id', 'text')
    // JSON {action, actor} of the audit entry the purge writes once the files are gone; null: none.
    .addColumn('purge_audit', 'text')
    .execute();
  // The purge's scan: not held, not yet purged, expired — in expiry order.
  await db.schema.createIndex('call_retention_due').on('call_retention').columns(['legal_hold', 'purged_at', 'expires_at', 'call_id']).execute();
  // An ingest of the same bytes asks whether a deletion is still removing the blob (only tombstones have one).
  await db.schema.createIndex('call_retention_blob').on('call_retention').column('blob_key').execute();
}
