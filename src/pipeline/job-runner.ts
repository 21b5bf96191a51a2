import type { Logger } from 'pino';
import { isTingjianError, type ErrorCode } from '../domain/errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Call } from '../domain/call.js';
import type { Database, Job } from '../ports/repositories.js';
import { retryDelayMs } from './backoff.js';
import { stageFailed, stageFinished, stageRetrying, stageStarted } from './call-progress.js';
import type { MediaServices, StageHandlers, StageResult } from './stage-handler.js';
import { STAGES } from './stages.js';
import { isDeadLocalProcess, newWorkerId } from '../platform/process-identity.js';

/** Errors about the input itself: retrying cannot fix them, so the call fails at once. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set([
  'INVALID_AUDIO',
  'UNSUPPORTED_FORMAT',
  'INVALID_TRANSCRIPT',
  'INVALID_METADATA',
  'EMPTY_UPLOAD',
  'INTEGRITY_MISMATCH',
  // The process reads its config and finds its binaries once, at start: a missing model or
  // program stays missing until an operator fixes it, so retrying now only delays the message.
  'CONFIG_INVALID',
  'DEPENDENCY_MISSING',
]);

export interface JobRunnerOptions {
  concurrency: number;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** How often an idle worker looks for jobs other processes queued. */
  pollMs?: number;
}

export interface JobRunnerDeps {
  db: Database;
  blobs: BlobStore;
  media: MediaServices;
  log: Logger;
  handlers: StageHandlers;
  /** Called once a call has failed for good (no retry left): drop its scratch data. */
  onCallFailed?: (callId: string) => Promise<void>;
}

/**
 * The embedded queue's workers: `concurrency` loops in this process claim jobs from the jobs
 * table, run the stage handler, and in one transaction mark the job done, record the stage on the
 * call and queue the next stage. A job held by a worker that died (SIGKILL, crash) is taken back
 * at start and whenever its lease runs out; the claim counts as an attempt, so a stage that kills
 * its worker every time still ends in `failed` instead of looping forever.
 */
export class JobRunner {
  readonly workerId = newWorkerId();
  private running = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  /** Jobs this process is running now: recovery never takes these, whatever their lease says. */
  private readonly inHand = new Set<number>();
  private recoveryTimer: NodeJS.Timeout | undefined;
  private readonly pollMs: number;

  constructor(
    private readonly deps: JobRunnerDeps,
    private readonly opts: JobRunnerOptions,
  ) {
    this.pollMs = opts.pollMs ?? 250;
    const missing = STAGES.filter((s) => typeof deps.handlers[s] !== 'function');
    if (missing.length) throw new Error(`no handler registered for stage(s): ${missing.join(', ')}`);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.recoverAbandoned();
    this.recoveryTimer = setInterval(() => void this.recoverAbandoned().catch((e: unknown) => this.deps.log.error({ err: e }, 'job recovery failed')), Math.max(1000, this.opts.leaseMs / 2));
    this.recoveryTimer.unref();
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop());
  }

  /** Stop claiming; wait for jobs in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.recoveryTimer);
    this.wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Tell idle workers new jobs are queued (in-process ingest calls this). */
  wake(): void {
    for (const w of this.wakers) w();
    this.wakers.clear();
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakers.delete(done);
        resolve();
      }
      this.wakers.add(done);
    });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let job: Job | null = null;
      try {
        job = await this.deps.db.repos.jobs.claim(this.workerId, Date.now(), this.opts.leaseMs);
      } catch (e) {
        this.deps.log.error({ err: e }, 'claiming a job failed');
      }
      if (!job) {
        await this.idle();
        continue;
      }
      this.inHand.add(job.id);
      try {
        await this.run(job);
      } catch (e) {
        // Even recording the outcome failed (database gone?): the job stays `running` under our
        // id, and recoverAbandoned takes it back once its lease runs out. The worker goes on.
        this.deps.log.error({ err: e, jobId: job.id }, 'a job could not be settled; it will be taken back when its lease runs out');
      } finally {
        this.inHand.delete(job.id);
      }
    }
  }

  private async run(job: Job): Promise<void> {
    const { db, log } = this.deps;
    const heartbeat = setInterval(() => {
      void db.repos.jobs.renew(job.id, this.workerId, Date.now() + this.opts.leaseMs).catch(() => undefined);
    }, this.opts.leaseMs / 3);
    heartbeat.unref();
    const started = Date.now();
    try {
      const call = await this.markStarted(job);
      if (!call) return;
      const result = await this.deps.handlers[job.stage]({ call, job, db, blobs: this.deps.blobs, media: this.deps.media, log: log.child({ callId: call.id, stage: job.stage }) });
      await this.finish(job, result);
      log.debug({ callId: call.id, stage: job.stage, ms: Date.now() - started, status: result.status }, 'stage finished');
    } catch (e) {
      const permanent = isTingjianError(e) && PERMANENT.has(e.code);
      const message = isTingjianError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
      log.warn({ callId: job.callId, stage: job.stage, attempt: job.attempts, err: e }, 'stage failed');
      await this.settleFailure(job, this.workerId, message, permanent);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Show the stage as running on the call — only while we still hold the job. Null: nothing to do. */
  private async markStarted(job: Job): Promise<Call | null> {
    return this.deps.db.transaction(async (r) => {
      const now = Date.now();
      // renew doubles as the check that we still hold the job (and locks its row on PostgreSQL).
      if (!(await r.jobs.renew(job.id, this.workerId, now + this.opts.leaseMs))) return null;
      const call = await r.calls.get(job.callId);
      if (!call) {
        await r.jobs.markFailed(job.id, this.workerId, 'the call no longer exists', now);
        return null;
      }
      const stages = stageStarted(call.stages, job.stage, job.attempts, now);
      await r.calls.updateProgress(call.id, 'processing', stages, now);
      return { ...call, status: 'processing', stages, updatedAt: now };
    });
  }

  private async finish(job: Job, result: StageResult): Promise<void> {
    let queuedNext = false;
    await this.deps.db.transaction(async (r) => {
      const now = Date.now();
      // Conditional on holding the job: if it was taken over meanwhile, our result is dropped.
      if (!(await r.jobs.markDone(job.id, this.workerId, now))) {
        this.deps.log.warn({ jobId: job.id }, 'job was taken over by another worker; dropping this result');
        return;
      }
      const call = await r.calls.get(job.callId);
      if (!call) return;
      const t = stageFinished(call.stages, job.stage, result, job.attempts, now);
      if (t.next) {
        await r.jobs.enqueue({ callId: call.id, stage: t.next, maxAttempts: this.opts.maxAttempts, runAfter: now, now });
        queuedNext = true;
      }
      await r.calls.updateProgress(call.id, t.status, t.stages, now);
    });
    if (queuedNext) this.wake();
  }

  /**
   * The one place a failed attempt is settled — a stage that threw (holder: us) or a worker that
   * died (holder: it): retry with backoff while attempts remain and the error is not in the input
   * itself, else fail the stage and the call. Nothing happens unless `holder` still holds the job.
   */
  private async settleFailure(job: Job, holder: string, error: string, permanent: boolean): Promise<boolean> {
    const retry = !permanent && job.attempts < job.maxAttempts;
    const settled = await this.deps.db.transaction(async (r) => {
      const now = Date.now();
      const moved = retry
        ? await r.jobs.markRetry(job.id, holder, now + retryDelayMs(job.attempts, this.opts.retryBaseMs), error, now)
        : await r.jobs.markFailed(job.id, holder, error, now);
      if (!moved) return false;
      const call = await r.calls.get(job.callId);
      if (call) {
        const t = retry
          ? { stages: stageRetrying(call.stages, job.stage, job.attempts, error, now), status: 'processing' as const }
          : stageFailed(call.stages, job.stage, job.attempts, error, now);
        await r.calls.updateProgress(call.id, t.status, t.stages, now);
      }
      return true;
    });
    if (settled && !retry) {
      await this.deps.onCallFailed?.(job.callId).catch((e: unknown) => this.deps.log.warn({ err: e, callId: job.callId }, 'cleaning up after a failed call failed'));
    }
    return settled;
  }

  /**
   * Take back running jobs whose worker is gone: a dead pid on this host (immediately) or a
   * lease that ran out (any host). Jobs this process is working on are never taken. A job taken
   * back counts the crashed claim as an attempt. Returns how many were taken back.
   */
  async recoverAbandoned(): Promise<number> {
    let recovered = 0;
    for (const job of await this.deps.db.repos.jobs.listRunning()) {
      if (this.inHand.has(job.id) || job.lockedBy === null) continue;
      const expired = job.lockedUntil !== null && job.lockedUntil < Date.now();
      if (!expired && !isDeadLocalProcess(job.lockedBy)) continue;
      const error = `worker ${job.lockedBy} stopped while running ${job.stage} (crash, kill or lost lease)`;
      // Same backoff as a failed stage: a stage that kills its worker every time is not hammered.
      if (await this.settleFailure(job, job.lockedBy, error, false)) recovered++;
    }
    if (recovered) {
      this.deps.log.warn({ recovered }, 'took back jobs from stopped workers');
      this.wake();
    }
    return recovered;
  }
}
