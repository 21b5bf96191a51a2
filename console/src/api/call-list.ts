import type { z } from 'zod';
import type { storedCallSchema } from '../../../src/analyze/analysis-document.schema';
import type { callListItemSchema, callListPageSchema } from '../../../src/http/routes/call-list.schema';
import type { STAGES as SERVER_STAGES } from '../../../src/pipeline/stages';
import type { SentimentLabel } from './call-detail';
import { get, type Query } from './client';

/** The pipeline stages in order: the server's STAGES (src/pipeline/stages.ts), checked to be the same list in the same order. */
export const STAGES = ['ingest', 'decode', 'vad', 'transcribe', 'enrich', 'inspect', 'index'] as const satisfies typeof SERVER_STAGES;
export type StageName = (typeof STAGES)[number];

/** A stored call as the API shows it (storedCallSchema in src/analyze/analysis-document.schema.ts). */
export type StoredCall = z.infer<typeof storedCallSchema>;
export type StageState = StoredCall['stages'][StageName];

export type { SentimentLabel };

/** A listed call with its latest inspection and text analysis, and a page of them (src/http/routes/call-list.schema.ts). */
export type CallListItem = z.infer<typeof callListItemSchema>;
export type CallListInspection = NonNullable<CallListItem['inspection']>;
export type CallListAnalysis = NonNullable<CallListItem['analysis']>;
export type CallListPage = z.infer<typeof callListPageSchema>;

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
