import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * The ASR correction dictionary, one row per version (never updated: a save is a new version, so
 * any transcript can be traced to the dictionary that corrected it), and the text the engine heard
 * beside the corrected text of a segment (null when nothing was corrected).
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('correction_dictionaries')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema.alterTable('transcript_segments').addColumn('raw_text', 'text').execute();
}
