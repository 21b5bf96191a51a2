import type { Call } from '../domain/call.js';
import type { SentimentLabel } from '../domain/text-analysis.js';
import type { CallFilter } from './repositories.js';

/**
 * The calls list of the console (GET /api/v1/calls): the call filter plus what the latest
 * inspection and the text analysis say. "Latest inspection" is the call's row of the highest rule
 * set version, as the call detail reads it.
 */
export interface CallListFilter extends CallFilter {
  /** Score percent of the latest inspection, 0–100, inclusive bounds. */
  minScore?: number;
  maxScore?: number;
  /** The latest inspection's band, exactly. */
  band?: string;
  /** A rule that hit in the latest inspection. */
  ruleId?: string;
  /** true: the latest inspection has a fatal item (or a fatal rule hit); false: it has none. */
  fatal?: boolean;
  /** The customer's sentiment label in the text analysis. */
  sentiment?: SentimentLabel;
  /** A topic id of the text analysis. */
  topicId?: string;
  /** Duration bounds in ms, inclusive. */
  minDurationMs?: number;
  maxDurationMs?: number;
}

export type CallListSort = 'startedAt' | 'duration' | 'score';

export interface CallListOptions {
  limit: number;
  /** Default startedAt (the call's time). Calls without a score or duration come last in both orders. */
  sort: CallListSort;
  /** Default desc. */
  order: 'asc' | 'desc';
  /** Rows to skip (any sort). */
  offset?: number;
  /** nextCursor of the previous page: only for startedAt desc. */
  cursor?: string | undefined;
}

export interface CallListInspection {
  ruleSetVersion: number;
  scorePercent: number | null;
  band: string | null;
  /** How many rules hit. */
  hits: number;
  fatal: boolean;
}

export interface CallListAnalysis {
  customerSentiment: number | null;
  sentimentLabel: SentimentLabel | null;
  topics: string[];
}

export interface CallListItem {
  call: Call;
  inspection: CallListInspection | null;
  analysis: CallListAnalysis | null;
}

export interface CallListPage {
  items: CallListItem[];
  /** Opaque, for startedAt desc only (null otherwise, and on the last page). */
  nextCursor: string | null;
  /** Every call the filter (and scope) matches. */
  total: number;
}
