import type { Logger } from 'pino';
import { isTingjianError, type ErrorCode } from '../domain/errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database, Job, Repositories } from '../ports/repositories.js';
import { retryDelayMs } from './backoff.js';
import { stageFailed, stageFinished, stageRetrying, stageStarted } from './call-progress.js';
import type { StageHandlers, StageResult } from './stage-handler.js';
import { STAGES } from './stages.js';
import { isDeadLocalWorker, newWorkerId } from './worker-identity.js';

/** Errors about the input itself: retrying cannot fix them, so the call fails at once. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set([
  'INVALID_AUDIO',
  'UNSUPPORTED_FORMAT',
  'INVALID_TRANSCRIPT',
  'INVALID_METADATA',
  'EMPTY_UPLOAD',
  'INTEGRITY_MISMATCH',
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
  log: Logger;
  handlers: StageHandlers;
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
      if (job) await this.run(job);
      else await this.idle();
    }
  }

  private async run(job: Job): Promise<void> {
    const { db, log } = this.deps;
    const call = await db.repos.calls.get(job.callId);
    if (!call) {
      await db.repos.jobs.markFailed(job.id, 'the call no longer exists', Date.now());
      return;
    }
    await db.transaction(async (r) => {
      const now = Date.now();
      await r.calls.updateProgress(call.id, 'processing', stageStarted(call.stages, job.stage, job.attempts, now), now);
    });
    const heartbeat = setInterval(() => {
      void db.repos.jobs.renew(job.id, this.workerId, Date.now() + this.opts.leaseMs).catch(() => undefined);
    }, this.opts.leaseMs / 3);
    heartbeat.unref();
    const started = Date.now();
    try {
      const fresh = (await db.repos.calls.get(job.callId)) ?? call;
      const result = await this.deps.handlers[job.stage]({ call: fresh, job, db, blobs: this.deps.blobs, log: log.child({ callId: call.id, stage: job.stage }) });
      await this.finish(job, result);
      log.debug({ callId: call.id, stage: job.stage, ms: Date.now() - started, status: result.status }, 'stage finished');
    } catch (e) {
      await this.fail(job, e).catch((e2: unknown) => log.error({ err: e2, jobId: job.id }, 'recording a job failure failed'));
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Runs fn only while this worker still holds the job (a lost lease means someone else has it). */
  private async whileHeld(job: Job, fn: (r: Repositories, now: number) => Promise<void>): Promise<void> {
    await this.deps.db.transaction(async (r) => {
      const current = await r.jobs.get(job.id);
      if (!current || current.status !== 'running' || current.lockedBy !== this.workerId) {
        this.deps.log.warn({ jobId: job.id }, 'job was taken over by another worker; dropping this result');
        return;
      }
      await fn(r, Date.now());
    });
  }

  private async finish(job: Job, result: StageResult): Promise<void> {
    let queuedNext = false;
    await this.whileHeld(job, async (r, now) => {
      const call = await r.calls.get(job.callId);
      if (!call) return;
      await r.jobs.markDone(job.id, now);
      const t = stageFinished(call.stages, job.stage, result, job.attempts, now);
      if (t.next) {
        await r.jobs.enqueue({ callId: call.id, stage: t.next, maxAttempts: this.opts.maxAttempts, runAfter: now, now });
        queuedNext = true;
      }
      await r.calls.updateProgress(call.id, t.status, t.stages, now);
    });
    if (queuedNext) this.wake();
  }

  private async fail(job: Job, e: unknown): Promise<void> {
    const permanent = isTingjianError(e) && PERMANENT.has(e.code);
    const message = isTingjianError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    this.deps.log.warn({ callId: job.callId, stage: job.stage, attempt: job.attempts, err: e }, 'stage failed');
    await this.whileHeld(job, (r, now) => this.retryOrFail(r, job, message, permanent, now));
  }

  private async retryOrFail(r: Repositories, job: Job, error: string, permanent: boolean, now: number): Promise<void> {
    const call = await r.calls.get(job.callId);
    if (!permanent && job.attempts < job.maxAttempts) {
      await r.jobs.markRetry(job.id, now + retryDelayMs(job.attempts, this.opts.retryBaseMs), error, now);
      if (call) await r.calls.updateProgress(call.id, 'processing', stageRetrying(call.stages, job.stage, job.attempts, error, now), now);
      return;
    }
    await r.jobs.markFailed(job.id, error, now);
    if (call) {
      const t = stageFailed(call.stages, job.stage, job.attempts, error, now);
      await r.calls.updateProgress(call.id, t.status, t.stages, now);
    }
  }

  /**
   * Take back running jobs whose worker is gone: a dead pid on this host (immediately) or a
   * lease that ran out (any host). Returns how many were taken back.
   */
  async recoverAbandoned(): Promise<number> {
    let recovered = 0;
    for (const job of await this.deps.db.repos.jobs.listRunning()) {
      if (job.lockedBy === this.workerId) continue;
      const now = Date.now();
      const expired = job.lockedUntil !== null && job.lockedUntil < now;
      if (!expired && !(job.lockedBy !== null && isDeadLocalWorker(job.lockedBy))) continue;
      const error = `worker ${job.lockedBy ?? '?'} stopped while running ${job.stage} (crash, kill or lost lease)`;
      await this.deps.db.transaction(async (r) => {
        const current = await r.jobs.get(job.id);
        if (!current || current.status !== 'running' || current.lockedBy !== job.lockedBy) return;
        const call = await r.calls.get(job.callId);
        if (current.attempts >= current.maxAttempts) {
          await r.jobs.markFailed(job.id, error, now);
          if (call) {
            const t = stageFailed(call.stages, job.stage, current.attempts, error, now);
            await r.calls.updateProgress(call.id, t.status, t.stages, now);
          }
        } else {
          await r.jobs.release(job.id, current.lockedBy ?? '', now, error, now);
          if (call) await r.calls.updateProgress(call.id, 'processing', stageRetrying(call.stages, job.stage, current.attempts, error, now), now);
        }
        recovered++;
      });
    }
    if (recovered) {
      this.deps.log.warn({ recovered }, 'took back jobs from stopped workers');
      this.wake();
    }
    return recovered;
  }
}
