import type { CallScopeFilter } from '../access/call-scope.js';

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
