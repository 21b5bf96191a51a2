import type { Kysely, Selectable, Updateable } from 'kysely';
import type { StageName } from '../../../pipeline/stages.js';
import type { Job, JobRepository, JobStatus } from '../../../ports/repositories.js';
import type { DatabaseSchema, JobsTable } from '../schema.js';

const toJob = (r: Selectable<JobsTable>): Job => ({
  id: Number(r.id),
  callId: r.call_id,
  stage: r.stage as StageName,
  status: r.status as JobStatus,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAfter: r.run_after,
  lockedBy: r.locked_by,
  lockedUntil: r.locked_until,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * The durable job table behind the embedded queue. Claiming is one UPDATE … WHERE id = (SELECT …)
 * RETURNING statement: atomic under SQLite's write lock, and with FOR UPDATE SKIP LOCKED on
 * PostgreSQL so many worker processes never take the same job.
 */
export class KyselyJobRepository implements JobRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async enqueue(j: { callId: string; stage: StageName; maxAttempts: number; runAfter: number; now: number }): Promise<void> {
    const fresh = {
      status: 'queued',
      attempts: 0,
      max_attempts: j.maxAttempts,
      run_after: j.runAfter,
      locked_by: null,
      locked_until: null,
      last_error: null,
      updated_at: j.now,
    };
    await this.db
      .insertInto('jobs')
      .values({ call_id: j.callId, stage: j.stage, created_at: j.now, ...fresh })
      .onConflict((oc) => oc.columns(['call_id', 'stage']).doUpdateSet(fresh))
      .execute();
  }

  async claim(workerId: string, now: number, leaseMs: number): Promise<Job | null> {
    const row = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        locked_by: workerId,
        locked_until: now + leaseMs,
        updated_at: now,
      }))
      .where((eb) => {
        let next = eb
          .selectFrom('jobs')
          .select('id')
          .where('status', '=', 'queued')
          .where('run_after', '<=', now)
          .orderBy('id')
          .limit(1);
        if (this.dialect === 'postgres') next = next.forUpdate().skipLocked();
        return eb.and([eb('id', '=', next), eb('status', '=', 'queued')]);
      })
      .returningAll()
      .executeTakeFirst();
    return row ? toJob(row) : null;
  }

  async renew(jobId: number, workerId: string, lockedUntil: number): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ locked_until: lockedUntil })
      .where('id', '=', jobId)
      .where('status', '=', 'running')
      .where('locked_by', '=', workerId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Apply `set` to a running job only while `lockedBy` holds it; true if it did. */
  private async fromHolder(jobId: number, lockedBy: string, set: Updateable<JobsTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ locked_by: null, locked_until: null, ...set })
      .where('id', '=', jobId)
      .where('status', '=', 'running')
      .where('locked_by', '=', lockedBy)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  markDone(jobId: number, lockedBy: string, now: number): Promise<boolean> {
    return this.fromHolder(jobId, lockedBy, { status: 'done', last_error: null, updated_at: now });
  }

  markRetry(jobId: number, lockedBy: string, runAfter: number, error: string, now: number): Promise<boolean> {
    return this.fromHolder(jobId, lockedBy, { status: 'queued', run_after: runAfter, last_error: error, updated_at: now });
  }

  markFailed(jobId: number, lockedBy: string, error: string, now: number): Promise<boolean> {
    return this.fromHolder(jobId, lockedBy, { status: 'failed', last_error: error, updated_at: now });
  }

  async listRunning(): Promise<Job[]> {
    const rows = await this.db.selectFrom('jobs').selectAll().where('status', '=', 'running').orderBy('id').execute();
    return rows.map(toJob);
  }

  async get(jobId: number): Promise<Job | null> {
    const r = await this.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    return r ? toJob(r) : null;
  }

  async listForCall(callId: string): Promise<Job[]> {
    const rows = await this.db.selectFrom('jobs').selectAll().where('call_id', '=', callId).orderBy('id').execute();
    return rows.map(toJob);
  }

  async countByStageAndStatus(): Promise<Array<{ stage: StageName; status: JobStatus; count: number }>> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['stage', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy(['stage', 'status'])
      .execute();
    return rows.map((r) => ({ stage: r.stage as StageName, status: r.status as JobStatus, count: Number(r.n) }));
  }

  async nextRunAfter(): Promise<number | null> {
    const r = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.min<number | string | null>('run_after').as('t'))
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return r?.t === null || r?.t === undefined ? null : Number(r.t);
  }
}
