import type { Evidence } from '../../domain/inspection.js';
import type { Database, ReinspectionFilter } from '../../ports/repositories.js';
import { compileRuleSet } from '../../rules/compile/compile-rule-set.js';
import type { RuleSetDocument } from '../../rules/language/rule-module.js';
import { publishedRuleSets } from '../../rules/published-rule-sets.js';
import { judgeCall } from '../judge/judge-call.js';
import { storedCallBatches } from '../stored-calls.js';

/** Call ids listed per rule in a diff; the counts are exact. */
export const DIFF_IDS = 20;
export const EXAMPLES = 3;

export interface DryRunRuleRow {
  ruleId: string;
  ruleName: string;
  /** In the published version only: the candidate removes (or disables) it, so every call it hit no longer hits. */
  removed?: true;
  /** Calls where the rule hit / did not apply. */
  hitCalls: number;
  naCalls: number;
  /** hitCalls over the calls where it applied (0..1). */
  hitRate: number;
  hits: number;
  /** Against the published version; null when it had no such rule (or nothing is published). */
  published: { hitCalls: number; newlyHit: number; noLongerHit: number; newlyHitCallIds: string[]; noLongerHitCallIds: string[] } | null;
  examples: Array<{ callId: string; externalId: string | null; evidence: Evidence[] }>;
}

export interface DryRunReport {
  calls: number;
  publishedVersion: number | null;
  rules: DryRunRuleRow[];
  /** Mean score percent over scored calls, candidate and published (null where nothing was scored). */
  meanScore: { candidate: number | null; published: number | null };
}

/**
 * Judges stored calls with a candidate rule set and the published one, side by side, storing
 * nothing: how often each rule hits, examples with evidence, and which calls would newly hit or
 * no longer hit. What `tingjian rules test` and POST /api/v1/rule-sets/test print.
 */
export async function dryRunRules(db: Database, candidate: RuleSetDocument, opts: { filter?: ReinspectionFilter; limit?: number; onProgress?: (done: number) => void } = {}): Promise<DryRunReport> {
  const cand = compileRuleSet(candidate);
  const pub = await publishedRuleSets(db).current();
  const rows = new Map<string, DryRunRuleRow>(
    cand.rules.map((r) => [r.id, { ruleId: r.id, ruleName: r.name, hitCalls: 0, naCalls: 0, hitRate: 0, hits: 0, published: pub?.ruleIndex.has(r.id) ? { hitCalls: 0, newlyHit: 0, noLongerHit: 0, newlyHitCallIds: [], noLongerHitCallIds: [] } : null, examples: [] }]),
  );
  // Rules the candidate drops still get a row: the calls they hit are the ones that no longer hit.
  const removed = (pub?.rules ?? []).filter((r) => !cand.ruleIndex.has(r.id));
  for (const r of removed) rows.set(r.id, { ruleId: r.id, ruleName: r.name, removed: true, hitCalls: 0, naCalls: 0, hitRate: 0, hits: 0, published: { hitCalls: 0, newlyHit: 0, noLongerHit: 0, newlyHitCallIds: [], noLongerHitCallIds: [] }, examples: [] });
  let calls = 0;
  const scores = { candidate: [0, 0], published: [0, 0] };
  for await (const batch of storedCallBatches(db, opts.filter ?? {}, { limit: opts.limit ?? 1000 })) {
    for (const sc of batch) {
      calls++;
      const a = judgeCall(cand, sc);
      const b = pub ? judgeCall(pub, sc) : null;
      if (a.score?.percent != null) {
        scores.candidate[0]! += a.score.percent;
        scores.candidate[1]!++;
      }
      if (b?.score?.percent != null) {
        scores.published[0]! += b.score.percent;
        scores.published[1]!++;
      }
      for (const r of a.results) {
        const row = rows.get(r.ruleId)!;
        const hit = r.outcome === 'hit';
        if (r.outcome === 'na') row.naCalls++;
        if (hit) {
          row.hitCalls++;
          row.hits += r.hits;
          if (row.examples.length < EXAMPLES) row.examples.push({ callId: sc.call.id, externalId: sc.call.externalId, evidence: r.evidence.slice(0, 3) });
        }
        if (row.published && b) {
          const before = b.results[pub!.ruleIndex.get(r.ruleId)!]!.outcome === 'hit';
          if (before) row.published.hitCalls++;
          if (hit && !before && row.published.newlyHit++ < DIFF_IDS) row.published.newlyHitCallIds.push(sc.call.id);
          if (!hit && before && row.published.noLongerHit++ < DIFF_IDS) row.published.noLongerHitCallIds.push(sc.call.id);
        }
      }
      for (const r of removed) {
        if (b!.results[pub!.ruleIndex.get(r.id)!]!.outcome !== 'hit') continue;
        const row = rows.get(r.id)!;
        row.published!.hitCalls++;
        if (row.published!.noLongerHit++ < DIFF_IDS) row.published!.noLongerHitCallIds.push(sc.call.id);
      }
    }
    opts.onProgress?.(calls);
  }
  for (const row of rows.values()) row.hitRate = calls - row.naCalls > 0 ? Math.round((row.hitCalls / (calls - row.naCalls)) * 1000) / 1000 : 0;
  const mean = ([sum, n]: number[]) => (n ? Math.round((sum! / n) * 10) / 10 : null);
  return { calls, publishedVersion: pub?.version ?? null, rules: [...rows.values()], meanScore: { candidate: mean(scores.candidate), published: mean(scores.published) } };
}
