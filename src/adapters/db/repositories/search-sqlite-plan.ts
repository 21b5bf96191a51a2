import { sql, type Kysely, type RawBuilder } from 'kysely';
import { SEARCH_TOTAL_CAP, type SearchFilters, type SearchQuery } from '../../../ports/repositories.js';
import type { DatabaseSchema } from '../schema.js';
import { keyRange, type KeyRange } from './search-doc-id.js';
import { facetConditions, where } from './search-filter-sql.js';
import { selectIds, type DocIdPage, type ResultWindow, type SearchPlan } from './search-plan.js';
import { filterFacetTokens, ftsMatch } from './search-syntax.js';

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

export class SqliteSearchPlan implements SearchPlan {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  /**
   * SQLite: the matching doc ids in key order, one past the cap (that count is the total, the
   * page is a slice of it). Without text: a (facet, doc_id) index or the key, newest first. With
   * text: FTS5 walks the AND of the words and the filters' tokens newest first within the time
   * range (its rowid range), each hit checked on search_docs for the exact values and the other
   * filters — or, for a rule that hit in few calls, those calls are checked against FTS5.
   */
  async search(query: SearchQuery, f: SearchFilters, page: ResultWindow): Promise<DocIdPage> {
    const want = Math.max(SEARCH_TOTAL_CAP + 1, page.offset + page.limit);
    let ids: number[];
    if (query.terms.length === 0) {
      ids = await selectIds(this.db, sql`select d.doc_id as id from search_docs d ${where(facetConditions(f, 'in').all)} order by d.doc_id desc limit ${want}`);
    } else {
      const match = sql`search_fts match ${ftsMatch([...query.terms, ...filterFacetTokens(f).map((t) => ({ tokens: [t] }))])}`;
      const ftsRange = keyRange(f).map((c) => sql`search_fts.rowid ${c.op} ${c.value}`);
      if (f.ruleId !== undefined && (await this.ruleDriven(f.ruleId, keyRange(f), where([match, ...ftsRange])))) {
        // CROSS JOIN keeps this order: the rule's calls outside, one FTS5 lookup by rowid each.
        const conds = facetConditions(f, 'in');
        ids = await selectIds(this.db, sql`select d.doc_id as id from search_docs d cross join search_fts on search_fts.rowid = d.doc_id ${where([...conds.all, match])} order by d.doc_id desc limit ${want}`);
      } else {
        // Rule and topic rows are looked up by the FTS5 rowid itself; any other filter reads the hit's row.
        const rowsOnly = Object.entries(f).every(([k, v]) => v === undefined || k === 'ruleId' || k === 'topic');
        const conds = facetConditions(f, 'exists', rowsOnly ? sql`search_fts.rowid` : sql`d.doc_id`);
        const join = conds.rest.length && !rowsOnly ? sql`cross join search_docs d on d.doc_id = search_fts.rowid` : sql``;
        ids = await selectIds(this.db, sql`select search_fts.rowid as id from search_fts ${join} ${where([match, ...ftsRange, ...conds.rest])} order by search_fts.rowid desc limit ${want}`);
      }
    }
    return { page: ids.slice(page.offset, page.offset + page.limit), matched: ids.length };
  }

  /** Whether to look the rule's calls up in FTS5 rather than walk the words' hits (see RULE_DRIVEN_MAX). */
  private async ruleDriven(ruleId: string, range: KeyRange, ftsWhere: RawBuilder<unknown>): Promise<boolean> {
    const inRange = range.map((c) => sql` and x.doc_id ${c.op} ${c.value}`);
    const calls = (await selectIds(this.db, sql`select 1 as id from search_doc_rules x where x.rule_id = ${ruleId}${sql.join(inRange, sql``)} limit ${RULE_DRIVEN_MAX + 1}`)).length;
    if (calls > RULE_DRIVEN_MAX) return false;
    const bound = Math.max(1, calls) * LOOKUP_COST;
    const { rows } = await sql<{ n: number }>`select count(*) as n from (select 1 from search_fts ${ftsWhere} limit ${bound}) s`.execute(this.db);
    return rows[0]!.n >= bound;
  }
}
