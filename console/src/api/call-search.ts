import type { z } from 'zod';
import type { searchItemSchema, searchResultSchema } from '../../../src/http/routes/search.schema';
import type { SearchSnippet } from '../../../src/search/search-snippets';
import { get, type Query } from './client';

/** A sentence holding the query, as the search route sends it (src/search/search-snippets.ts). */
export type { SearchSnippet };
/** A range of a snippet's text to highlight: UTF-16 offsets, end exclusive. */
export type TextRange = SearchSnippet['highlights'][number];

/** One call found by GET /api/v1/search, and a page of them (src/http/routes/search.schema.ts). */
export type SearchItem = z.infer<typeof searchItemSchema>;
export type SearchPage = z.infer<typeof searchResultSchema>;

/** The query parameters GET /api/v1/search accepts besides q, limit and offset (its schema is strict). */
export const SEARCH_FILTER_KEYS = ['from', 'to', 'agentId', 'teamId', 'businessLine', 'channel', 'status', 'minScore', 'maxScore', 'band', 'fatal', 'rule', 'topic', 'sentiment', 'minDurationMs', 'maxDurationMs'] as const;

/** Full-text search with filters (limit ≤ 100). */
export const searchCalls = (query: Query, signal?: AbortSignal) => get<SearchPage>('/api/v1/search', query, signal);
