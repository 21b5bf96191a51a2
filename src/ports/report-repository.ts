import type { SearchFilters } from './repositories.js';

/**
 * Which calls a report counts: the calls filter (time, agent, team, business line, channel) and
 * the principal's data scope, exactly as search reads them, so a report's number and the calls
 * list it drills down to agree.
 */
export type ReportFilters = Pick<SearchFilters, 'from' | 'to' | 'agentId' | 'teamId' | 'businessLine' | 'channel' | 'scope'>;

/**
 * Calls by day: `day` is the day number (days since 1970-01-01) of the call's time shifted by the
 * offset given to the query, so days are calendar days of that UTC offset.
 */
export interface DayKey {
  day: number;
}

/** What every report group counts over its calls (the latest inspection of each). */
export interface CallAggregate {
  calls: number;
  /** Calls whose latest inspection has a score percent, and the sum of those scores. */
  scoredCalls: number;
  scoreSum: number;
  /** Calls with an inspection at all. */
  inspectedCalls: number;
  /** Calls where at least one rule hit. */
  hitCalls: number;
  /** Calls whose inspection failed a fatal item or rule. */
  fatalCalls: number;
}

export interface RuleCount {
  ruleId: string;
  /** Calls where it hit, and its hits in them. */
  calls: number;
  hits: number;
  /** The newest rule set version among those calls' inspections (its rule name is shown). */
  ruleSetVersion: number;
}

/** A call where a rule hit in the latest inspection. */
export interface RuleHitCall {
  ruleId: string;
  callId: string;
  ruleSetVersion: number;
  /** Epoch ms: the call's time. */
  at: number;
}

/**
 * Aggregates over the stored calls' latest inspections and text analyses (the search index's
 * documents: one per call, with the latest inspection's version, score and rules that hit).
 * Everything is counted inside the database; a data scope in the filters limits every number.
 */
export interface ReportRepository {
  /** The aggregate per day (days of `offsetMs`), days with calls only, ascending. */
  byDay(f: ReportFilters, offsetMs: number): Promise<Array<DayKey & CallAggregate>>;
  /** Per agent (calls without one left out); `teamId` is the highest team id among the agent's calls. */
  byAgent(f: ReportFilters): Promise<Array<CallAggregate & { agentId: string; teamId: string | null }>>;
  /** Per business line (calls without one left out). */
  byBusinessLine(f: ReportFilters): Promise<Array<CallAggregate & { businessLine: string }>>;
  /** Calls per score percent (calls without a score left out). */
  scores(f: ReportFilters): Promise<Array<{ scorePercent: number; calls: number }>>;
  /** Calls per scorecard band (calls without one left out). */
  bands(f: ReportFilters): Promise<Array<{ band: string; calls: number }>>;
  /** Every rule that hit, most calls first, then by rule id. */
  rules(f: ReportFilters): Promise<RuleCount[]>;
  /** Calls per day where each of these rules hit (days with hits only). */
  ruleDays(f: ReportFilters, offsetMs: number, ruleIds: readonly string[]): Promise<Array<DayKey & { ruleId: string; calls: number }>>;
  /** The `perRule` newest calls where each of these rules hit, newest first per rule. */
  recentRuleHits(f: ReportFilters, ruleIds: readonly string[], perRule: number): Promise<RuleHitCall[]>;
  /** Per day: calls per customer sentiment label, and the sum and count of the sentiment scores. */
  sentimentDays(f: ReportFilters, offsetMs: number): Promise<Array<DayKey & { positive: number; neutral: number; negative: number; sentimentSum: number; sentimentCalls: number }>>;
  /** Calls per topic, most first, then by topic id. */
  topics(f: ReportFilters): Promise<Array<{ topic: string; calls: number }>>;
  /** Calls per day with each of these topics (days with calls only). */
  topicDays(f: ReportFilters, offsetMs: number, topics: readonly string[]): Promise<Array<DayKey & { topic: string; calls: number }>>;
  /** Whether any call of this agent is in the filters (an agent page for someone outside the scope is not found). */
  agentHasCalls(f: ReportFilters, agentId: string): Promise<boolean>;
}
