import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * The calls list (GET /api/v1/calls: sort and filter by score, band, fatal, hits) and the reports
 * read each call's latest inspection. Those columns follow the JSON body in the row, which SQLite
 * keeps on overflow pages (~5 KB a call): a lookup by the key walked 50 MB to sort 10,000 calls by
 * score, and the overview report took 67 ms instead of 16. This index holds the key and every
 * column they read, so the latest row of a call is found and read in the index alone. (SQLite,
 * without statistics, would take the primary key: the queries steer it here, see
 * call-repository.ts and report-repository.ts.)
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.createIndex('inspections_latest').on('inspections').columns(['call_id', 'rule_set_version', 'score_percent', 'band', 'fatal', 'hits']).execute();
}
