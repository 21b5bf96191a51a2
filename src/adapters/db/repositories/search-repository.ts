import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { CallScopeFilter } from '../../../access/call-scope.js';
import type { SentimentLabel } from '../../../domain/text-analysis.js';
import { SEARCH_TOTAL_CAP, type SearchDoc, type SearchFilters, type SearchHitDoc, type SearchIndex, type SearchInspectionUpdate, type SearchQuery, type SearchResults } from '../../../ports/repositories.js';
import type { DatabaseSchema, SearchDocsTable } from '../schema.js';
import { chunks, type Atomic, type Dialect } from './sql-helpers.js';
import { SEARCH_BREAK } from '../../../search/search-tokens.js';
import { facetToken, ftsMatch, tsqueryLiteral, tsvectorLiteral } from './search-syntax.js';

/**
 * doc_id = the call's second × 2^20 + a sequence within that second, given on first insert and
 * kept while the call's time stays in that second. Newest first is then key order (FTS5 walks
 * its posting lists in rowid order and stops at LIMIT; PostgreSQL reads the key or a
 * (facet, doc_id) index backwards), and a time range is a key range. 2^20 calls a second is far
 * more than any contact center takes; the largest key (year 2242) is a safe JS integer.
 */
const SLOTS = 2 ** 20;
const MAX_SECOND = Math.floor(Number.MAX_SAFE_INTEGER / SLOTS) - 1;
const secondOf = (at: number) => Math.min(MAX_SECOND, Math.max(0, Math.floor(at / 1000)));

/**
 * SQLite, a text query with a rule filter. The other filters are tokens in the FTS5 document
 * (search-syntax.ts facetToken), so FTS5 intersects them itself; rule hits are not (a
 * re-inspection changes them without the text). Either FTS5 walks the words' hits and each is
 * checked for the rule (a key lookup, ~1 µs), or the rule's calls are each looked up in FTS5 by
 * rowid (tens of µs, more for a phrase: a posting list per bigram). The lookups win only for a
 * rule in few calls (at most RULE_DRIVEN_MAX) and words with many more hits than that
 * (LOOKUP_COST times as many): the hits are counted up to that bound to decide.
 */
export const RULE_DRIVEN_MAX = 2000;
const LOOKUP_COST = 30;

/**
 * PostgreSQL: when the indexed filters leave at most this many calls, their tsvectors are tested
 * one by one (a few µs each) rather than the words' GIN candidates, which may be many more.
 */
export const FILTER_DRIVEN_MAX = 5000;
/** PostgreSQL: words all in at least this share of calls are walked in key order, at most COMMON_WALK rows (tens of ms). */
const COMMON_SHARE = 0.2;
const COMMON_WALK = 10_000;
const SHARES_TTL_MS = 5 * 60_000;

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
  private shares: { at: number; map: Map<string, number> } | null = null;

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: Dialect,
    private readonly atomic: Atomic,
  ) {}

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
    const docIds = this.dialect === 'postgres' ? await this.searchPostgres(query, filters, page) : await this.searchSqlite(query, filters, page);
    const rows = docIds.page.length ? await this.db.selectFrom('search_docs').selectAll().where('doc_id', 'in', docIds.page).execute() : [];
    const byId = new Map(rows.map((r) => [Number(r.doc_id), r]));
    return {
      items: docIds.page.flatMap((id) => (byId.has(id) ? [toHit(byId.get(id)!)] : [])),
      total: Math.min(docIds.matched, SEARCH_TOTAL_CAP),
      totalCapped: docIds.matched > SEARCH_TOTAL_CAP,
    };
  }

  /**
   * SQLite: the matching doc ids in key order, one past the cap (that count is the total, the
   * page is a slice of it). Without text: a (facet, doc_id) index or the key, newest first. With
   * text: FTS5 walks the AND of the words and the filters' tokens newest first within the time
   * range (its rowid range), each hit checked on search_docs for the exact values and the other
   * filters — or, for a rule that hit in few calls, those calls are checked against FTS5.
   */
  private async searchSqlite(query: SearchQuery, f: SearchFilters, page: { limit: number; offset: number }): Promise<{ page: number[]; matched: number }> {
    const want = Math.max(SEARCH_TOTAL_CAP + 1, page.offset + page.limit);
    let ids: number[];
    if (query.terms.length === 0) {
      ids = await this.ids(sql`select d.doc_id as id from search_docs d ${where(facetConditions(f, 'in').all)} order by d.doc_id desc limit ${want}`);
    } else {
      const match = sql`search_fts match ${ftsMatch([...query.terms, ...filterFacetTokens(f).map((t) => ({ tokens: [t] }))])}`;
      const ftsRange = keyRange(f).map((c) => sql`search_fts.rowid ${c.op} ${c.value}`);
      if (f.ruleId !== undefined && (await this.ruleDriven(f.ruleId, keyRange(f), where([match, ...ftsRange])))) {
        // CROSS JOIN keeps this order: the rule's calls outside, one FTS5 lookup by rowid each.
        const conds = facetConditions(f, 'in');
        ids = await this.ids(sql`select d.doc_id as id from search_docs d cross join search_fts on search_fts.rowid = d.doc_id ${where([...conds.all, match])} order by d.doc_id desc limit ${want}`);
      } else {
        // Rule and topic rows are looked up by the FTS5 rowid itself; any other filter reads the hit's row.
        const rowsOnly = Object.entries(f).every(([k, v]) => v === undefined || k === 'ruleId' || k === 'topic');
        const conds = facetConditions(f, 'exists', rowsOnly ? sql`search_fts.rowid` : sql`d.doc_id`);
        const join = conds.rest.length && !rowsOnly ? sql`cross join search_docs d on d.doc_id = search_fts.rowid` : sql``;
        ids = await this.ids(sql`select search_fts.rowid as id from search_fts ${join} ${where([match, ...ftsRange, ...conds.rest])} order by search_fts.rowid desc limit ${want}`);
      }
    }
    return { page: ids.slice(page.offset, page.offset + page.limit), matched: ids.length };
  }

  /** Whether to look the rule's calls up in FTS5 rather than walk the words' hits (see RULE_DRIVEN_MAX). */
  private async ruleDriven(ruleId: string, range: ReturnType<typeof keyRange>, ftsWhere: RawBuilder<unknown>): Promise<boolean> {
    const inRange = range.map((c) => sql` and x.doc_id ${c.op} ${c.value}`);
    const calls = (await this.ids(sql`select 1 as id from search_doc_rules x where x.rule_id = ${ruleId}${sql.join(inRange, sql``)} limit ${RULE_DRIVEN_MAX + 1}`)).length;
    if (calls > RULE_DRIVEN_MAX) return false;
    const bound = Math.max(1, calls) * LOOKUP_COST;
    const { rows } = await sql<{ n: number }>`select count(*) as n from (select 1 from search_fts ${ftsWhere} limit ${bound}) s`.execute(this.db);
    return rows[0]!.n >= bound;
  }

  /**
   * PostgreSQL. GIN answers a text query only as a bitmap of candidate rows, each then read and
   * its tsvector tested (a phrase needs its positions): a query costs its posting lists (~0.2 µs
   * an entry: 150 ms for a word in nearly every call; an AND skips through the longer lists by
   * the shortest) and its candidates (~10 µs each). The planner misjudges both — it reads a whole
   * table in key order for a word it takes for common, or builds a million-entry bitmap to return
   * a page — so the plan is chosen here, from the shares of calls ANALYZE found the words in, and
   * held with the planner's enable_* switches:
   * - indexed filters (agent, team, business line, rule, topic) leaving few calls: those calls'
   *   tsvectors are tested, all of them (total and page from one pass; a bounded cost, where a
   *   phrase of common bigrams can have tens of thousands of GIN candidates);
   * - else words in a large share of calls: the newest rows (filtered) are tested in key order,
   *   up to COMMON_WALK of them; past the cap that is the answer;
   * - else (or when that walk falls short) the GIN candidates.
   * The candidates are taken up to one past the cap: within it they are the total and, sorted,
   * the page; past it the page walks a key or (filter, doc_id) index newest first and stops after
   * a page.
   */
  private async searchPostgres(query: SearchQuery, f: SearchFilters, page: { limit: number; offset: number }): Promise<{ page: number[]; matched: number }> {
    const conds = facetConditions(f, 'in').all;
    const want = Math.max(SEARCH_TOTAL_CAP + 1, page.offset + page.limit);
    const slice = (ids: number[]) => ({ page: ids.sort((a, b) => b - a).slice(page.offset, page.offset + page.limit), matched: ids.length });
    if (!query.terms.length) {
      const [count, ids] = await Promise.all([
        sql<{ n: number | string }>`select count(*) as n from (select 1 from search_docs d ${where(conds)} limit ${SEARCH_TOTAL_CAP + 1}) s`.execute(this.db),
        this.ids(sql`select d.doc_id as id from search_docs d ${where(conds)} order by d.doc_id desc limit ${page.limit} offset ${page.offset}`),
      ]);
      return { page: ids, matched: Number(count.rows[0]!.n) };
    }
    const match = sql`tsv @@ cast(${tsqueryLiteral(query.terms)} as tsquery)`;
    const text = [...conds, sql`d.${match}`];
    // Counted on the indexes alone (whole seconds of the time range): an index-only scan.
    const indexed = facetConditions(f, 'in').indexed;
    const few = indexed.length > 0 && (await this.ids(sql`select 1 as id from search_docs d ${where([...keyRange(f).map((c) => sql`d.doc_id ${c.op} ${c.value}`), ...indexed])} limit ${FILTER_DRIVEN_MAX + 1}`)).length <= FILTER_DRIVEN_MAX;
    const common = !few && (await this.rarestShare(query)) >= COMMON_SHARE;
    return this.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      if (few || common) await sql`set local enable_bitmapscan = off`.execute(trx);
      if (few) return slice(await this.ids(sql`select d.doc_id as id from search_docs d ${where(text)}`, trx));
      if (common) {
        const walked = await this.ids(
          sql`select s.doc_id as id from (select d.doc_id, d.tsv from search_docs d ${where(conds)} order by d.doc_id desc limit ${COMMON_WALK}) s where s.${match} order by s.doc_id desc limit ${want}`,
          trx,
        );
        if (walked.length > SEARCH_TOTAL_CAP) return { page: walked.slice(page.offset, page.offset + page.limit), matched: walked.length };
        await sql`set local enable_bitmapscan = on`.execute(trx);
      }
      const ids = await this.ids(sql`select d.doc_id as id from search_docs d ${where(text)} limit ${SEARCH_TOTAL_CAP + 1}`, trx);
      if (ids.length <= SEARCH_TOTAL_CAP) return slice(ids);
      await sql`set local enable_bitmapscan = off`.execute(trx);
      return { page: await this.ids(sql`select d.doc_id as id from search_docs d ${where(text)} order by d.doc_id desc limit ${page.limit} offset ${page.offset}`, trx), matched: ids.length };
    });
  }

  /** PostgreSQL: the smallest share of calls ANALYZE found any of the query's tokens in (0: not among its most common, or no statistics). */
  private async rarestShare(query: SearchQuery): Promise<number> {
    const shares = await this.lexemeShares();
    return Math.min(...query.terms.flatMap((t) => t.tokens.filter((token) => token !== SEARCH_BREAK).map((token) => shares.get(token) ?? 0)));
  }

  /** The tsvector column's most common lexemes and their shares of rows, as ANALYZE last found them (read again every few minutes). */
  private async lexemeShares(): Promise<Map<string, number>> {
    if (this.shares && Date.now() - this.shares.at < SHARES_TTL_MS) return this.shares.map;
    const { rows } = await sql<{ elems: string[] | null; freqs: number[] | null }>`
      select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs
      from pg_stats where schemaname = current_schema() and tablename = 'search_docs' and attname = 'tsv'`.execute(this.db);
    const map = new Map<string, number>();
    const r = rows[0];
    if (r?.elems && r.freqs) r.elems.forEach((e, i) => map.set(e, r.freqs![i]!));
    // None yet (no ANALYZE so far): asked again next time.
    if (map.size) this.shares = { at: Date.now(), map };
    return map;
  }

  private async ids(query: RawBuilder<unknown>, db = this.db): Promise<number[]> {
    const { rows } = await (query as RawBuilder<{ id: number | string }>).execute(db);
    return rows.map((r) => Number(r.id));
  }
}

export const where = (conds: RawBuilder<unknown>[]) => (conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``);

/** The time filter as a key range (whole seconds), usable on doc_id columns and on FTS5's rowid. */
function keyRange(f: SearchFilters): Array<{ op: RawBuilder<unknown>; value: number }> {
  const range: Array<{ op: RawBuilder<unknown>; value: number }> = [];
  if (f.from !== undefined) range.push({ op: sql.raw('>='), value: secondOf(f.from) * SLOTS });
  if (f.to !== undefined) range.push({ op: sql.raw('<'), value: (secondOf(f.to - 1) + 1) * SLOTS });
  return range;
}

/**
 * The filters as conditions on search_docs d: `range` the key range of the time filter, `rest`
 * everything else (exact times, values, rule and topic rows), `all` both; `indexed` the part of
 * `rest` that indexes answer (agent, team, business line, rule and topic rows). Rule and topic rows are
 * matched `in` a subquery (the planner may start from them) or by `exists` per row (a key lookup
 * for each hit of a text walk, never a materialised list of a common topic's calls).
 */
export function facetConditions(f: SearchFilters, rows: 'in' | 'exists', docId: RawBuilder<unknown> = sql`d.doc_id`) {
  const range = keyRange(f);
  const child = (table: 'search_doc_rules' | 'search_doc_topics', column: 'rule_id' | 'topic_id', value: string) =>
    rows === 'exists'
      ? sql`exists (select 1 from ${sql.table(table)} x where x.doc_id = ${docId} and ${sql.ref(`x.${column}`)} = ${value})`
      : sql`d.doc_id in (select x.doc_id from ${sql.table(table)} x where ${sql.join([sql`${sql.ref(`x.${column}`)} = ${value}`, ...range.map((c) => sql`x.doc_id ${c.op} ${c.value}`)], sql` and `)})`;
  // The filters a (filter, doc_id) index or a rule/topic row index answers.
  const indexed: RawBuilder<unknown>[] = [];
  if (f.agentId !== undefined) indexed.push(sql`d.agent_id = ${f.agentId}`);
  if (f.teamId !== undefined) indexed.push(sql`d.team_id = ${f.teamId}`);
  if (f.businessLine !== undefined) indexed.push(sql`d.business_line = ${f.businessLine}`);
  if (f.ruleId !== undefined) indexed.push(child('search_doc_rules', 'rule_id', f.ruleId));
  if (f.topic !== undefined) indexed.push(child('search_doc_topics', 'topic_id', f.topic));
  const rest = [...indexed];
  // The key range holds whole seconds; the exact bounds are on `at`.
  if (f.from !== undefined) rest.push(sql`d.at >= ${f.from}`);
  if (f.to !== undefined) rest.push(sql`d.at < ${f.to}`);
  if (f.channel !== undefined) rest.push(sql`d.channel = ${f.channel}`);
  if (f.minScore !== undefined) rest.push(sql`d.score_percent >= ${f.minScore}`);
  if (f.maxScore !== undefined) rest.push(sql`d.score_percent <= ${f.maxScore}`);
  if (f.sentiment !== undefined) rest.push(sql`d.sentiment_label = ${f.sentiment}`);
  if (f.maxSentiment !== undefined) rest.push(sql`d.customer_sentiment <= ${f.maxSentiment}`);
  rest.push(...inspectionConditions(f), ...callConditions(f));
  rest.push(...scopeConditions(f.scope));
  return { range, indexed, rest, all: [...range.map((c) => sql`d.doc_id ${c.op} ${c.value}`), ...rest] };
}

/**
 * Band and fatal of the latest inspection: its row is the one of the document's rule set version
 * (the index keeps that version current), found by the inspections' primary key.
 */
function inspectionConditions(f: SearchFilters): RawBuilder<unknown>[] {
  const on: RawBuilder<unknown>[] = [];
  if (f.band !== undefined) on.push(sql`i.band = ${f.band}`);
  if (f.fatal !== undefined) on.push(sql`i.fatal = ${f.fatal ? 1 : 0}`);
  if (!on.length) return [];
  return [sql`exists (select 1 from inspections i where i.call_id = d.call_id and i.rule_set_version = d.rule_set_version and ${sql.join(on, sql` and `)})`];
}

/** Status and length live on the call, not in the index: one lookup by the calls' primary key. */
function callConditions(f: SearchFilters): RawBuilder<unknown>[] {
  const on: RawBuilder<unknown>[] = [];
  if (f.status !== undefined) on.push(sql`c.status = ${f.status}`);
  if (f.minDurationMs !== undefined) on.push(sql`c.duration_ms >= ${f.minDurationMs}`);
  if (f.maxDurationMs !== undefined) on.push(sql`c.duration_ms <= ${f.maxDurationMs}`);
  if (!on.length) return [];
  return [sql`exists (select 1 from calls c where c.id = d.call_id and ${sql.join(on, sql` and `)})`];
}

/**
 * The principal's data scope on search_docs d. The lists are a user's teams or business lines (a
 * handful), so plain bound parameters serve both dialects; an empty list matches nothing.
 */
function scopeConditions(scope: CallScopeFilter | undefined): RawBuilder<unknown>[] {
  if (!scope) return [];
  const inList = (column: string, values: readonly string[]) =>
    values.length === 0 ? sql`1 = 0` : sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql`${v}`))})`;
  const out: RawBuilder<unknown>[] = [];
  if (scope.agentIds !== undefined) out.push(inList('d.agent_id', scope.agentIds));
  if (scope.teamIds !== undefined) out.push(inList('d.team_id', scope.teamIds));
  if (scope.inspector !== undefined) {
    const { userId, businessLines } = scope.inspector;
    out.push(sql`(${inList('d.business_line', businessLines)} or d.call_id in (select a.call_id from call_assignments a where a.user_id = ${userId}))`);
  }
  return out;
}

/** SQLite: the filter values a document is found by inside FTS5 (not the rule hits: a re-inspection changes them without the text). */
function docFacetTokens(d: SearchDoc): string[] {
  return [
    ...(d.agentId !== null ? [facetToken('agent', d.agentId)] : []),
    ...(d.teamId !== null ? [facetToken('team', d.teamId)] : []),
    ...(d.businessLine !== null ? [facetToken('line', d.businessLine)] : []),
    facetToken('channel', d.channel),
    ...(d.sentimentLabel !== null ? [facetToken('sentiment', d.sentimentLabel)] : []),
    ...new Set(d.topics.map((t) => facetToken('topic', t))),
  ];
}

/** The same tokens for a search's filters. */
function filterFacetTokens(f: SearchFilters): string[] {
  return [
    ...(f.agentId !== undefined ? [facetToken('agent', f.agentId)] : []),
    ...(f.teamId !== undefined ? [facetToken('team', f.teamId)] : []),
    ...(f.businessLine !== undefined ? [facetToken('line', f.businessLine)] : []),
    ...(f.channel !== undefined ? [facetToken('channel', f.channel)] : []),
    ...(f.sentiment !== undefined ? [facetToken('sentiment', f.sentiment)] : []),
    ...(f.topic !== undefined ? [facetToken('topic', f.topic)] : []),
  ];
}
