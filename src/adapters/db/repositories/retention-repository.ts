import { sql, type Kysely, type Selectable } from 'kysely';
import type { CallExpiry, CallRetention, LegalHold, PurgeAudit, PurgeTombstone, RetentionRepository } from '../../../ports/retention-repository.js';
import type { CallRetentionTable, DatabaseSchema } from '../schema.js';
import { chunks, stringList, type Dialect } from './sql-helpers.js';

type Row = Selectable<CallRetentionTable>;

const toRetention = (r: Row): CallRetention => ({
  callId: r.call_id,
  expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  policy: r.policy,
  computedAt: r.computed_at === null ? null : Number(r.computed_at),
  legalHold: Number(r.legal_hold) === 1 ? { reason: r.hold_reason ?? '', by: r.hold_by ?? '', at: Number(r.hold_at) } : null,
});

const toTombstone = (r: Row): PurgeTombstone => ({
  callId: r.call_id,
  blobKey: r.blob_key,
  externalId: r.external_id,
  policy: r.policy,
  expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  purgedAt: Number(r.purged_at),
  audit: r.purge_audit ? (JSON.parse(r.purge_audit) as PurgeAudit) : null,
});

/**
 * The call_retention side table (0007-retention.ts). The purge's scan reads the
 * (legal_hold, purged_at, expires_at, call_id) index in expiry order.
 */
export class KyselyRetentionRepository implements RetentionRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: Dialect,
  ) {}

  async get(callId: string): Promise<CallRetention | null> {
    const r = await this.db.selectFrom('call_retention').selectAll().where('call_id', '=', callId).where('purged_at', 'is', null).executeTakeFirst();
    return r ? toRetention(r) : null;
  }

  async saveExpiries(rows: CallExpiry[], now: number, opts: { neverShorten: boolean }): Promise<void> {
    for (const batch of chunks(rows)) {
      await this.db
        .insertInto('call_retention')
        .values(batch.map((r) => ({ call_id: r.callId, expires_at: r.expiresAt, policy: r.policy, computed_at: now })))
        .onConflict((oc) =>
          oc
            .column('call_id')
            .doUpdateSet(() => {
              if (!opts.neverShorten) return { expires_at: sql`excluded.expires_at`, policy: sql`excluded.policy`, computed_at: sql`excluded.computed_at` };
              // WORM: retention is extended, never shortened (as S3 Object Lock in compliance mode).
              const keepOld = sql`call_retention.expires_at is not null and call_retention.expires_at > excluded.expires_at`;
              return {
                expires_at: sql`case when ${keepOld} then call_retention.expires_at else excluded.expires_at end`,
                policy: sql`case when ${keepOld} then call_retention.policy else excluded.policy end`,
                computed_at: sql`excluded.computed_at`,
              };
            })
            .where('call_retention.purged_at', 'is', null),
        )
        .execute();
    }
  }

  async callIdsWithoutExpiry(afterId: string | null, limit: number): Promise<string[]> {
    let q = this.db
      .selectFrom('calls')
      .leftJoin('call_retention', 'call_retention.call_id', 'calls.id')
      .select('calls.id')
      .where('call_retention.expires_at', 'is', null)
      .orderBy('calls.id')
      .limit(limit);
    if (afterId !== null) q = q.where('calls.id', '>', afterId);
    return (await q.execute()).map((r) => r.id);
  }

  async setHold(callIds: readonly string[], hold: LegalHold): Promise<string[]> {
    const out: string[] = [];
    for (const batch of chunks(callIds)) {
      const rows = await this.db
        .insertInto('call_retention')
        .columns(['call_id', 'legal_hold', 'hold_reason', 'hold_by', 'hold_at'])
        .expression((eb) =>
          eb
            .selectFrom('calls')
            .select((s) => ['id', sql.lit(1).as('legal_hold'), s.val(hold.reason).as('hold_reason'), s.val(hold.by).as('hold_by'), s.val(hold.at).as('hold_at')])
            .where('id', 'in', stringList(this.dialect, batch)),
        )
        .onConflict((oc) =>
          oc
            .column('call_id')
            .doUpdateSet({ legal_hold: 1, hold_reason: hold.reason, hold_by: hold.by, hold_at: hold.at })
            .where('call_retention.purged_at', 'is', null),
        )
        .returning('call_id')
        .execute();
      out.push(...rows.map((r) => r.call_id));
    }
    return out;
  }

  async releaseHold(callIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const batch of chunks(callIds)) {
      const rows = await this.db
        .updateTable('call_retention')
        .set({ legal_hold: 0, hold_reason: null, hold_by: null, hold_at: null })
        .where('call_id', 'in', stringList(this.dialect, batch))
        .where('legal_hold', '=', 1)
        .returning('call_id')
        .execute();
      out.push(...rows.map((r) => r.call_id));
    }
    return out;
  }

  async listDue(now: number, after: { expiresAt: number; callId: string } | null, limit: number): Promise<CallRetention[]> {
    let q = this.db
      .selectFrom('call_retention')
      .selectAll()
      .where('legal_hold', '=', 0)
      .where('purged_at', 'is', null)
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .orderBy('call_id')
      .limit(limit);
    if (after) q = q.where((eb) => eb.or([eb('expires_at', '>', after.expiresAt), eb.and([eb('expires_at', '=', after.expiresAt), eb('call_id', '>', after.callId)])]));
    return (await q.execute()).map(toRetention);
  }

  async countDue(now: number): Promise<{ due: number; heldExpired: number }> {
    const rows = await this.db
      .selectFrom('call_retention')
      .select(['legal_hold', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('purged_at', 'is', null)
      .where('expires_at', '<=', now)
      .groupBy('legal_hold')
      .execute();
    const n = (hold: number) => Number(rows.find((r) => Number(r.legal_hold) === hold)?.n ?? 0);
    return { due: n(0), heldExpired: n(1) };
  }

  async callIdsOf(filter: { customerPhone?: string; externalIds?: readonly string[] }): Promise<string[]> {
    const ids = new Set<string>();
    if (filter.customerPhone) {
      const rows = await this.db.selectFrom('calls').select('id').where('customer_phone', '=', filter.customerPhone).execute();
      for (const r of rows) ids.add(r.id);
    }
    for (const batch of chunks(filter.externalIds ?? [])) {
      const rows = await this.db.selectFrom('calls').select('id').where('external_id', 'in', stringList(this.dialect, batch)).execute();
      for (const r of rows) ids.add(r.id);
    }
    return [...ids].sort();
  }

  async lockForDeletion(callId: string): Promise<CallRetention | null> {
    if (this.dialect === 'postgres') {
      // The locks the deletion's cascade needs, taken up front in the order the other writers
      // take them, so it waits for them instead of deadlocking: the index stage locks search_docs,
      // then (its foreign key) the call; pipeline workers lock the job, then the call.
      await sql`lock table search_docs in share row exclusive mode`.execute(this.db);
      await this.db.selectFrom('jobs').select('id').where('call_id', '=', callId).orderBy('id').forUpdate().execute();
      if (!(await this.db.selectFrom('calls').select('id').where('id', '=', callId).forUpdate().executeTakeFirst())) return null;
    } else if (!(await this.db.selectFrom('calls').select('id').where('id', '=', callId).executeTakeFirst())) return null;
    // A row to lock: a concurrent setHold's upsert then waits on it instead of inserting beside us.
    await this.db.insertInto('call_retention').values({ call_id: callId }).onConflict((oc) => oc.column('call_id').doNothing()).execute();
    let q = this.db.selectFrom('call_retention').selectAll().where('call_id', '=', callId);
    if (this.dialect === 'postgres') q = q.forUpdate();
    const r = await q.executeTakeFirstOrThrow();
    return toRetention(r);
  }

  async deleteCall(t: PurgeTombstone): Promise<void> {
    // Every table holding a call's data references calls with ON DELETE CASCADE (recordings,
    // transcripts, segments, artifacts, jobs, inspections → inspection_hits, search_docs → rule
    // and topic rows, and on SQLite the FTS5 row through its trigger): one statement removes them.
    await this.db.deleteFrom('calls').where('id', '=', t.callId).execute();
    await this.db
      .updateTable('call_retention')
      .set({
        purged_at: t.purgedAt,
        blob_key: t.blobKey,
        external_id: t.externalId,
        purge_audit: t.audit ? JSON.stringify(t.audit) : null,
        policy: t.policy,
        expires_at: t.expiresAt,
      })
      .where('call_id', '=', t.callId)
      .execute();
  }

  async tombstones(limit: number): Promise<PurgeTombstone[]> {
    const rows = await this.db.selectFrom('call_retention').selectAll().where('purged_at', 'is not', null).orderBy('purged_at').orderBy('call_id').limit(limit).execute();
    return rows.map(toTombstone);
  }

  async blobReferenced(blobKey: string): Promise<boolean> {
    return (await this.db.selectFrom('recordings').select('call_id').where('blob_key', '=', blobKey).limit(1).executeTakeFirst()) !== undefined;
  }

  async deletionOfBlob(blobKey: string): Promise<string | null> {
    const r = await this.db.selectFrom('call_retention').select('call_id').where('blob_key', '=', blobKey).where('purged_at', 'is not', null).limit(1).executeTakeFirst();
    return r?.call_id ?? null;
  }

  async recordingLengths(callIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const batch of chunks(callIds)) {
      const rows = await this.db.selectFrom('recordings').select(['call_id', 'duration_ms']).where('call_id', 'in', stringList(this.dialect, batch)).execute();
      for (const r of rows) out.set(r.call_id, Number(r.duration_ms));
    }
    return out;
  }

  async forget(callId: string): Promise<void> {
    await this.db.deleteFrom('call_retention').where('call_id', '=', callId).where('purged_at', 'is not', null).execute();
  }
}
