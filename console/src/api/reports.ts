import type { z } from 'zod';
import type { agentPageSchema, agentsSchema, businessLinesSchema, emotionSchema, kpisSchema, overviewSchema, rulesSchema, topicsSchema } from '../../../src/http/routes/report.schema';
import type { CallListInspection, StoredCall } from './call-list';
import { get } from './client';

/**
 * The aggregate reports (src/http/routes/report-routes.ts): every number counts only the calls
 * the signed-in user may see, over each call's latest inspection.
 *
 * The report types come from the routes' schemas (src/http/routes/report.schema.ts).
 * Granularity is a copy of the query parameter's values (GRANULARITIES in
 * src/reports/report-shaping.ts, whose imports do not type-check in the browser's config).
 */

export type Granularity = 'day' | 'week' | 'month';

/** The filters every report takes: times as ISO 8601 (from inclusive, to exclusive). */
export interface ReportFilters {
  from?: string | undefined;
  to?: string | undefined;
  agentId?: string | undefined;
  teamId?: string | undefined;
  businessLine?: string | undefined;
  granularity?: Granularity | undefined;
}

export type Overview = z.infer<typeof overviewSchema>;
export type Kpis = z.infer<typeof kpisSchema>;
/** A trend's bucket: its first day, and the instants it covers (to list its calls). */
export type Bucket = Overview['buckets'][number];
export type RulesReport = z.infer<typeof rulesSchema>;
export type AgentsReport = z.infer<typeof agentsSchema>;
export type AgentRow = AgentsReport['items'][number];
export type BusinessLinesReport = z.infer<typeof businessLinesSchema>;
export type EmotionReport = z.infer<typeof emotionSchema>;
export type SentimentCounts = EmotionReport['totals'];
export type TopicsReport = z.infer<typeof topicsSchema>;
export type AgentPageReport = z.infer<typeof agentPageSchema>;

const base = '/api/v1/reports';
type Q = ReportFilters & Record<string, string | number | undefined>;

export const fetchOverview = (f: ReportFilters, signal?: AbortSignal) => get<Overview>(`${base}/overview`, { ...f }, signal);
export const fetchRules = (f: ReportFilters, limit: number, signal?: AbortSignal) => get<RulesReport>(`${base}/rules`, { ...f, limit } as Q, signal);
export const fetchAgents = (f: ReportFilters, opts: { limit: number; order?: 'avgScore' | 'calls' | 'hitRate' | 'fatalCalls'; direction?: 'asc' | 'desc' }, signal?: AbortSignal) =>
  get<AgentsReport>(`${base}/agents`, { ...f, ...opts } as Q, signal);
export const fetchBusinessLines = (f: ReportFilters, signal?: AbortSignal) => get<BusinessLinesReport>(`${base}/business-lines`, { ...f }, signal);
export const fetchEmotion = (f: ReportFilters, signal?: AbortSignal) => get<EmotionReport>(`${base}/emotion`, { ...f }, signal);
export const fetchTopics = (f: ReportFilters, limit: number, signal?: AbortSignal) => get<TopicsReport>(`${base}/topics`, { ...f, limit } as Q, signal);
export const fetchAgentPage = (agentId: string, f: Omit<ReportFilters, 'agentId'>, limit: number, signal?: AbortSignal) =>
  get<AgentPageReport>(`${base}/agents/${encodeURIComponent(agentId)}`, { ...f, limit } as Q, signal);

/** The fields of GET /api/v1/calls items the agent page shows. */
export type AgentCall = Pick<StoredCall, 'id' | 'externalId' | 'startedAt' | 'durationMs' | 'businessLine' | 'status' | 'createdAt'> & {
  inspection?: Pick<CallListInspection, 'scorePercent' | 'band' | 'fatal'> | null;
};

/** An agent's newest calls (GET /api/v1/calls?agentId=…). */
export const fetchAgentCalls = (agentId: string, limit: number, signal?: AbortSignal) => get<{ items: AgentCall[] }>('/api/v1/calls', { agentId, limit }, signal);
