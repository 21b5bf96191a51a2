import type { StageName } from '../pipeline/stages.js';

/** The durable job queue behind the pipeline's stages (claimed with leases, retried, released). */
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
