import type { Kysely, Selectable } from 'kysely';
import type { Call, CallStatus } from '../../../domain/call.js';
import { TingjianError } from '../../../domain/errors.js';
import type { StageStates } from '../../../pipeline/stages.js';
import type { CallFilter, CallRepository, Page, ReinspectionFilter } from '../../../ports/repositories.js';
import type { CallsTable, DatabaseSchema } from '../schema.js';
import { stringList, type Dialect } from './sql-helpers.js';

type Row = Selectable<CallsTable>;

const toCall = (r: Row): Call => ({
  id: r.id,
  externalId: r.external_id,
  channel: r.channel as Call['channel'],
  direction: r.direction as Call['direction'],
  startedAt: r.started_at,
  durationMs: r.duration_ms,
  agentId: r.agent_id,
  teamId: r.team_id,
  businessLine: r.business_line,
  customerPhone: r.customer_phone,
  customerTags: JSON.parse(r.customer_tags) as string[],
  consultType: r.consult_type,
  language: r.language,
  extra: JSON.parse(r.extra) as Record<string, string>,
  status: r.status as CallStatus,
  stages: JSON.parse(r.stages) as StageStates,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Cursor = the (occurred_at, id) of the last row served, so pages stay stable while calls arrive. */
const encodeCursor = (r: Row) => Buffer.from(JSON.stringify([r.occurred_at, r.id])).toString('base64url');
function decodeCursor(cursor: string): [number, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') return [v[0] as number, v[1]];
  } catch {
    /* fall through */
  }
  throw new TingjianError('INVALID_REQUEST', 'cursor is not valid: pass back the nextCursor of the previous page unchanged');
}

export class KyselyCallRepository implements CallRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly dialect: Dialect,
  ) {}

  async insert(c: Call): Promise<void> {
    await this.db
      .insertInto('calls')
      .values({
        id: c.id,
        external_id: c.externalId,
        channel: c.channel,
        direction: c.direction,
        started_at: c.startedAt,
        occurred_at: c.startedAt ?? c.createdAt,
        duration_ms: c.durationMs,
        agent_id: c.agentId,
        team_id: c.teamId,
        business_line: c.businessLine,
        customer_phone: c.customerPhone,
        customer_tags: JSON.stringify(c.customerTags),
        consult_type: c.consultType,
        language: c.language,
        extra: JSON.stringify(c.extra),
        status: c.status,
        stages: JSON.stringify(c.stages),
        created_at: c.createdAt,
        updated_at: c.updatedAt,
      })
      .execute();
  }

  async get(id: string): Promise<Call | null> {
    const r = await this.db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toCall(r) : null;
  }

  async findByExternalId(externalId: string): Promise<Call | null> {
    const r = await this.db.selectFrom('calls').selectAll().where('external_id', '=', externalId).executeTakeFirst();
    return r ? toCall(r) : null;
  }

  async updateProgress(id: string, status: CallStatus, stages: StageStates, updatedAt: number): Promise<void> {
    await this.db
      .updateTable('calls')
      .set({ status, stages: JSON.stringify(stages), updated_at: updatedAt })
      .where('id', '=', id)
      .execute();
  }

  /** The calls list's filter and a re-inspection's: the fields they share mean the same. */
  private filtered(f: CallFilter & ReinspectionFilter) {
    let q = this.db.selectFrom('calls');
    if (f.from !== undefined) q = q.where('occurred_at', '>=', f.from);
    if (f.to !== undefined) q = q.where('occurred_at', '<', f.to);
    if (f.agentId !== undefined) q = q.where('agent_id', '=', f.agentId);
    if (f.teamId !== undefined) q = q.where('team_id', '=', f.teamId);
    if (f.businessLine !== undefined) q = q.where('business_line', '=', f.businessLine);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    if (f.channel !== undefined) q = q.where('channel', '=', f.channel);
    if (f.callIds !== undefined) q = q.where('id', 'in', stringList(this.dialect, f.callIds));
    const scope = f.scope;
    if (scope?.agentIds !== undefined) q = q.where('agent_id', 'in', stringList(this.dialect, scope.agentIds));
    if (scope?.teamIds !== undefined) q = q.where('team_id', 'in', stringList(this.dialect, scope.teamIds));
    if (scope?.inspector !== undefined) {
      const { userId, businessLines } = scope.inspector;
      q = q.where((eb) =>
        eb.or([
          eb('business_line', 'in', stringList(this.dialect, businessLines)),
          eb('id', 'in', eb.selectFrom('call_assignments').select('call_id').where('user_id', '=', userId)),
        ]),
      );
    }
    return q;
  }

  async list(f: CallFilter, page: { limit: number; cursor?: string | undefined }): Promise<Page<Call>> {
    let q = this.filtered(f).selectAll();
    if (page.cursor) {
      const [at, id] = decodeCursor(page.cursor);
      q = q.where((eb) => eb.or([eb('occurred_at', '<', at), eb.and([eb('occurred_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
    const more = rows.length > page.limit;
    const items = more ? rows.slice(0, page.limit) : rows;
    return { items: items.map(toCall), nextCursor: more ? encodeCursor(items[items.length - 1]!) : null };
  }

  count(f: CallFilter): Promise<number> {
    return this.countMatching(f);
  }

  private async countMatching(f: CallFilter & ReinspectionFilter): Promise<number> {
    const r = await this.filtered(f).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async listForReinspection(f: ReinspectionFilter, afterId: string | null, limit: number): Promise<Call[]> {
    let q = this.filtered(f).selectAll();
    if (afterId !== null) q = q.where('id', '>', afterId);
    const rows = await q.orderBy('id').limit(limit).execute();
    return rows.map(toCall);
  }

  countForReinspection(f: ReinspectionFilter): Promise<number> {
    return this.countMatching(f);
  }
}
