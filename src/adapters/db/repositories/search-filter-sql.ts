import { sql, type RawBuilder } from 'kysely';
import type { CallScopeFilter } from '../../../access/call-scope.js';
import type { SearchFilters } from '../../../ports/repositories.js';
import { keyRange } from './search-doc-id.js';

/**
 * A search's filters as SQL conditions on search_docs d, shared by both databases' plans (and by
 * the reports, which aggregate over the same rows).
 */

/** The conditions ANDed as a WHERE clause (none: no clause). */
export const where = (conds: RawBuilder<unknown>[]) => (conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``);

/**
 * The filters as conditions on search_docs d: `range` the key range of the time filter, `rest`
 * everything else (exact times, values, rule and topic rows), `all` both; `indexed` the part of
 * `rest` that indexes answer (agent, team, business line, rule and topic rows). Rule and topic rows are
 * matched `in` a subquery (the planner may start from them) or by `exists` per row (a key lookup
 * for each hit of a text walk, never a materialised list of a common topic's calls).
 */
export function facetConditions(f: SearchFilters, rows: 'in' | 'exists', docId: RawBuilder<unknown> = sql`d.doc_id`) {
  const range = keyRange(f);
  const child = (table: 'search_doc_rules' | 'search_doc_topics', column: 'rule_id' | 'topic_id', value: string) =>
    rows === 'exists'
      ? sql`exists (select 1 from ${sql.table(table)} x where x.doc_id = ${docId} and ${sql.ref(`x.${column}`)} = ${value})`
      : sql`d.doc_id in (select x.doc_id from ${sql.table(table)} x where ${sql.join([sql`${sql.ref(`x.${column}`)} = ${value}`, ...range.map((c) => sql`x.doc_id ${c.op} ${c.value}`)], sql` and `)})`;
  // The filters a (filter, doc_id) index or a rule/topic row index answers.
  const indexed: RawBuilder<unknown>[] = [];
  if (f.agentId !== undefined) indexed.push(sql`d.agent_id = ${f.agentId}`);
  if (f.teamId !== undefined) indexed.push(sql`d.team_id = ${f.teamId}`);
  if (f.businessLine !== undefined) indexed.push(sql`d.business_line = ${f.businessLine}`);
  if (f.ruleId !== undefined) indexed.push(child('search_doc_rules', 'rule_id', f.ruleId));
  if (f.topic !== undefined) indexed.push(child('search_doc_topics', 'topic_id', f.topic));
  const rest = [...indexed];
  // The key range holds whole seconds; the exact bounds are on `at`.
  if (f.from !== undefined) rest.push(sql`d.at >= ${f.from}`);
  if (f.to !== undefined) rest.push(sql`d.at < ${f.to}`);
  if (f.channel !== undefined) rest.push(sql`d.channel = ${f.channel}`);
  if (f.minScore !== undefined) rest.push(sql`d.score_percent >= ${f.minScore}`);
  if (f.maxScore !== undefined) rest.push(sql`d.score_percent <= ${f.maxScore}`);
  if (f.sentiment !== undefined) rest.push(sql`d.sentiment_label = ${f.sentiment}`);
  if (f.maxSentiment !== undefined) rest.push(sql`d.customer_sentiment <= ${f.maxSentiment}`);
  rest.push(...inspectionConditions(f), ...callConditions(f));
  rest.push(...scopeConditions(f.scope));
  return { range, indexed, rest, all: [...range.map((c) => sql`d.doc_id ${c.op} ${c.value}`), ...rest] };
}

/**
 * Band and fatal of the latest inspection: its row is the one of the document's rule set version
 * (the index keeps that version current), found by the inspections' primary key.
 */
function inspectionConditions(f: SearchFilters): RawBuilder<unknown>[] {
  const on: RawBuilder<unknown>[] = [];
  if (f.band !== undefined) on.push(sql`i.band = ${f.band}`);
  if (f.fatal !== undefined) on.push(sql`i.fatal = ${f.fatal ? 1 : 0}`);
  if (!on.length) return [];
  return [sql`exists (select 1 from inspections i where i.call_id = d.call_id and i.rule_set_version = d.rule_set_version and ${sql.join(on, sql` and `)})`];
}

/** Status and length live on the call, not in the index: one lookup by the calls' primary key. */
function callConditions(f: SearchFilters): RawBuilder<unknown>[] {
  const on: RawBuilder<unknown>[] = [];
  if (f.status !== undefined) on.push(sql`c.status = ${f.status}`);
  if (f.minDurationMs !== undefined) on.push(sql`c.duration_ms >= ${f.minDurationMs}`);
  if (f.maxDurationMs !== undefined) on.push(sql`c.duration_ms <= ${f.maxDurationMs}`);
  if (!on.length) return [];
  return [sql`exists (select 1 from calls c where c.id = d.call_id and ${sql.join(on, sql` and `)})`];
}

/**
 * The principal's data scope on search_docs d. The lists are a user's teams or business lines (a
 * handful), so plain bound parameters serve both dialects; an empty list matches nothing.
 */
function scopeConditions(scope: CallScopeFilter | undefined): RawBuilder<unknown>[] {
  if (!scope) return [];
  const inList = (column: string, values: readonly string[]) =>
    values.length === 0 ? sql`1 = 0` : sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql`${v}`))})`;
  const out: RawBuilder<unknown>[] = [];
  if (scope.agentIds !== undefined) out.push(inList('d.agent_id', scope.agentIds));
  if (scope.teamIds !== undefined) out.push(inList('d.team_id', scope.teamIds));
  if (scope.inspector !== undefined) {
    const { userId, businessLines } = scope.inspector;
    out.push(sql`(${inList('d.business_line', businessLines)} or d.call_id in (select a.call_id from call_assignments a where a.user_id = ${userId}))`);
  }
  return out;
}
