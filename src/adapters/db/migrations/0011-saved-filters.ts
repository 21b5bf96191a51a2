import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Filters saved on the console's pages, per account (so they follow a user across browsers): the
 * page's query string as JSON, by a name unique per account and page. They go with the account.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('saved_filters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('page', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    // Also the index of an account's list (by page, in name order) and of its count.
    .addUniqueConstraint('saved_filters_name', ['account_id', 'page', 'name'])
    .execute();
}
