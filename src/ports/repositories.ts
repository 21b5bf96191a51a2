import type { CallScopeFilter } from '../access/call-scope.js';
import type { Call, CallStatus } from '../domain/call.js';
import type { Recording } from '../domain/recording.js';
import type { Signals } from '../domain/signals.js';
import type { TextAnalysis } from '../domain/text-analysis.js';
import type { Transcript } from '../domain/transcript.js';
import type { VoiceActivity } from '../domain/voice-activity.js';
import type { Waveform } from '../domain/waveform.js';
import type { AccountRepository } from './account-repository.js';
import type { SavedFilterRepository } from './saved-filter-repository.js';
import type { CallListFilter, CallListOptions, CallListPage } from './call-list.js';
import type { AuditRepository } from './audit-repository.js';
import type { DataKeyRepository } from './data-key-repository.js';
import type { ExportRepository } from './export-repository.js';
import type { RetentionRepository } from './retention-repository.js';
import type { ReportRepository } from './report-repository.js';
import type { StageStates } from '../pipeline/stages.js';
import type { CorrectionDictionaryRepository } from './correction-dictionary-repository.js';
import type { InspectionRepository } from './inspection-repository.js';
import type { JobRepository } from './job-repository.js';
import type { ReinspectionFilter, ReinspectionRepository } from './reinspection-repository.js';
import type { RuleSetRepository } from './rule-set-repository.js';
import type { SearchIndex } from './search-index.js';

// The repositories of accounts, the audit log, data keys and exports live in files of their own;
// re-exported so callers keep importing the persistence port from one place.
export type * from './account-repository.js';
export type * from './audit-repository.js';
export type * from './data-key-repository.js';
export type * from './export-repository.js';
export type * from './report-repository.js';
export type * from './call-list.js';
export type * from './saved-filter-repository.js';
export type * from './job-repository.js';
export type * from './correction-dictionary-repository.js';
export type * from './rule-set-repository.js';
export type * from './inspection-repository.js';
export type * from './reinspection-repository.js';
export * from './search-index.js';

/**
 * The persistence port. Repositories are thin: they store and find, they hold no business rules.
 * One implementation (Kysely) serves SQLite and PostgreSQL; test/contract/repositories.contract.ts
 * runs the same suite against both.
 */
export interface CallFilter {
  /** Epoch ms, inclusive, on startedAt (or the time accepted when the call has no startedAt). */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  agentId?: string;
  teamId?: string;
  businessLine?: string;
  status?: CallStatus;
  /** The principal's data scope (src/access/call-scope.ts); absent: every call. */
  scope?: CallScopeFilter;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Null on the last page. */
  nextCursor: string | null;
}

export interface CallRepository {
  insert(call: Call): Promise<void>;
  get(id: string): Promise<Call | null>;
  findByExternalId(externalId: string): Promise<Call | null>;
  updateProgress(id: string, status: CallStatus, stages: StageStates, updatedAt: number): Promise<void>;
  /** Newest first (startedAt, then id). */
  list(filter: CallFilter, page: { limit: number; cursor?: string | undefined }): Promise<Page<Call>>;
  count(filter: CallFilter): Promise<number>;
  /** The console's calls list: a page in any sort with each call's latest inspection and text analysis, and the total. */
  browse(filter: CallListFilter, options: CallListOptions): Promise<CallListPage>;
  /**
   * The calls a re-inspection covers, in ascending id order after `afterId` (null: from the
   * start), at most `limit` of them: the job pages through them and resumes after its cursor.
   */
  listForReinspection(filter: ReinspectionFilter, afterId: string | null, limit: number): Promise<Call[]>;
  countForReinspection(filter: ReinspectionFilter): Promise<number>;
  /**
   * The agents, teams and business lines of the calls a filter matches (the filter's own agent,
   * team and business line are ignored, so each list offers every alternative), each with its
   * number of calls, most calls first (ties by value), at most `limit` of each.
   */
  facets(filter: CallFacetFilter, limit: number): Promise<CallFacets>;
}

/** What narrows the facets: the calls list's filter without the fields the facets offer, plus the channel. */
export type CallFacetFilter = Omit<CallFilter, 'agentId' | 'teamId' | 'businessLine'> & Pick<ReinspectionFilter, 'channel'>;

export interface CallFacet {
  value: string;
  calls: number;
}

export interface CallFacets {
  agents: CallFacet[];
  teams: CallFacet[];
  businessLines: CallFacet[];
  /** True where a list stopped at the limit. */
  truncated: { agents: boolean; teams: boolean; businessLines: boolean };
}

export interface RecordingRepository {
  insert(recording: Recording): Promise<void>;
  getByCallId(callId: string): Promise<Recording | null>;
  findBySha256(sha256: string): Promise<Recording | null>;
  /** Recordings in ascending call id order after `afterCallId` (null: from the start), at most `limit`: `tingjian verify` pages through them. */
  listAfter(afterCallId: string | null, limit: number): Promise<Recording[]>;
  count(): Promise<number>;
}

export interface TranscriptRepository {
  /** Replaces the call's transcript (stages are re-runnable). */
  save(transcript: Transcript): Promise<void>;
  get(callId: string): Promise<Transcript | null>;
  /** The transcripts of these calls (those that have one), each exactly as get() reads it. */
  getMany(callIds: string[]): Promise<Map<string, Transcript>>;
}

/** Computed documents of a call, one of each kind, replaced when recomputed. */
export interface ArtifactRepository {
  saveVoiceActivity(callId: string, activity: VoiceActivity, at: number): Promise<void>;
  getVoiceActivity(callId: string): Promise<VoiceActivity | null>;
  saveSignals(callId: string, signals: Signals, at: number): Promise<void>;
  getSignals(callId: string): Promise<Signals | null>;
  /** The signals of these calls (those that have them), each exactly as getSignals() reads it. */
  getSignalsMany(callIds: string[]): Promise<Map<string, Signals>>;
  /** What the words mean (sentiment, topics, summary, PII spans): the enrich stage's text analysis. */
  saveTextAnalysis(callId: string, analysis: TextAnalysis, at: number): Promise<void>;
  getTextAnalysis(callId: string): Promise<TextAnalysis | null>;
  getTextAnalysisMany(callIds: string[]): Promise<Map<string, TextAnalysis>>;
  /** The recording's peaks for drawing it, computed on the first request (src/calls/call-waveform.ts). */
  saveWaveform(callId: string, waveform: Waveform, at: number): Promise<void>;
  getWaveform(callId: string): Promise<Waveform | null>;
}

export interface Repositories {
  calls: CallRepository;
  recordings: RecordingRepository;
  transcripts: TranscriptRepository;
  artifacts: ArtifactRepository;
  jobs: JobRepository;
  corrections: CorrectionDictionaryRepository;
  ruleSets: RuleSetRepository;
  inspections: InspectionRepository;
  reinspections: ReinspectionRepository;
  search: SearchIndex;
  accounts: AccountRepository;
  savedFilters: SavedFilterRepository;
  audit: AuditRepository;
  retention: RetentionRepository;
  dataKeys: DataKeyRepository;
  exports: ExportRepository;
  reports: ReportRepository;
}

export interface Database {
  readonly dialect: 'sqlite' | 'postgres';
  readonly repos: Repositories;
  /** Run fn in one transaction: all its writes land, or none. */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}
