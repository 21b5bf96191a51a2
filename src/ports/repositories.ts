import type { CallScopeFilter } from '../access/call-scope.js';
import type { Call, CallStatus } from '../domain/call.js';
import type { Inspection } from '../domain/inspection.js';
import type { Recording } from '../domain/recording.js';
import type { Signals } from '../domain/signals.js';
import type { SentimentLabel, TextAnalysis } from '../domain/text-analysis.js';
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
import type { StageName, StageStates } from '../pipeline/stages.js';
import type { CorrectionDictionary } from '../transcribe/correction/correction-dictionary.schema.js';

// The repositories of accounts, the audit log, data keys and exports live in files of their own;
// re-exported so callers keep importing the persistence port from one place.
export type * from './account-repository.js';
export type * from './audit-repository.js';
export type * from './data-key-repository.js';
export type * from './export-repository.js';
export type * from './report-repository.js';
export type * from './call-list.js';
export type * from './saved-filter-repository.js';

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

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface Job {
  id: number;
  callId: string;
  stage: StageName;
  status: JobStatus;
  /** Claims so far, including the one now running. */
  attempts: number;
  maxAttempts: number;
  /** Epoch ms before which the job is not claimed (retry backoff). */
  runAfter: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface JobRepository {
  /** Queue a stage for a call; re-queues it if it already ran (one job per call and stage). */
  enqueue(job: { callId: string; stage: StageName; maxAttempts: number; runAfter: number; now: number }): Promise<void>;
  /** Atomically take the next due job for this worker, or null. Safe across processes. */
  claim(workerId: string, now: number, leaseMs: number): Promise<Job | null>;
  /** Extend the lease of a job this worker holds; false if it lost the job. */
  renew(jobId: number, workerId: string, lockedUntil: number): Promise<boolean>;
  /*
   * The transitions out of `running` apply only while `lockedBy` still holds the job, and say
   * whether they did: a worker whose lease was taken over, or a recovery pass that lost the race
   * with the finishing worker, must not touch the call.
   */
  markDone(jobId: number, lockedBy: string, now: number): Promise<boolean>;
  /** Back to the queue, due at runAfter (a retry, or a job taken back from a dead worker). */
  markRetry(jobId: number, lockedBy: string, runAfter: number, error: string, now: number): Promise<boolean>;
  markFailed(jobId: number, lockedBy: string, error: string, now: number): Promise<boolean>;
  /** Every running job; the runner decides which are abandoned (lease over, worker dead). */
  listRunning(): Promise<Job[]>;
  get(jobId: number): Promise<Job | null>;
  listForCall(callId: string): Promise<Job[]>;
  countByStageAndStatus(): Promise<Array<{ stage: StageName; status: JobStatus; count: number }>>;
  /** Earliest runAfter among queued jobs, to sleep until then. */
  nextRunAfter(): Promise<number | null>;
}

/** One saved version of the ASR correction dictionary. */
export interface CorrectionDictionaryVersion {
  version: number;
  doc: CorrectionDictionary;
  /** The document's note ("what changed"), null when it has none. */
  note: string | null;
  createdAt: number;
  createdBy: string | null;
}

/** A version in the list: everything but the document, and how many terms it has. */
export type CorrectionDictionaryVersionInfo = Omit<CorrectionDictionaryVersion, 'doc'> & { terms: number };

/**
 * The ASR correction dictionary's versions. Append-only: a save is a new version, so the
 * dictionary that corrected any transcript can still be read.
 */
export interface CorrectionDictionaryRepository {
  /** The newest version, or null when none was ever saved. */
  latest(): Promise<CorrectionDictionaryVersion | null>;
  get(version: number): Promise<CorrectionDictionaryVersion | null>;
  /** Newest first. */
  listVersions(): Promise<CorrectionDictionaryVersionInfo[]>;
  /**
   * Store a validated document as the next version and return its number: 1, 2, 3… without gaps
   * or duplicates, also when processes save at the same time.
   */
  append(doc: CorrectionDictionary, meta: { createdAt: number; createdBy?: string | null }): Promise<number>;
}

/** One saved version of the rule set. */
export interface RuleSetVersionRow {
  version: number;
  /** The rule set document, parsed JSON (storage does not look inside). */
  body: unknown;
  sha256: string;
  note: string | null;
  status: 'draft' | 'published';
  createdAt: number;
  createdBy: string | null;
  publishedAt: number | null;
}

export type RuleSetVersionInfo = Omit<RuleSetVersionRow, 'body'>;

/**
 * The rule set's versions. Append-only: a save is a new draft numbered 1, 2, 3… (no gaps or
 * duplicates, also when processes save at once); publishing marks a draft, never changes it.
 */
export interface RuleSetRepository {
  /** Store a new draft and return its version. */
  append(body: unknown, meta: { sha256: string; note?: string | null; createdAt: number; createdBy?: string | null }): Promise<number>;
  /** Draft → published; false if the version does not exist. Publishing again is a no-op returning true. */
  publish(version: number, at: number): Promise<boolean>;
  get(version: number): Promise<RuleSetVersionRow | null>;
  /** The highest version number whose status is published; drafts are ignored. */
  latestPublished(): Promise<RuleSetVersionRow | null>;
  /** The same version without reading its body: cheap enough to ask per call. */
  latestPublishedVersion(): Promise<number | null>;
  /** Newest first. */
  listVersions(): Promise<RuleSetVersionInfo[]>;
}

/** An inspection as stored: by a saved rule set version (dry runs are never stored). */
export type StoredInspection = Inspection & { ruleSetVersion: number };

/**
 * Inspections, one per (call, rule set version): publishing a new version adds results, never
 * changes the old ones. A row per rule that hit is kept beside each, for reports and counts.
 */
export interface InspectionRepository {
  /** Insert or replace the call's inspection by inspection.ruleSetVersion, and its hit rows, atomically. */
  save(callId: string, inspection: StoredInspection, at: number): Promise<void>;
  /** save() for many calls in one transaction (the last one wins when a (call, version) repeats). */
  saveMany(rows: Array<{ callId: string; inspection: StoredInspection }>, at: number): Promise<void>;
  /** The inspection by the highest version stored for the call. */
  latest(callId: string): Promise<Inspection | null>;
  get(callId: string, version: number): Promise<Inspection | null>;
  /** The versions that inspected the call, ascending. */
  versionsForCall(callId: string): Promise<number[]>;
  /**
   * Per rule that hit under this version: in how many calls, and how many hits in all. Most
   * calls first, then by rule id.
   */
  countHitsByRule(version: number): Promise<Array<{ ruleId: string; calls: number; hits: number }>>;
}

/** Which stored calls a re-inspection covers; every field given must match. */
export interface ReinspectionFilter {
  /** Epoch ms, inclusive, on startedAt (or the time accepted when the call has no startedAt), as CallFilter. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  agentId?: string;
  teamId?: string;
  businessLine?: string;
  /** The call's channel (phone, chat, email). */
  channel?: string;
  /** Only these calls (an empty list matches none). */
  callIds?: string[];
  /** The principal's data scope (src/access/call-scope.ts); absent: every call. */
  scope?: CallScopeFilter;
}

export type ReinspectionStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ReinspectionJob {
  id: number;
  ruleSetVersion: number;
  filter: ReinspectionFilter;
  status: ReinspectionStatus;
  /** Calls the filter matched when the job was created. */
  total: number;
  done: number;
  /** Calls with at least one rule hit. */
  hitCalls: number;
  /** Id of the last call finished; a resumed job continues after it. */
  cursor: string | null;
  error: string | null;
  lockedBy: string | null;
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/**
 * Re-inspection jobs: one rule set version over the calls a filter selects. A worker holds a
 * job by lease; every write from it applies only while it still holds the job.
 */
export interface ReinspectionRepository {
  create(job: { ruleSetVersion: number; filter: ReinspectionFilter; total: number; now: number }): Promise<ReinspectionJob>;
  get(id: number): Promise<ReinspectionJob | null>;
  /** Newest first. */
  list(limit: number): Promise<ReinspectionJob[]>;
  /**
   * Atomically take the oldest queued job, or a running one whose lease is over (lockedUntil ≤
   * now: it resumes from its cursor), or null. Safe across processes.
   */
  claim(workerId: string, now: number, leaseMs: number): Promise<ReinspectionJob | null>;
  /** Record progress and extend the lease; false if the worker no longer holds the job (it must stop). */
  progress(id: number, workerId: string, p: { done: number; hitCalls: number; cursor: string; lockedUntil: number; now: number }): Promise<boolean>;
  /** Running → done or failed, by the holder only; false otherwise. */
  finish(id: number, workerId: string, status: 'done' | 'failed', error: string | null, now: number): Promise<boolean>;
  /** Queued or running → cancelled; false if the job is missing or over. The worker's next progress() is then false. */
  cancel(id: number, now: number): Promise<boolean>;
  /** Failed or cancelled → queued again, keeping its cursor and counts (it resumes after the last stored batch); false otherwise. */
  requeue(id: number, now: number): Promise<boolean>;
}

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
