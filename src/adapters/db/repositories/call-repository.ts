import { sql, type Kysely, type Selectable } from 'kysely';
import type { Call, CallStatus } from '../../../domain/call.js';
import { TingjianError } from '../../../domain/errors.js';
import type { StageStates } from '../../../pipeline/stages.js';
import type { SentimentLabel } from '../../../domain/text-analysis.js';
import type { CallFacetFilter, CallFacets, CallFilter, CallListFilter, CallListOptions, CallListPage, CallRepository, Page, ReinspectionFilter } from '../../../ports/repositories.js';
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

  /** The calls list's filter and a re-inspection's: the fields they share mean the same. Columns are qualified: browse() joins tables that share names. */
  private filtered(f: CallFilter & ReinspectionFilter) {
    let q = this.db.selectFrom('calls');
    if (f.from !== undefined) q = q.where('calls.occurred_at', '>=', f.from);
    if (f.to !== undefined) q = q.where('calls.occurred_at', '<', f.to);
    if (f.agentId !== undefined) q = q.where('calls.agent_id', '=', f.agentId);
    if (f.teamId !== undefined) q = q.where('calls.team_id', '=', f.teamId);
    if (f.businessLine !== undefined) q = q.where('calls.business_line', '=', f.businessLine);
    if (f.status !== undefined) q = q.where('calls.status', '=', f.status);
    if (f.channel !== undefined) q = q.where('calls.channel', '=', f.channel);
    if (f.callIds !== undefined) q = q.where('calls.id', 'in', stringList(this.dialect, f.callIds));
    const scope = f.scope;
    if (scope?.agentIds !== undefined) q = q.where('calls.agent_id', 'in', stringList(this.dialect, scope.agentIds));
    if (scope?.teamIds !== undefined) q = q.where('calls.team_id', 'in', stringList(this.dialect, scope.teamIds));
    if (scope?.inspector !== undefined) {
      const { userId, businessLines } = scope.inspector;
      q = q.where((eb) =>
        eb.or([
          eb('calls.business_line', 'in', stringList(this.dialect, businessLines)),
          eb('calls.id', 'in', eb.selectFrom('call_assignments').select('call_assignments.call_id').where('call_assignments.user_id', '=', userId)),
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

  /**
   * The call joined with its latest inspection (the row of the highest rule set version, found
   * through the (call_id, rule_set_version) key) and its search document (unique call_id): at most
   * one row of each, so the joins never repeat a call and the total counts calls.
   */
  private browsed(f: CallListFilter) {
    let q = this.withDuration(f)
      .leftJoin('inspections', (j) =>
        j
          .onRef('inspections.call_id', '=', 'calls.id')
          .on((eb) =>
            eb(
              // SQLite without statistics would look the row up by the primary key, whose rows hold the
              // ~5 KB body; "+ 0" leaves it only call_id to match, and then it takes the covering
              // index inspections_latest (0010-inspection-facts.ts). PostgreSQL plans it alike either way.
              this.dialect === 'sqlite' ? sql<number>`${sql.ref('inspections.rule_set_version')} + 0` : eb.ref('inspections.rule_set_version'),
              '=',
              eb.selectFrom('inspections as latest').select((e) => e.fn.max('latest.rule_set_version').as('v')).whereRef('latest.call_id', '=', 'calls.id'),
            ),
          ),
      )
      .leftJoin('search_docs', 'search_docs.call_id', 'calls.id');
    if (f.minScore !== undefined) q = q.where('inspections.score_percent', '>=', f.minScore);
    if (f.maxScore !== undefined) q = q.where('inspections.score_percent', '<=', f.maxScore);
    if (f.band !== undefined) q = q.where('inspections.band', '=', f.band);
    if (f.fatal !== undefined) q = q.where('inspections.fatal', '=', f.fatal ? 1 : 0);
    const { ruleId, topicId } = f;
    if (ruleId !== undefined) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('inspection_hits')
            .select('inspection_hits.rule_id')
            .whereRef('inspection_hits.call_id', '=', 'calls.id')
            .whereRef('inspection_hits.rule_set_version', '=', 'inspections.rule_set_version')
            .where('inspection_hits.rule_id', '=', ruleId),
        ),
      );
    }
    if (f.sentiment !== undefined) q = q.where('search_docs.sentiment_label', '=', f.sentiment);
    if (topicId !== undefined) {
      q = q.where((eb) =>
        eb.exists(eb.selectFrom('search_doc_topics').select('search_doc_topics.topic_id').whereRef('search_doc_topics.doc_id', '=', 'search_docs.doc_id').where('search_doc_topics.topic_id', '=', topicId)),
      );
    }
    return q;
  }

  /** The list filters on the calls table alone. */
  private withDuration(f: CallListFilter) {
    let q = this.filtered(f);
    if (f.minDurationMs !== undefined) q = q.where('calls.duration_ms', '>=', f.minDurationMs);
    if (f.maxDurationMs !== undefined) q = q.where('calls.duration_ms', '<=', f.maxDurationMs);
    return q;
  }

  /** The total: the joins only when a filter reads them (they never change the number of calls). */
  private async browseTotal(f: CallListFilter): Promise<number> {
    const joined = [f.minScore, f.maxScore, f.band, f.fatal, f.ruleId, f.sentiment, f.topicId].some((v) => v !== undefined);
    const q = joined ? this.browsed(f) : this.withDuration(f);
    const r = await q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async browse(f: CallListFilter, o: CallListOptions): Promise<CallListPage> {
    const byTime = o.sort === 'startedAt' && o.order === 'desc';
    if (o.cursor !== undefined && !byTime) {
      throw new TingjianError('INVALID_REQUEST', 'cursor: a cursor pages only the default order (sort=startedAt, order=desc); with another sort or order page with offset', { problems: ['cursor'] });
    }
    let q = this.browsed(f).selectAll('calls').select([
      'inspections.rule_set_version as i_version',
      'inspections.score_percent as i_score',
      'inspections.band as i_band',
      'inspections.hits as i_hits',
      'inspections.fatal as i_fatal',
      'search_docs.doc_id as d_doc',
      'search_docs.customer_sentiment as d_sentiment',
      'search_docs.sentiment_label as d_label',
      'search_docs.topics as d_topics',
    ]);
    if (o.cursor !== undefined) {
      const [at, id] = decodeCursor(o.cursor);
      q = q.where((eb) => eb.or([eb('calls.occurred_at', '<', at), eb.and([eb('calls.occurred_at', '=', at), eb('calls.id', '<', id)])]));
    }
    const dir = o.order;
    // Calls without a score (or a duration) last in both orders; NULLS LAST reads the same on both databases.
    if (o.sort === 'score') q = q.orderBy('inspections.score_percent', (ob) => (dir === 'desc' ? ob.desc() : ob.asc()).nullsLast());
    if (o.sort === 'duration') q = q.orderBy('calls.duration_ms', (ob) => (dir === 'desc' ? ob.desc() : ob.asc()).nullsLast());
    q = q.orderBy('calls.occurred_at', dir).orderBy('calls.id', dir);
    const [rows, total] = await Promise.all([
      q
        .limit(o.limit + 1)
        .offset(o.offset ?? 0)
        .execute(),
      this.browseTotal(f),
    ]);
    const more = rows.length > o.limit;
    const page = more ? rows.slice(0, o.limit) : rows;
    return {
      items: page.map((r) => ({
        call: toCall(r),
        inspection:
          r.i_version === null
            ? null
            : { ruleSetVersion: Number(r.i_version), scorePercent: r.i_score === null ? null : Number(r.i_score), band: r.i_band, hits: Number(r.i_hits), fatal: Number(r.i_fatal) === 1 },
        analysis:
          r.d_doc === null
            ? null
            : { customerSentiment: r.d_sentiment === null ? null : Number(r.d_sentiment), sentimentLabel: r.d_label as SentimentLabel | null, topics: (r.d_topics ?? '').split('|').filter(Boolean) },
      })),
      nextCursor: more && byTime ? encodeCursor(page[page.length - 1]!) : null,
      total,
    };
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

  async facets(f: CallFacetFilter, limit: number): Promise<CallFacets> {
    const base = { ...f, agentId: undefined, teamId: undefined, businessLine: undefined };
    const n = sql<number | string>`count(*)`;
    // One value list: the column's values among the matching calls, most calls first.
    const countBy = (column: 'calls.agent_id' | 'calls.team_id' | 'calls.business_line') =>
      this.filtered(base).where(column, 'is not', null).select([sql.ref<string | null>(column).as('value'), n.as('calls')]).groupBy(column).orderBy(n, 'desc').orderBy(column).limit(limit + 1).execute();
    const [agents, teams, lines] = await Promise.all([countBy('calls.agent_id'), countBy('calls.team_id'), countBy('calls.business_line')]);
    const facet = (r: { value: string | null; calls: number | string }) => ({ value: r.value!, calls: Number(r.calls) });
    return {
      agents: agents.slice(0, limit).map(facet),
      teams: teams.slice(0, limit).map(facet),
      businessLines: lines.slice(0, limit).map(facet),
      truncated: { agents: agents.length > limit, teams: teams.length > limit, businessLines: lines.length > limit },
    };
  }
}
