import type { SentimentLabel } from '../domain/text-analysis.js';
import type { CallStatus } from '../domain/call.js';
import type { ReinspectionFilter } from './reinspection-repository.js';

/** What the search index holds for one call: its filter columns and the tokens of its transcript. */
export interface SearchDoc {
  callId: string;
  externalId: string | null;
  /** Epoch ms: startedAt, or the time the call was accepted (as CallFilter's time). */
  at: number;
  agentId: string | null;
  teamId: string | null;
  businessLine: string | null;
  channel: string;
  /** The latest inspection's: its rule set version, score and the rules that hit (none before one). */
  ruleSetVersion: number | null;
  scorePercent: number | null;
  ruleIds: string[];
  /** The text analysis' customer sentiment (-1..1) and label; null without one. */
  customerSentiment: number | null;
  sentimentLabel: SentimentLabel | null;
  /** Topic ids. */
  topics: string[];
  /** src/search/search-tokens.ts indexTokens(): the transcript's tokens with SEARCH_BREAK markers (empty without a transcript). */
  tokens: string[];
}

/** A re-inspection's new latest result for a call: replaces score and rule rows unless a newer version is stored. */
export interface SearchInspectionUpdate {
  callId: string;
  ruleSetVersion: number;
  scorePercent: number | null;
  ruleIds: string[];
}

/** Every field given must match: the calls filter, and what inspection and text analysis add. */
export interface SearchFilters extends Omit<ReinspectionFilter, 'callIds'> {
  /** On the latest inspection's score percent, inclusive (calls without a score never match). */
  minScore?: number;
  maxScore?: number;
  /** A rule that hit in the latest inspection. */
  ruleId?: string;
  topic?: string;
  sentiment?: SentimentLabel;
  /** Customer sentiment at most this (-1..1). */
  maxSentiment?: number;
  /** The latest inspection's band, exactly; and whether it has a fatal item (as the calls list). */
  band?: string;
  fatal?: boolean;
  /** On the call itself: its pipeline status and its length in ms (inclusive). */
  status?: CallStatus;
  minDurationMs?: number;
  maxDurationMs?: number;
}

/** A query: every term must occur; each is a phrase of tokens (parseQuery() in src/search/search-tokens.ts). No terms: filters only. */
export interface SearchQuery {
  terms: Array<{ tokens: string[] }>;
}

/** A found call: its document without the tokens and rule rows. */
export type SearchHitDoc = Omit<SearchDoc, 'tokens' | 'ruleIds' | 'ruleSetVersion'>;

export interface SearchResults {
  /** Newest first: by the call's time to the second, then the one indexed last. */
  items: SearchHitDoc[];
  /** Matching calls, counted exactly up to SEARCH_TOTAL_CAP. */
  total: number;
  /** More than SEARCH_TOTAL_CAP calls match; total is the cap. */
  totalCapped: boolean;
}

/** How far totals are counted: beyond, a very common word would cost a scan of the whole index. */
export const SEARCH_TOTAL_CAP = 1000;

/**
 * The full-text index of transcripts, one document per call, with filters. Documents are written
 * by the index stage and kept current when a re-inspection changes scores and rule hits.
 */
export interface SearchIndex {
  /** Insert or replace the call's document. */
  upsert(doc: SearchDoc): Promise<void>;
  /** upsert() for many calls in one transaction (bulk loads, reindexing). */
  upsertMany(docs: SearchDoc[]): Promise<void>;
  /** Replace score and rule rows from a newer (or the same) rule set version; older versions change nothing. No document: nothing. */
  updateInspections(updates: SearchInspectionUpdate[]): Promise<void>;
  remove(callId: string): Promise<void>;
  search(query: SearchQuery, filters: SearchFilters, page: { limit: number; offset: number }): Promise<SearchResults>;
}
