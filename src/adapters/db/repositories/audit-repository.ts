import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditEntry, ChainLink, NewAuditEntry, PurgeFacts } from '../../../audit/audit-chain.js';
import type { AuditFilter, AuditRepository, ChainAppend, Page } from '../../../ports/repositories.js';
import type { AuditLogTable, DatabaseSchema } from '../schema.js';
import { chunks, type Atomic, type Dialect } from './sql-helpers.js';

/**
 * The PostgreSQL advisory lock every audit append and purge takes inside its transaction
 * ('ting', 'audt' as two int4 keys): appenders in every process queue on it, readers never do.
 * SQLite needs none: the transaction is BEGIN IMMEDIATE (kysely-database.ts), the file's write lock.
 */
const PG_AUDIT_LOCK = sql`select pg_advisory_xact_lock(1953066599, 1635083380)`;

const toEntry = (r: Selectable<AuditLogTable>): AuditEntry => ({
  seq: Number(r.seq),
  at: Number(r.at),
  actorUserId: r.actor_user_id,
  actorUsername: r.actor_username,
  actorRole: r.actor_role,
  actorVia: r.actor_via,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  outcome: r.outcome,
  ip: r.ip,
  userAgent: r.user_agent,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const toRow = (e: AuditEntry): AuditLogTable => ({
  seq: e.seq,
  at: e.at,
  actor_user_id: e.actorUserId,
  actor_username: e.actorUsername,
  actor_role: e.actorRole,
  actor_via: e.actorVia,
  action: e.action,
  target_type: e.targetType,
  target_id: e.targetId,
  outcome: e.outcome,
  ip: e.ip,
  user_agent: e.userAgent,
  details: e.details,
  prev_hash: e.prevHash,
  hash: e.hash,
});

/**
 * The first string after every string that starts with `prefix`, bytewise: the prefix with its
 * last character raised by one ('call.' → 'call/'). Both databases compare `action` bytewise
 * (SQLite's BINARY collation; "C" on PostgreSQL), so [prefix, upper) is exactly "starts with".
 */
const prefixUpperBound = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

/** The audit log over Kysely: appends under the append lock, keyset pages by seq. */
export class KyselyAuditRepository implements AuditRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: Dialect,
    private readonly atomic: Atomic,
  ) {}

  async append(entry: NewAuditEntry, chain: ChainAppend): Promise<AuditEntry> {
    const [stored] = await this.appendMany([entry], chain);
    return stored!;
  }

  appendMany(entries: readonly NewAuditEntry[], chain: ChainAppend): Promise<AuditEntry[]> {
    return this.locked(async (trx) => {
      let head = await this.headIn(trx);
      const out: AuditEntry[] = [];
      for (const e of entries) {
        const next = chain(head, e);
        out.push(next);
        head = next;
      }
      for (const part of chunks(out)) await trx.insertInto('audit_log').values(part.map(toRow)).execute();
      return out;
    });
  }

  async page(filter: AuditFilter, page: { limit: number; cursor?: string | undefined; order?: 'newest' | 'oldest' }): Promise<Page<AuditEntry>> {
    const newest = (page.order ?? 'newest') === 'newest';
    let q = this.db.selectFrom('audit_log').selectAll();
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    if (filter.actor !== undefined) q = q.where('actor_username', '=', filter.actor);
    if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId);
    if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome);
    if (filter.action !== undefined) {
      q = filter.action.endsWith('.') ? q.where('action', '>=', filter.action).where('action', '<', prefixUpperBound(filter.action)) : q.where('action', '=', filter.action);
    }
    if (page.cursor !== undefined) q = q.where('seq', newest ? '<' : '>', Number(page.cursor));
    const rows = await q
      .orderBy('seq', newest ? 'desc' : 'asc')
      .limit(page.limit + 1)
      .execute();
    const items = rows.slice(0, page.limit).map(toEntry);
    return { items, nextCursor: rows.length > page.limit ? String(items[items.length - 1]!.seq) : null };
  }

  async *stream(afterSeq: number, batch: number): AsyncIterable<AuditEntry[]> {
    let after = afterSeq;
    for (;;) {
      const rows = await this.db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(batch).execute();
      if (rows.length === 0) return;
      const entries = rows.map(toEntry);
      yield entries;
      if (rows.length < batch) return;
      after = entries[entries.length - 1]!.seq;
    }
  }

  anchor(): Promise<ChainLink> {
    return this.anchorIn(this.db);
  }

  head(): Promise<ChainLink> {
    return this.headIn(this.db);
  }

  purgeBefore(before: number, purgeEntry: (facts: PurgeFacts) => NewAuditEntry, chain: ChainAppend): Promise<{ facts: PurgeFacts; entry: AuditEntry }> {
    return this.locked(async (trx) => {
      let anchor = await this.anchorIn(trx);
      // By seq, not by time: the leading run of entries older than `before`, stopping at the first
      // one that is not. An entry stamped by a clock far behind waits for those before it rather
      // than take younger entries with it.
      const kept = await trx.selectFrom('audit_log').select((eb) => eb.fn.min('seq').as('seq')).where('at', '>=', before).executeTakeFirst();
      let older = trx.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq'));
      if (kept?.seq !== null && kept?.seq !== undefined) older = older.where('seq', '<', kept.seq);
      const last = await older.executeTakeFirst();
      let deleted = 0;
      if (last?.seq !== null && last?.seq !== undefined && Number(last.seq) > anchor.seq) {
        const through = Number(last.seq);
        const row = await trx.selectFrom('audit_log').select(['seq', 'hash']).where('seq', '=', through).executeTakeFirstOrThrow();
        const r = await trx.deleteFrom('audit_log').where('seq', '<=', through).executeTakeFirst();
        deleted = Number(r.numDeletedRows);
        anchor = { seq: through, hash: row.hash };
        await trx.updateTable('audit_anchor').set({ seq: anchor.seq, hash: anchor.hash }).where('id', '=', 1).execute();
      }
      const facts: PurgeFacts = { deleted, throughSeq: anchor.seq, anchorHash: anchor.hash, before };
      const entry = chain(await this.headIn(trx), purgeEntry(facts));
      await trx.insertInto('audit_log').values(toRow(entry)).execute();
      return { facts, entry };
    });
  }

  /** fn in one transaction holding the append lock. */
  private locked<T>(fn: (trx: Kysely<DatabaseSchema>) => Promise<T>): Promise<T> {
    return this.atomic(async (trx) => {
      if (this.dialect === 'postgres') await PG_AUDIT_LOCK.execute(trx);
      return fn(trx);
    });
  }

  private async anchorIn(db: Kysely<DatabaseSchema>): Promise<ChainLink> {
    const a = await db.selectFrom('audit_anchor').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    return { seq: Number(a.seq), hash: a.hash };
  }

  private async headIn(db: Kysely<DatabaseSchema>): Promise<ChainLink> {
    const last = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return last ? { seq: Number(last.seq), hash: last.hash } : this.anchorIn(db);
  }
}
