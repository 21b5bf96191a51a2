import type { SearchSnippet } from '../../../src/search/search-snippets';
import type { SentimentLabel } from './call-list';
import { get, type Query } from './client';

/** A sentence holding the query, as the search route sends it (src/search/search-snippets.ts). */
export type { SearchSnippet };
/** A range of a snippet's text to highlight: UTF-16 offsets, end exclusive. */
export type TextRange = SearchSnippet['highlights'][number];

/*
 * The item and page: copies, as their schemas (itemSchema, resultSchema in
 * src/http/routes/search-routes.ts) are not exported, and the server's SearchItem
 * (src/search/search-service.ts) has `at` in epoch ms where the API sends ISO 8601.
 */

/** One call found by GET /api/v1/search (src/http/routes/search-routes.ts). */
export interface SearchItem {
  callId: string;
  externalId: string | null;
  at: string;
  agentId: string | null;
  teamId: string | null;
  businessLine: string | null;
  channel: string;
  scorePercent: number | null;
  customerSentiment: number | null;
  sentimentLabel: SentimentLabel | null;
  topics: string[];
  matchedSegments: number;
  snippets: SearchSnippet[];
}

export interface SearchPage {
  items: SearchItem[];
  total: number;
  totalCapped: boolean;
  terms: string[];
  limit: number;
  offset: number;
}

/** The query parameters GET /api/v1/search accepts besides q, limit and offset (its schema is strict). */
export const SEARCH_FILTER_KEYS = ['from', 'to', 'agentId', 'teamId', 'businessLine', 'channel', 'status', 'minScore', 'maxScore', 'band', 'fatal', 'rule', 'topic', 'sentiment', 'minDurationMs', 'maxDurationMs'] as const;

/** Full-text search with filters (limit ≤ 100). */
export const searchCalls = (query: Query, signal?: AbortSignal) => get<SearchPage>('/api/v1/search', query, signal);
