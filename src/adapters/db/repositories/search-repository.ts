import { sql, type Kysely, type Selectable } from 'kysely';
import type { SentimentLabel } from '../../../domain/text-analysis.js';
import { SEARCH_TOTAL_CAP, type SearchDoc, type SearchFilters, type SearchHitDoc, type SearchIndex, type SearchInspectionUpdate, type SearchQuery, type SearchResults } from '../../../ports/repositories.js';
import type { DatabaseSchema, SearchDocsTable } from '../schema.js';
import { chunks, type Atomic, type Dialect } from './sql-helpers.js';
import { secondOf, SLOTS } from './search-doc-id.js';
import type { SearchPlan } from './search-plan.js';
import { PostgresSearchPlan } from './search-postgres-plan.js';
import { SqliteSearchPlan } from './search-sqlite-plan.js';
import { docFacetTokens, tsvectorLiteral } from './search-syntax.js';

type DocRow = Selectable<SearchDocsTable>;

const toHit = (r: DocRow): SearchHitDoc => ({
  callId: r.call_id,
  externalId: r.external_id,
  at: Number(r.at),
  agentId: r.agent_id,
  teamId: r.team_id,
  businessLine: r.business_line,
  channel: r.channel,
  scorePercent: r.score_percent,
  customerSentiment: r.customer_sentiment,
  sentimentLabel: r.sentiment_label as SentimentLabel | null,
  topics: r.topics.split('|').filter(Boolean),
});

/** The last document for each call wins, as upserting them one by one would. */
const lastPerCall = <T extends { callId: string }>(rows: T[]) => [...new Map(rows.map((r) => [r.callId, r])).values()];

/**
 * The search index on either database: search_docs rows with the filter columns, rule and topic
 * rows, and the text index — FTS5 (search_fts, rowid = doc_id) on SQLite, the tsvector column on
 * PostgreSQL. Tokens come from src/search/search-tokens.ts; this class only writes them in each
 * database's syntax and picks a plan.
 */
export class KyselySearchIndex implements SearchIndex {
  /** How this database finds a search's doc ids: search-sqlite-plan.ts or search-postgres-plan.ts. */
  private readonly plan: SearchPlan;

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: Dialect,
    private readonly atomic: Atomic,
  ) {
    this.plan = dialect === 'postgres' ? new PostgresSearchPlan(db) : new SqliteSearchPlan(db);
  }

  upsert(doc: SearchDoc): Promise<void> {
    return this.upsertMany([doc]);
  }

  async upsertMany(docs: SearchDoc[]): Promise<void> {
    const unique = lastPerCall(docs);
    if (unique.length === 0) return;
    await this.atomic(async (db) => {
      // doc ids are max + 1 within a second: writers take turns (readers are not blocked).
      if (this.dialect === 'postgres') await sql`lock table search_docs in share row exclusive mode`.execute(db);
      for (const batch of chunks(unique)) await this.writeBatch(db, batch);
    });
  }

  private async writeBatch(db: Kysely<DatabaseSchema>, batch: SearchDoc[]): Promise<void> {
    const existing = await db.selectFrom('search_docs').select(['doc_id', 'call_id']).where('call_id', 'in', batch.map((d) => d.callId)).execute();
    const had = new Map(existing.map((r) => [r.call_id, Number(r.doc_id)]));
    const ids = new Map<string, number>();
    const kept: number[] = [];
    const moved: number[] = [];
    for (const d of batch) {
      const id = had.get(d.callId);
      if (id === undefined) continue;
      if (Math.floor(id / SLOTS) === secondOf(d.at)) {
        ids.set(d.callId, id);
        kept.push(id);
      } else moved.push(id); // its time changed second: a new key, in order
    }
    if (moved.length) await db.deleteFrom('search_docs').where('doc_id', 'in', moved).execute();
    await this.allocate(db, batch.filter((d) => !ids.has(d.callId)), ids);

    await db
      .insertInto('search_docs')
      .values(
        batch.map((d) => ({
          doc_id: ids.get(d.callId)!,
          call_id: d.callId,
          external_id: d.externalId,
          at: d.at,
          agent_id: d.agentId,
          team_id: d.teamId,
          business_line: d.businessLine,
          channel: d.channel,
          rule_set_version: d.ruleSetVersion,
          score_percent: d.scorePercent,
          customer_sentiment: d.customerSentiment,
          sentiment_label: d.sentimentLabel,
          topics: d.topics.length ? `|${d.topics.join('|')}|` : '',
          ...(this.dialect === 'postgres' ? { tsv: sql<string>`cast(${tsvectorLiteral(d.tokens)} as tsvector)` } : {}),
        })),
      )
      .onConflict((oc) =>
        oc.column('doc_id').doUpdateSet((eb) => ({
          external_id: eb.ref('excluded.external_id'),
          at: eb.ref('excluded.at'),
          agent_id: eb.ref('excluded.agent_id'),
          team_id: eb.ref('excluded.team_id'),
          business_line: eb.ref('excluded.business_line'),
          channel: eb.ref('excluded.channel'),
          rule_set_version: eb.ref('excluded.rule_set_version'),
          score_percent: eb.ref('excluded.score_percent'),
          customer_sentiment: eb.ref('excluded.customer_sentiment'),
          sentiment_label: eb.ref('excluded.sentiment_label'),
          topics: eb.ref('excluded.topics'),
          ...(this.dialect === 'postgres' ? { tsv: eb.ref('excluded.tsv') } : {}),
        })),
      )
      .execute();
    await this.replaceChildren(
      db,
      kept,
      batch.map((d) => ({ docId: ids.get(d.callId)!, ruleIds: d.ruleIds, topics: d.topics })),
    );
    if (this.dialect === 'sqlite') {
      if (kept.length) await sql`delete from search_fts where rowid in (${sql.join(kept)})`.execute(db);
      for (const part of chunks(batch)) {
        await sql`insert into search_fts (rowid, tokens) values ${sql.join(part.map((d) => sql`(${ids.get(d.callId)!}, ${[...d.tokens, ...docFacetTokens(d)].join(' ')})`))}`.execute(db);
      }
    }
  }

  /** New keys for these documents: one past the highest key in each one's second. */
  private async allocate(db: Kysely<DatabaseSchema>, docs: SearchDoc[], ids: Map<string, number>): Promise<void> {
    if (docs.length === 0) return;
    const seconds = [...new Set(docs.map((d) => secondOf(d.at)))];
    const top = new Map<number, number>();
    for (const part of chunks(seconds)) {
      const json = JSON.stringify(part);
      const { rows } = await (this.dialect === 'postgres'
        ? sql<{ sec: number | string; top: number | string | null }>`
            select s.sec, (select max(doc_id) from search_docs where doc_id >= s.sec * ${SLOTS} and doc_id < (s.sec + 1) * ${SLOTS}) as top
            from (select cast(value as bigint) as sec from jsonb_array_elements_text(cast(${json} as jsonb))) s`
        : sql<{ sec: number; top: number | null }>`
            select value as sec, (select max(doc_id) from search_docs where doc_id >= value * ${SLOTS} and doc_id < (value + 1) * ${SLOTS}) as top
            from json_each(${json})`
      ).execute(db);
      for (const r of rows) top.set(Number(r.sec), r.top === null ? Number(r.sec) * SLOTS - 1 : Number(r.top));
    }
    for (const d of docs) {
      const sec = secondOf(d.at);
      const id = top.get(sec)! + 1;
      if (id >= (sec + 1) * SLOTS) throw new Error(`search index: more than ${SLOTS} calls in the second of ${new Date(sec * 1000).toISOString()}`);
      top.set(sec, id);
      ids.set(d.callId, id);
    }
  }

  /** Rule and topic rows of these documents (`stale`: documents that had rows before). */
  private async replaceChildren(db: Kysely<DatabaseSchema>, stale: number[], docs: Array<{ docId: number; ruleIds?: string[]; topics?: string[] }>): Promise<void> {
    if (stale.length) {
      if (docs.some((d) => d.ruleIds)) await db.deleteFrom('search_doc_rules').where('doc_id', 'in', stale).execute();
      if (docs.some((d) => d.topics)) await db.deleteFrom('search_doc_topics').where('doc_id', 'in', stale).execute();
    }
    const rules = docs.flatMap((d) => [...new Set(d.ruleIds ?? [])].map((rule_id) => ({ doc_id: d.docId, rule_id })));
    const topics = docs.flatMap((d) => [...new Set(d.topics ?? [])].map((topic_id) => ({ doc_id: d.docId, topic_id })));
    for (const part of chunks(rules, 1000)) await db.insertInto('search_doc_rules').values(part).execute();
    for (const part of chunks(topics, 1000)) await db.insertInto('search_doc_topics').values(part).execute();
  }

  async updateInspections(updates: SearchInspectionUpdate[]): Promise<void> {
    const unique = lastPerCall(updates);
    if (unique.length === 0) return;
    await this.atomic(async (db) => {
      const changed: Array<{ docId: number; ruleIds: string[] }> = [];
      for (const u of unique) {
        // An older version's result (re-inspecting with an earlier version) is not the latest: it changes nothing.
        const row = await db
          .updateTable('search_docs')
          .set({ rule_set_version: u.ruleSetVersion, score_percent: u.scorePercent })
          .where('call_id', '=', u.callId)
          .where((eb) => eb.or([eb('rule_set_version', 'is', null), eb('rule_set_version', '<=', u.ruleSetVersion)]))
          .returning('doc_id')
          .executeTakeFirst();
        if (row) changed.push({ docId: Number(row.doc_id), ruleIds: u.ruleIds });
      }
      for (const part of chunks(changed)) await this.replaceChildren(db, part.map((c) => c.docId), part);
    });
  }

  async remove(callId: string): Promise<void> {
    await this.db.deleteFrom('search_docs').where('call_id', '=', callId).execute();
  }

  async search(query: SearchQuery, filters: SearchFilters, page: { limit: number; offset: number }): Promise<SearchResults> {
    const docIds = await this.plan.search(query, filters, page);
    const rows = docIds.page.length ? await this.db.selectFrom('search_docs').selectAll().where('doc_id', 'in', docIds.page).execute() : [];
    const byId = new Map(rows.map((r) => [Number(r.doc_id), r]));
    return {
      items: docIds.page.flatMap((id) => (byId.has(id) ? [toHit(byId.get(id)!)] : [])),
      total: Math.min(docIds.matched, SEARCH_TOTAL_CAP),
      totalCapped: docIds.matched > SEARCH_TOTAL_CAP,
    };
  }
}
