import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Full-text search over transcripts: one document per call (search_docs) with the columns its
 * filters read, a row per rule that hit and per topic (indexed by (id, doc_id), so "calls where
 * rule X hit" reads an index range), and the text index — FTS5 over the search tokens on SQLite
 * (rowid = doc_id), a tsvector column with a GIN index on PostgreSQL.
 *
 * doc_id orders documents by call time: the call's second × 2^20 + a sequence within that second
 * (see repositories/search-doc-id.ts). So "newest first" is the primary key (and FTS5's rowid) order, and
 * a time range is a key range: FTS5 restricts its posting lists to it, and every (facet, doc_id)
 * index serves facet + time range + order at once.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const pg = dialect === 'postgres';
  const bigint = pg ? 'bigint' : 'integer';
  const double = pg ? 'double precision' : 'real';

  let docs = db.schema
    .createTable('search_docs')
    .addColumn('doc_id', bigint, (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull().unique().references('calls.id').onDelete('cascade'))
    .addColumn('external_id', 'text')
    // The call's startedAt, or the time it was accepted (as the calls list's occurred_at).
    .addColumn('at', bigint, (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('business_line', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    // The rule set version of the inspection the score and rule rows come from (the latest one).
    .addColumn('rule_set_version', 'integer')
    .addColumn('score_percent', double)
    .addColumn('customer_sentiment', double)
    .addColumn('sentiment_label', 'text')
    // Topic ids as '|a|b|', for showing them with a result (filtering uses search_doc_topics).
    .addColumn('topics', 'text', (c) => c.notNull());
  if (pg) docs = docs.addColumn('tsv', sql`tsvector`, (c) => c.notNull());
  await docs.execute();
  for (const facet of ['agent_id', 'team_id', 'business_line']) {
    await db.schema.createIndex(`search_docs_${facet}`).on('search_docs').columns([facet, 'doc_id']).execute();
  }

  for (const [table, column] of [
    ['search_doc_rules', 'rule_id'],
    ['search_doc_topics', 'topic_id'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('doc_id', bigint, (c) => c.notNull().references('search_docs.doc_id').onDelete('cascade'))
      .addColumn(column, 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['doc_id', column])
      .execute();
    await db.schema.createIndex(`${table}_${column}`).on(table).columns([column, 'doc_id']).execute();
  }

  if (pg) {
    // A text query tests the tsvector of every GIN candidate: kept in the row (compressed, ~2 KB
    // for a 6-minute call) rather than in TOAST, each test reads one page, not three (2–3× faster
    // at a million calls). A very long call's still goes to TOAST.
    await sql`alter table search_docs set (toast_tuple_target = 8160)`.execute(db);
    await sql`alter table search_docs alter column tsv set storage main`.execute(db);
    await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
    return;
  }
  // Contentless (the text is in transcript_segments already) with deletes by rowid; unicode61
  // splits at the spaces between our tokens and keeps each bigram whole (CJK are token
  // characters). Diacritics are kept, as PostgreSQL keeps them: café is not cafe on either.
  await sql`create virtual table search_fts using fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db);
  // A contentless table cannot cascade: its row goes with the document (also when a call is deleted).
  await sql`create trigger search_docs_fts_delete after delete on search_docs begin delete from search_fts where rowid = old.doc_id; end`.execute(db);
}
