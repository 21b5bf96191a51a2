import type { Kysely, Selectable, Updateable } from 'kysely';
import type { ExportFormat, ExportKind, ExportRequest, ExportStatus, ExportTransition } from '../../../exports/export-request.js';
import type { ExportListFilter, ExportRepository, ReinspectionFilter } from '../../../ports/repositories.js';
import type { DatabaseSchema, ExportRequestsTable } from '../schema.js';

const num = (v: number | null): number | null => (v === null ? null : Number(v));

const toExport = (r: Selectable<ExportRequestsTable>): ExportRequest => ({
  id: r.id,
  kind: r.kind as ExportKind,
  format: r.format as ExportFormat,
  callIds: JSON.parse(r.call_ids) as string[],
  filter: r.call_filter === null ? null : (JSON.parse(r.call_filter) as ReinspectionFilter),
  reason: r.reason,
  requestedBy: { userId: r.requested_by, username: r.requested_by_name },
  requestedAt: Number(r.requested_at),
  status: r.status as ExportStatus,
  decidedBy: r.decided_by === null ? null : { userId: r.decided_by, username: r.decided_by_name ?? r.decided_by },
  decidedAt: num(r.decided_at),
  decisionNote: r.decision_note,
  linkTokenHash: r.link_token_hash,
  linkExpiresAt: num(r.link_expires_at),
  downloads: Number(r.downloads),
  lastDownloadedAt: num(r.last_downloaded_at),
});

export class KyselyExportRepository implements ExportRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async insert(e: ExportRequest): Promise<void> {
    await this.db
      .insertInto('export_requests')
      .values({
        id: e.id,
        kind: e.kind,
        format: e.format,
        call_ids: JSON.stringify(e.callIds),
        call_count: e.callIds.length,
        call_filter: e.filter === null ? null : JSON.stringify(e.filter),
        reason: e.reason,
        requested_by: e.requestedBy.userId,
        requested_by_name: e.requestedBy.username,
        requested_at: e.requestedAt,
        status: e.status,
        decided_by: e.decidedBy?.userId ?? null,
        decided_by_name: e.decidedBy?.username ?? null,
        decided_at: e.decidedAt,
        decision_note: e.decisionNote,
        link_token_hash: e.linkTokenHash,
        link_expires_at: e.linkExpiresAt,
        downloads: e.downloads,
        last_downloaded_at: e.lastDownloadedAt,
      })
      .execute();
  }

  async get(id: string): Promise<ExportRequest | null> {
    const r = await this.db.selectFrom('export_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toExport(r) : null;
  }

  async list(f: ExportListFilter, limit: number): Promise<ExportRequest[]> {
    let q = this.db.selectFrom('export_requests').selectAll();
    const any = f.anyOf;
    if (any) {
      q = q.where((eb) =>
        eb.or([
          ...(any.requestedBy !== undefined ? [eb('requested_by', '=', any.requestedBy)] : []),
          ...(any.decidedBy !== undefined ? [eb('decided_by', '=', any.decidedBy)] : []),
          ...(any.status !== undefined ? [eb('status', '=', any.status)] : []),
        ]),
      );
    }
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    const rows = await q.orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toExport);
  }

  async transition(id: string, from: readonly ExportStatus[], next: ExportTransition): Promise<boolean> {
    if (from.length === 0) return false;
    const set: Updateable<ExportRequestsTable> = { status: next.status };
    if (next.decidedBy !== undefined) {
      set.decided_by = next.decidedBy.userId;
      set.decided_by_name = next.decidedBy.username;
    }
    if (next.decidedAt !== undefined) set.decided_at = next.decidedAt;
    if (next.decisionNote !== undefined) set.decision_note = next.decisionNote;
    if (next.linkTokenHash !== undefined) set.link_token_hash = next.linkTokenHash;
    if (next.linkExpiresAt !== undefined) set.link_expires_at = next.linkExpiresAt;
    const r = await this.db.updateTable('export_requests').set(set).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async expireLinks(now: number): Promise<number> {
    const r = await this.db.updateTable('export_requests').set({ status: 'expired' }).where('status', '=', 'approved').where('link_expires_at', '<=', now).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async recordDownload(id: string, at: number): Promise<number> {
    const r = await this.db
      .updateTable('export_requests')
      .set((eb) => ({ downloads: eb('downloads', '+', 1), last_downloaded_at: at }))
      .where('id', '=', id)
      .returning('downloads')
      .executeTakeFirst();
    return r ? Number(r.downloads) : 0;
  }
}
