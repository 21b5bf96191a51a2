import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Encryption at rest of transcripts and artifacts: one data key per call (object_id), stored
 * wrapped under a master key (`v1:<key id>:<base64>`, src/crypto/envelope.ts). key_id repeats the
 * id inside `wrapped` so a rotation finds the rows still under an old master key by index.
 *
 * No foreign key to calls: an object may be something other than a call later (an export), and
 * deleting a call's data key is how its encrypted rows are destroyed for good (backups included)
 * — the deleting code decides when.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('data_keys')
    .addColumn('object_id', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_keys_key_id').on('data_keys').columns(['key_id', 'object_id']).execute();
}
