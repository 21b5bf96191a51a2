import type { Kysely, RawBuilder } from 'kysely';
import type { SearchFilters, SearchQuery } from '../../../ports/repositories.js';
import type { DatabaseSchema } from '../schema.js';

/** The window of results a search asks for. */
export interface ResultWindow {
  limit: number;
  offset: number;
}

/** A plan's answer: the window's doc ids, newest first, and how many matched (past SEARCH_TOTAL_CAP: some number above it). */
export interface DocIdPage {
  page: number[];
  matched: number;
}

/** One database's way of finding the doc ids that match a search (search-sqlite-plan.ts, search-postgres-plan.ts). */
export interface SearchPlan {
  search(query: SearchQuery, filters: SearchFilters, page: ResultWindow): Promise<DocIdPage>;
}

/** The `id` column of a query's rows, as numbers (PostgreSQL answers bigint as strings). */
export async function selectIds(db: Kysely<DatabaseSchema>, query: RawBuilder<unknown>): Promise<number[]> {
  const { rows } = await (query as RawBuilder<{ id: number | string }>).execute(db);
  return rows.map((r) => Number(r.id));
}
