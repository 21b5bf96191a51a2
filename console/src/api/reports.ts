import type { CallListInspection, StoredCall } from './call-list';
import { get } from './client';

/**
 * The aggregate reports (src/http/routes/report-routes.ts): every number counts only the calls
 * the signed-in user may see, over each call's latest inspection.
 *
 * The report types are copies: the route's schemas are not exported, and the server's own types
 * (src/reports/report-shaping.ts Bucket, Granularity) come with imports (src/ports/repositories.ts
 * and on to node:crypto) that do not type-check in the browser's config.
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

/** A trend's bucket: its first day, and the instants it covers (to list its calls). */
export interface Bucket {
  bucket: string;
  from: string;
  to: string;
}

export interface Kpis {
  calls: number;
  scoredCalls: number;
  inspectedCalls: number;
  avgScore: number | null;
  hitCalls: number;
  hitRate: number | null;
  fatalCalls: number;
}

export interface Overview extends Kpis {
  scoreDistribution: Array<{ from: number; to: number; calls: number }>;
  bands: Array<{ band: string; calls: number }>;
  buckets: Bucket[];
  trend: Array<{ bucket: string; calls: number; avgScore: number | null; hitRate: number | null; fatalCalls: number }>;
}

export interface RulesReport {
  inspectedCalls: number;
  items: Array<{ ruleId: string; ruleName: string; calls: number; hits: number; rate: number | null }>;
  buckets: Bucket[];
  trend: Array<{ bucket: string; ruleId: string; calls: number; rate: number | null }>;
}

export interface AgentRow extends Kpis {
  agentId: string;
  teamId: string | null;
}

export interface AgentsReport {
  agents: number;
  items: AgentRow[];
}

export interface BusinessLinesReport {
  items: Array<Kpis & { businessLine: string }>;
}

export interface SentimentCounts {
  positive: number;
  neutral: number;
  negative: number;
  avgSentiment: number | null;
}

export interface EmotionReport {
  totals: SentimentCounts;
  buckets: Bucket[];
  trend: Array<SentimentCounts & { bucket: string }>;
}

export interface TopicsReport {
  calls: number;
  items: Array<{ topic: string; name: string; calls: number }>;
  buckets: Bucket[];
  trend: Array<{ bucket: string; topic: string; calls: number }>;
}

export interface AgentPageReport extends Kpis {
  agentId: string;
  teamId: string | null;
  buckets: Bucket[];
  trend: Array<{ bucket: string; calls: number; avgScore: number | null; hitRate: number | null }>;
  deductions: Array<{
    ruleId: string;
    ruleName: string;
    calls: number;
    hits: number;
    moments: Array<{ callId: string; at: string; startMs: number; endMs: number; quote: string }>;
  }>;
}

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
