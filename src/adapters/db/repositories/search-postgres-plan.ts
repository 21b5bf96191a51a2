import { sql, type Kysely } from 'kysely';
import { SEARCH_TOTAL_CAP, type SearchFilters, type SearchQuery } from '../../../ports/repositories.js';
import { SEARCH_BREAK } from '../../../search/search-tokens.js';
import type { DatabaseSchema } from '../schema.js';
import { keyRange } from './search-doc-id.js';
import { facetConditions, where } from './search-filter-sql.js';
import { selectIds, type DocIdPage, type ResultWindow, type SearchPlan } from './search-plan.js';
import { tsqueryLiteral } from './search-syntax.js';

/**
 * PostgreSQL: when the indexed filters leave at most this many calls, their tsvectors are tested
 * one by one (a few µs each) rather than the words' GIN candidates, which may be many more.
 */
export const FILTER_DRIVEN_MAX = 5000;
/** PostgreSQL: words all in at least this share of calls are walked in key order, at most COMMON_WALK rows (tens of ms). */
const COMMON_SHARE = 0.2;
const COMMON_WALK = 10_000;
const SHARES_TTL_MS = 5 * 60_000;

export class PostgresSearchPlan implements SearchPlan {
  private shares: { at: number; map: Map<string, number> } | null = null;

  constructor(private readonly db: Kysely<DatabaseSchema>) {}

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
  async search(query: SearchQuery, f: SearchFilters, page: ResultWindow): Promise<DocIdPage> {
    const conds = facetConditions(f, 'in').all;
    const want = Math.max(SEARCH_TOTAL_CAP + 1, page.offset + page.limit);
    const slice = (ids: number[]) => ({ page: ids.sort((a, b) => b - a).slice(page.offset, page.offset + page.limit), matched: ids.length });
    if (!query.terms.length) {
      const [count, ids] = await Promise.all([
        sql<{ n: number | string }>`select count(*) as n from (select 1 from search_docs d ${where(conds)} limit ${SEARCH_TOTAL_CAP + 1}) s`.execute(this.db),
        selectIds(this.db, sql`select d.doc_id as id from search_docs d ${where(conds)} order by d.doc_id desc limit ${page.limit} offset ${page.offset}`),
      ]);
      return { page: ids, matched: Number(count.rows[0]!.n) };
    }
    const match = sql`tsv @@ cast(${tsqueryLiteral(query.terms)} as tsquery)`;
    const text = [...conds, sql`d.${match}`];
    // Counted on the indexes alone (whole seconds of the time range): an index-only scan.
    const indexed = facetConditions(f, 'in').indexed;
    const few = indexed.length > 0 && (await selectIds(this.db, sql`select 1 as id from search_docs d ${where([...keyRange(f).map((c) => sql`d.doc_id ${c.op} ${c.value}`), ...indexed])} limit ${FILTER_DRIVEN_MAX + 1}`)).length <= FILTER_DRIVEN_MAX;
    const common = !few && (await this.rarestShare(query)) >= COMMON_SHARE;
    return this.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      if (few || common) await sql`set local enable_bitmapscan = off`.execute(trx);
      if (few) return slice(await selectIds(trx, sql`select d.doc_id as id from search_docs d ${where(text)}`));
      if (common) {
        const walked = await selectIds(
          trx,
          sql`select s.doc_id as id from (select d.doc_id, d.tsv from search_docs d ${where(conds)} order by d.doc_id desc limit ${COMMON_WALK}) s where s.${match} order by s.doc_id desc limit ${want}`,
        );
        if (walked.length > SEARCH_TOTAL_CAP) return { page: walked.slice(page.offset, page.offset + page.limit), matched: walked.length };
        await sql`set local enable_bitmapscan = on`.execute(trx);
      }
      const ids = await selectIds(trx, sql`select d.doc_id as id from search_docs d ${where(text)} limit ${SEARCH_TOTAL_CAP + 1}`);
      if (ids.length <= SEARCH_TOTAL_CAP) return slice(ids);
      await sql`set local enable_bitmapscan = off`.execute(trx);
      return { page: await selectIds(trx, sql`select d.doc_id as id from search_docs d ${where(text)} order by d.doc_id desc limit ${page.limit} offset ${page.offset}`), matched: ids.length };
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
}
