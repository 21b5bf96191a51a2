import type { Database, SearchFilters, SearchHitDoc } from '../ports/repositories.js';
import { findSnippets, type SearchSnippet } from './search-snippets.js';
import { parseQuery } from './search-tokens.js';

export interface SearchRequest {
  /** Words to find, space-separated, all required; empty or absent: filters only. */
  q?: string | undefined;
  filters: SearchFilters;
  limit: number;
  offset: number;
}

export interface SearchItem extends SearchHitDoc {
  /** The sentences that hold the query (at most 3), with highlights and audio times. */
  snippets: SearchSnippet[];
  /** How many sentences of the call hold a query word. */
  matchedSegments: number;
}

export interface SearchResponse {
  items: SearchItem[];
  total: number;
  totalCapped: boolean;
  /** The query's words as searched (normalised: simplified, lower case, half width). */
  terms: string[];
}

/**
 * Search over transcripts for the API and the CLI: the query parsed into terms, the index asked
 * for a page of calls, and the page's transcripts read to show where each call says it.
 */
export class SearchService {
  constructor(private readonly db: Database) {}

  async search(req: SearchRequest): Promise<SearchResponse> {
    const terms = req.q?.trim() ? parseQuery(req.q) : [];
    const found = await this.db.repos.search.search({ terms }, req.filters, { limit: req.limit, offset: req.offset });
    const transcripts = terms.length ? await this.db.repos.transcripts.getMany(found.items.map((i) => i.callId)) : new Map();
    return {
      items: found.items.map((hit) => ({ ...hit, ...findSnippets(transcripts.get(hit.callId)?.segments ?? [], terms) })),
      total: found.total,
      totalCapped: found.totalCapped,
      terms: terms.map((t) => t.text),
    };
  }
}
