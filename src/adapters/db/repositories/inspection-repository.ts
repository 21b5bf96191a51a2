import type { Insertable, Kysely } from 'kysely';
import type { Inspection } from '../../../domain/inspection.js';
import type { InspectionRepository, StoredInspection } from '../../../ports/repositories.js';
import type { DatabaseSchema, InspectionHitsTable, InspectionsTable } from '../schema.js';
import { BATCH, chunks, type Atomic } from './sql-helpers.js';

/** The rules that hit, one row each (a rule id listed twice adds up, rather than breaking the key). */
function hitRows(callId: string, i: StoredInspection): Array<Insertable<InspectionHitsTable>> {
  const byRule = new Map<string, number>();
  for (const r of i.results) if (r.outcome === 'hit') byRule.set(r.ruleId, (byRule.get(r.ruleId) ?? 0) + r.hits);
  return [...byRule].map(([ruleId, hits]) => ({ call_id: callId, rule_set_version: i.ruleSetVersion, rule_id: ruleId, hits }));
}

function inspectionRow(callId: string, i: StoredInspection, hitRules: number, at: number): Insertable<InspectionsTable> {
  const fatalRule = i.results.some((r) => r.outcome === 'hit' && r.severity === 'fatal');
  return {
    call_id: callId,
    rule_set_version: i.ruleSetVersion,
    body: JSON.stringify(i),
    score_percent: i.score?.percent ?? null,
    band: i.score?.band ?? null,
    fatal: i.score?.fatal || fatalRule ? 1 : 0,
    hits: hitRules,
    created_at: at,
  };
}

/**
 * Inspections as JSON with the columns reports filter on, and a row per rule that hit. A save
 * replaces the (call, version) row and its hit rows in one transaction; saveMany writes 500
 * inspections per statement.
 */
export class KyselyInspectionRepository implements InspectionRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly atomic: Atomic,
  ) {}

  save(callId: string, inspection: StoredInspection, at: number): Promise<void> {
    return this.saveMany([{ callId, inspection }], at);
  }

  async saveMany(rows: Array<{ callId: string; inspection: StoredInspection }>, at: number): Promise<void> {
    // One statement cannot upsert the same key twice (PostgreSQL refuses): the last one wins, as one by one.
    const latest = new Map(rows.map((r) => [`${r.inspection.ruleSetVersion}\u0000${r.callId}`, r]));
    if (latest.size === 0) return;
    await this.atomic(async (db) => {
      for (const batch of chunks([...latest.values()])) {
        const hits = batch.map((r) => hitRows(r.callId, r.inspection));
        await db
          .insertInto('inspections')
          .values(batch.map((r, n) => inspectionRow(r.callId, r.inspection, hits[n]!.length, at)))
          .onConflict((oc) =>
            oc.columns(['call_id', 'rule_set_version']).doUpdateSet((eb) => ({
              body: eb.ref('excluded.body'),
              score_percent: eb.ref('excluded.score_percent'),
              band: eb.ref('excluded.band'),
              fatal: eb.ref('excluded.fatal'),
              hits: eb.ref('excluded.hits'),
              created_at: eb.ref('excluded.created_at'),
            })),
          )
          .execute();
        // Usually one version per batch: `version = ? and call_id in (…)` uses the key.
        const callsByVersion = new Map<number, string[]>();
        for (const r of batch) {
          const callIds = callsByVersion.get(r.inspection.ruleSetVersion);
          if (callIds) callIds.push(r.callId);
          else callsByVersion.set(r.inspection.ruleSetVersion, [r.callId]);
        }
        for (const [version, callIds] of callsByVersion) {
          await db.deleteFrom('inspection_hits').where('rule_set_version', '=', version).where('call_id', 'in', callIds).execute();
        }
        for (const part of chunks(hits.flat(), 2 * BATCH)) await db.insertInto('inspection_hits').values(part).execute();
      }
    });
  }

  async latest(callId: string): Promise<Inspection | null> {
    const r = await this.db
      .selectFrom('inspections')
      .select('body')
      .where('call_id', '=', callId)
      .orderBy('rule_set_version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? (JSON.parse(r.body) as Inspection) : null;
  }

  async get(callId: string, version: number): Promise<Inspection | null> {
    const r = await this.db
      .selectFrom('inspections')
      .select('body')
      .where('call_id', '=', callId)
      .where('rule_set_version', '=', version)
      .executeTakeFirst();
    return r ? (JSON.parse(r.body) as Inspection) : null;
  }

  async versionsForCall(callId: string): Promise<number[]> {
    const rows = await this.db.selectFrom('inspections').select('rule_set_version').where('call_id', '=', callId).orderBy('rule_set_version').execute();
    return rows.map((r) => Number(r.rule_set_version));
  }

  async countHitsByRule(version: number): Promise<Array<{ ruleId: string; calls: number; hits: number }>> {
    const rows = await this.db
      .selectFrom('inspection_hits')
      .select(['rule_id', (eb) => eb.fn.countAll<number | string>().as('calls'), (eb) => eb.fn.sum<number | string>('hits').as('hits')])
      .where('rule_set_version', '=', version)
      .groupBy('rule_id')
      .orderBy('calls', 'desc')
      .orderBy('rule_id')
      .execute();
    return rows.map((r) => ({ ruleId: r.rule_id, calls: Number(r.calls), hits: Number(r.hits) }));
  }
}
