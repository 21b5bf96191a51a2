import { get, type Query } from './client';

/** The pipeline stages in order (src/pipeline/stages.ts STAGES). */
export const STAGES = ['ingest', 'decode', 'vad', 'transcribe', 'enrich', 'inspect', 'index'] as const;
export type StageName = (typeof STAGES)[number];

export interface StageState {
  status: 'pending' | 'queued' | 'running' | 'done' | 'skipped' | 'failed';
  attempts: number;
  note?: string;
  error?: string;
  updatedAt?: number;
}

/** A stored call as the API shows it (storedCallSchema in src/analyze/analysis-document.schema.ts). */
export interface StoredCall {
  id: string;
  externalId: string | null;
  channel: string;
  direction: string;
  startedAt: string | null;
  durationMs: number | null;
  agentId: string | null;
  teamId: string | null;
  businessLine: string | null;
  customerPhone: string | null;
  customerTags: string[];
  consultType: string | null;
  language: string;
  extra: Record<string, string>;
  status: 'processing' | 'done' | 'failed';
  stages: Record<StageName, StageState>;
  createdAt: string;
  updatedAt: string;
}

export type SentimentLabel = 'positive' | 'neutral' | 'negative';

/** The latest inspection of a listed call. */
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
  /** Topic ids. */
  topics: string[];
}

export interface CallListItem extends StoredCall {
  inspection?: CallListInspection | null;
  analysis?: CallListAnalysis | null;
}

export interface CallListPage {
  items: CallListItem[];
  /** Every call the filters (and the caller's data scope) match. */
  total: number;
  nextCursor: string | null;
}

export type CallSort = 'startedAt' | 'duration' | 'score';

/** GET /api/v1/calls: filters, server-side sort and offset paging (limit ≤ 500). */
export const listCalls = (query: Query, signal?: AbortSignal) => get<CallListPage>('/api/v1/calls', query, signal);

/** The stage that failed a call, with its error, or null. */
export function failedStage(call: Pick<StoredCall, 'stages'>): { stage: StageName; error: string } | null {
  for (const s of STAGES) {
    const st = call.stages[s];
    if (st?.status === 'failed') return { stage: s, error: st.error ?? '' };
  }
  return null;
}
