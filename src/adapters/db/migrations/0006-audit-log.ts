import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** The anchor of an empty chain: seq 0 and this hash, so the first entry's prev_hash is 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The audit trail (src/audit/): an append-only hash chain. `seq` is assigned by the appender
 * (head + 1 under a lock, see audit-repository.ts), never by a sequence, so a rolled-back append
 * leaves no gap that verification would read as a removed entry. `details` is the canonical JSON
 * text the hash covers, kept byte for byte.
 *
 * `audit_anchor` (one row) is where the chain continues from once old entries are purged: the
 * seq and hash of the last purged entry (seq 0 and GENESIS_HASH before any purge).
 *
 * On PostgreSQL `action` is collated "C": the prefix search (`call.`) is a byte range, which only
 * means "starts with" under a bytewise collation, and it lets the btree index serve it.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const pg = dialect === 'postgres';
  const bigint = pg ? 'bigint' : 'integer';

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', bigint, (c) => c.primaryKey())
    .addColumn('at', bigint, (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_username', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text')
    .addColumn('actor_via', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => (pg ? c.notNull().modifyFront(sql`collate "C"`) : c.notNull()))
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  // Each search filter with seq (the page order, newest first) so a filter + page is an index range.
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'seq']).execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_username', 'seq']).execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'seq']).execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_id', 'seq']).execute();

  await db.schema
    .createTable('audit_anchor')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seq', bigint, (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_anchor (id, seq, hash) values (1, 0, ${GENESIS_HASH})`.execute(db);
}
