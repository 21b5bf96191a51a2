import type { ExpressionBuilder, Kysely, Selectable, Updateable } from 'kysely';
import type { ReinspectionFilter, ReinspectionJob, ReinspectionRepository } from '../../../ports/repositories.js';
import type { DatabaseSchema, ReinspectionJobsTable } from '../schema.js';
import type { Dialect } from './sql-helpers.js';

const toJob = (r: Selectable<ReinspectionJobsTable>): ReinspectionJob => ({
  id: Number(r.id),
  ruleSetVersion: Number(r.rule_set_version),
  filter: JSON.parse(r.filter) as ReinspectionFilter,
  status: r.status as ReinspectionJob['status'],
  total: Number(r.total),
  done: Number(r.done),
  hitCalls: Number(r.hit_calls),
  cursor: r.cursor,
  error: r.error,
  lockedBy: r.locked_by,
  lockedUntil: r.locked_until,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

/** Queued, or running under a lease that is over (its worker died or hung): a worker may take it. */
const claimable = (now: number) => (eb: ExpressionBuilder<DatabaseSchema, 'reinspection_jobs'>) =>
  eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('locked_until', '<=', now)])]);

/**
 * Re-inspection jobs. Claiming is one UPDATE … WHERE id = (SELECT …) RETURNING statement, as for
 * pipeline jobs: atomic under SQLite's write lock, FOR UPDATE SKIP LOCKED on PostgreSQL. A claim
 * keeps done, hitCalls and the cursor, so a job taken over from a dead worker resumes.
 */
export class KyselyReinspectionRepository implements ReinspectionRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: Dialect,
  ) {}

  async create(job: { ruleSetVersion: number; filter: ReinspectionFilter; total: number; now: number }): Promise<ReinspectionJob> {
    const row = await this.db
      .insertInto('reinspection_jobs')
      .values({
        rule_set_version: job.ruleSetVersion,
        filter: JSON.stringify(job.filter),
        status: 'queued',
        total: job.total,
        done: 0,
        hit_calls: 0,
        cursor: null,
        error: null,
        locked_by: null,
        locked_until: null,
        created_at: job.now,
        updated_at: job.now,
        finished_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toJob(row);
  }

  async get(id: number): Promise<ReinspectionJob | null> {
    const r = await this.db.selectFrom('reinspection_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toJob(r) : null;
  }

  async list(limit: number): Promise<ReinspectionJob[]> {
    const rows = await this.db.selectFrom('reinspection_jobs').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toJob);
  }

  async claim(workerId: string, now: number, leaseMs: number): Promise<ReinspectionJob | null> {
    const row = await this.db
      .updateTable('reinspection_jobs')
      .set({ status: 'running', locked_by: workerId, locked_until: now + leaseMs, updated_at: now })
      .where((eb) => {
        let next = eb.selectFrom('reinspection_jobs').select('id').where(claimable(now)).orderBy('id').limit(1);
        if (this.dialect === 'postgres') next = next.forUpdate().skipLocked();
        return eb.and([eb('id', '=', next), claimable(now)(eb)]);
      })
      .returningAll()
      .executeTakeFirst();
    return row ? toJob(row) : null;
  }

  /** Apply `set` to a running job only while `workerId` holds it; true if it did. */
  private async fromHolder(id: number, workerId: string, set: Updateable<ReinspectionJobsTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('reinspection_jobs')
      .set(set)
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('locked_by', '=', workerId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  progress(id: number, workerId: string, p: { done: number; hitCalls: number; cursor: string; lockedUntil: number; now: number }): Promise<boolean> {
    return this.fromHolder(id, workerId, { done: p.done, hit_calls: p.hitCalls, cursor: p.cursor, locked_until: p.lockedUntil, updated_at: p.now });
  }

  finish(id: number, workerId: string, status: 'done' | 'failed', error: string | null, now: number): Promise<boolean> {
    return this.fromHolder(id, workerId, { status, error, locked_by: null, locked_until: null, updated_at: now, finished_at: now });
  }

  async requeue(id: number, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('reinspection_jobs')
      .set({ status: 'queued', error: null, locked_by: null, locked_until: null, updated_at: now, finished_at: null })
      .where('id', '=', id)
      .where('status', 'in', ['failed', 'cancelled'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async cancel(id: number, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('reinspection_jobs')
      .set({ status: 'cancelled', locked_by: null, locked_until: null, updated_at: now, finished_at: now })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
