import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { CallAggregate, DayKey, ReportFilters, ReportRepository, RuleCount, RuleHitCall } from '../../../ports/report-repository.js';
import type { DatabaseSchema } from '../schema.js';
import { facetConditions, where } from './search-filter-sql.js';
import type { Dialect } from './sql-helpers.js';

const DAY_MS = 86_400_000;

/** Drivers answer counts and sums as numbers (SQLite) or strings (PostgreSQL bigint / numeric). */
type Num = number | string | null;
const num = (v: Num): number => (v === null ? 0 : Number(v));

/** The call's day number in the given UTC offset (integer division: call times are after 1970). */
const dayOf = (offsetMs: number) => sql`(d.at + ${sql.lit(Math.trunc(offsetMs))}) / ${sql.lit(DAY_MS)}`;

/** A list of values as bound parameters (rule ids, topics: at most a report's limit). */
const inList = (values: readonly string[]) => (values.length ? sql`(${sql.join(values.map((v) => sql`${v}`))})` : sql`(null)`);

/**
 * The counts every group reports, over search_docs d left-joined to each call's latest
 * inspection i (the version the search document holds: the highest one stored for the call).
 */
const AGGREGATE = sql`count(*) as calls, count(d.score_percent) as scored, sum(d.score_percent) as score_sum,
  count(d.rule_set_version) as inspected, sum(case when i.hits > 0 then 1 else 0 end) as hit_calls, sum(i.fatal) as fatal_calls`;

interface AggregateRow {
  calls: Num;
  scored: Num;
  score_sum: Num;
  inspected: Num;
  hit_calls: Num;
  fatal_calls: Num;
}

const aggregateOf = (r: AggregateRow): CallAggregate => ({
  calls: num(r.calls),
  scoredCalls: num(r.scored),
  scoreSum: num(r.score_sum),
  inspectedCalls: num(r.inspected),
  hitCalls: num(r.hit_calls),
  fatalCalls: num(r.fatal_calls),
});

/**
 * Reports as SQL aggregates over the search index's documents (one per call, with the latest
 * inspection's version and score, the customer's sentiment, rule and topic rows), joined to the
 * latest inspection for band and fatal and to its hit rows for hit counts. The filters and the
 * data scope are the search's own conditions (facetConditions), so a report's count and the
 * calls a drill-down lists are the same calls. Both dialects run the same statements.
 */
export class KyselyReportRepository implements ReportRepository {
  /** search_docs d joined to the latest inspection's facts i (left: calls not inspected yet count too). */
  private readonly withInspection: (join: 'left join' | 'join') => RawBuilder<unknown>;

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    dialect: Dialect,
  ) {
    // SQLite without statistics takes the primary key, whose rows hold the body (see 0010-inspection-facts.ts).
    const index = dialect === 'sqlite' ? sql` indexed by inspections_latest` : sql``;
    this.withInspection = (join) => sql`search_docs d ${sql.raw(join)} inspections i${index} on i.call_id = d.call_id and i.rule_set_version = d.rule_set_version`;
  }

  private async rows<T>(query: RawBuilder<unknown>): Promise<T[]> {
    return (await (query as RawBuilder<T>).execute(this.db)).rows;
  }

  private conds(f: ReportFilters, ...extra: RawBuilder<unknown>[]) {
    return where([...facetConditions(f, 'in').all, ...extra]);
  }

  async byDay(f: ReportFilters, offsetMs: number): Promise<Array<DayKey & CallAggregate>> {
    const rows = await this.rows<AggregateRow & { day: Num }>(sql`select ${dayOf(offsetMs)} as day, ${AGGREGATE} from ${this.withInspection('left join')} ${this.conds(f)} group by 1 order by 1`);
    return rows.map((r) => ({ day: num(r.day), ...aggregateOf(r) }));
  }

  async byAgent(f: ReportFilters): Promise<Array<CallAggregate & { agentId: string; teamId: string | null }>> {
    const rows = await this.rows<AggregateRow & { agent_id: string; team_id: string | null }>(
      sql`select d.agent_id, max(d.team_id) as team_id, ${AGGREGATE} from ${this.withInspection('left join')} ${this.conds(f, sql`d.agent_id is not null`)} group by d.agent_id`,
    );
    return rows.map((r) => ({ agentId: r.agent_id, teamId: r.team_id, ...aggregateOf(r) }));
  }

  async byBusinessLine(f: ReportFilters): Promise<Array<CallAggregate & { businessLine: string }>> {
    const rows = await this.rows<AggregateRow & { business_line: string }>(
      sql`select d.business_line, ${AGGREGATE} from ${this.withInspection('left join')} ${this.conds(f, sql`d.business_line is not null`)} group by d.business_line`,
    );
    return rows.map((r) => ({ businessLine: r.business_line, ...aggregateOf(r) }));
  }

  async scores(f: ReportFilters): Promise<Array<{ scorePercent: number; calls: number }>> {
    const rows = await this.rows<{ score: Num; calls: Num }>(
      sql`select d.score_percent as score, count(*) as calls from search_docs d ${this.conds(f, sql`d.score_percent is not null`)} group by d.score_percent`,
    );
    return rows.map((r) => ({ scorePercent: num(r.score), calls: num(r.calls) }));
  }

  async bands(f: ReportFilters): Promise<Array<{ band: string; calls: number }>> {
    const rows = await this.rows<{ band: string; calls: Num }>(
      sql`select i.band, count(*) as calls from ${this.withInspection('join')} ${this.conds(f, sql`i.band is not null`)} group by i.band`,
    );
    return rows.map((r) => ({ band: r.band, calls: num(r.calls) }));
  }

  async rules(f: ReportFilters): Promise<RuleCount[]> {
    const rows = await this.rows<{ rule_id: string; calls: Num; hits: Num; version: Num }>(
      sql`select h.rule_id, count(*) as calls, sum(h.hits) as hits, max(h.rule_set_version) as version
          from search_docs d join inspection_hits h on h.call_id = d.call_id and h.rule_set_version = d.rule_set_version
          ${this.conds(f)} group by h.rule_id order by 2 desc, 1`,
    );
    return rows.map((r) => ({ ruleId: r.rule_id, calls: num(r.calls), hits: num(r.hits), ruleSetVersion: num(r.version) }));
  }

  async ruleDays(f: ReportFilters, offsetMs: number, ruleIds: readonly string[]): Promise<Array<DayKey & { ruleId: string; calls: number }>> {
    return (await this.childDays(f, offsetMs, 'search_doc_rules', 'rule_id', ruleIds)).map(({ day, key, calls }) => ({ day, ruleId: key, calls }));
  }

  /** Calls per day and value of a rule or topic row of the documents, for these values. */
  private async childDays(f: ReportFilters, offsetMs: number, table: 'search_doc_rules' | 'search_doc_topics', column: 'rule_id' | 'topic_id', values: readonly string[]) {
    if (values.length === 0) return [];
    const key = sql.ref(`x.${column}`);
    const rows = await this.rows<{ day: Num; key: string; calls: Num }>(
      sql`select ${dayOf(offsetMs)} as day, ${key} as key, count(*) as calls from search_docs d join ${sql.table(table)} x on x.doc_id = d.doc_id
          ${this.conds(f, sql`${key} in ${inList(values)}`)} group by 1, 2`,
    );
    return rows.map((r) => ({ day: num(r.day), key: r.key, calls: num(r.calls) }));
  }

  async recentRuleHits(f: ReportFilters, ruleIds: readonly string[], perRule: number): Promise<RuleHitCall[]> {
    if (ruleIds.length === 0 || perRule <= 0) return [];
    const rows = await this.rows<{ rule_id: string; call_id: string; version: Num; at: Num }>(
      sql`select rule_id, call_id, version, at from (
            select r.rule_id, d.call_id, d.rule_set_version as version, d.at, row_number() over (partition by r.rule_id order by d.doc_id desc) as n
            from search_docs d join search_doc_rules r on r.doc_id = d.doc_id
            ${this.conds(f, sql`r.rule_id in ${inList(ruleIds)}`, sql`d.rule_set_version is not null`)}
          ) x where n <= ${sql.lit(Math.trunc(perRule))} order by rule_id, n`,
    );
    return rows.map((r) => ({ ruleId: r.rule_id, callId: r.call_id, ruleSetVersion: num(r.version), at: num(r.at) }));
  }

  async sentimentDays(f: ReportFilters, offsetMs: number) {
    const label = (l: string) => sql`sum(case when d.sentiment_label = ${sql.lit(l)} then 1 else 0 end)`;
    const rows = await this.rows<{ day: Num; positive: Num; neutral: Num; negative: Num; s_sum: Num; s_calls: Num }>(
      sql`select ${dayOf(offsetMs)} as day, ${label('positive')} as positive, ${label('neutral')} as neutral, ${label('negative')} as negative,
            sum(d.customer_sentiment) as s_sum, count(d.customer_sentiment) as s_calls
          from search_docs d ${this.conds(f)} group by 1 order by 1`,
    );
    return rows.map((r) => ({ day: num(r.day), positive: num(r.positive), neutral: num(r.neutral), negative: num(r.negative), sentimentSum: num(r.s_sum), sentimentCalls: num(r.s_calls) }));
  }

  async topics(f: ReportFilters): Promise<Array<{ topic: string; calls: number }>> {
    const rows = await this.rows<{ topic_id: string; calls: Num }>(
      sql`select t.topic_id, count(*) as calls from search_docs d join search_doc_topics t on t.doc_id = d.doc_id ${this.conds(f)} group by t.topic_id order by 2 desc, 1`,
    );
    return rows.map((r) => ({ topic: r.topic_id, calls: num(r.calls) }));
  }

  async topicDays(f: ReportFilters, offsetMs: number, topics: readonly string[]): Promise<Array<DayKey & { topic: string; calls: number }>> {
    return (await this.childDays(f, offsetMs, 'search_doc_topics', 'topic_id', topics)).map(({ day, key, calls }) => ({ day, topic: key, calls }));
  }

  async agentHasCalls(f: ReportFilters, agentId: string): Promise<boolean> {
    const rows = await this.rows<{ one: Num }>(sql`select 1 as one from search_docs d ${this.conds({ ...f, agentId })} limit 1`);
    return rows.length > 0;
  }
}
