import type { Call, CallStatus } from '../domain/call.js';
import type { Inspection } from '../domain/inspection.js';
import type { Recording } from '../domain/recording.js';
import type { Signals } from '../domain/signals.js';
import type { Transcript } from '../domain/transcript.js';
import type { VoiceActivity } from '../domain/voice-activity.js';
import type { StageName, StageStates } from '../pipeline/stages.js';
import type { CorrectionDictionary } from '../transcribe/correction/correction-dictionary.schema.js';

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
}

export interface RecordingRepository {
  insert(recording: Recording): Promise<void>;
  getByCallId(callId: string): Promise<Recording | null>;
  findBySha256(sha256: string): Promise<Recording | null>;
}

export interface TranscriptRepository {
  /** Replaces the call's transcript (stages are re-runnable). */
  save(transcript: Transcript): Promise<void>;
  get(callId: string): Promise<Transcript | null>;
}

/** Computed documents of a call, one of each kind, replaced when recomputed. */
export interface ArtifactRepository {
  saveVoiceActivity(callId: string, activity: VoiceActivity, at: number): Promise<void>;
  getVoiceActivity(callId: string): Promise<VoiceActivity | null>;
  saveSignals(callId: string, signals: Signals, at: number): Promise<void>;
  getSignals(callId: string): Promise<Signals | null>;
  saveInspection(callId: string, inspection: Inspection, at: number): Promise<void>;
  getInspection(callId: string): Promise<Inspection | null>;
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

export interface Repositories {
  calls: CallRepository;
  recordings: RecordingRepository;
  transcripts: TranscriptRepository;
  artifacts: ArtifactRepository;
  jobs: JobRepository;
  corrections: CorrectionDictionaryRepository;
}

export interface Database {
  readonly dialect: 'sqlite' | 'postgres';
  readonly repos: Repositories;
  /** Run fn in one transaction: all its writes land, or none. */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}
