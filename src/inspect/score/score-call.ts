import type { RuleResult, Score, ScoreCategory, ScoreItem } from '../../domain/inspection.js';
import type { CompiledRuleSet, CompiledScoreItem, CompiledScorecard } from '../../rules/compile/compiled-rule-set.js';

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The scorecard for a business line: the one that names it, else the default (`*`), else none. */
export function scorecardFor(rs: CompiledRuleSet, businessLine: string | null): CompiledScorecard | null {
  if (businessLine !== null) for (const s of rs.scorecards) if (s.businessLines.has(businessLine)) return s;
  return rs.scorecards.find((s) => s.isDefault) ?? null;
}

/**
 * Scores rule results on the call's scorecard. An item is scored from the hits of its rules
 * (points off per hit up to a cap, or all-or-nothing); when all its rules are n/a the N/A policy
 * decides (exclude: it leaves the maximum; award: full points); manual items wait for a person
 * and count in neither total nor maximum. A fatal item that hits zeroes the score (一票否决).
 */
export function scoreCall(rs: CompiledRuleSet, businessLine: string | null, results: RuleResult[]): Score | null {
  const card = scorecardFor(rs, businessLine);
  if (!card) return null;
  const items: ScoreItem[] = new Array<ScoreItem>(card.items.length);
  const catMax = new Float64Array(card.categories.length);
  const catScore = new Float64Array(card.categories.length);
  let total = 0;
  let max = 0;
  let fatal = false;
  let pendingManual = 0;
  for (let n = 0; n < card.items.length; n++) {
    const it = card.items[n]!;
    if (it.manual) {
      pendingManual++;
      items[n] = item(it, null, 'manual', 0);
      continue;
    }
    let applicable = 0;
    let hits = 0;
    for (const i of it.ruleIndexes) {
      const r = results[i]!;
      if (r.outcome === 'na') continue;
      applicable++;
      if (r.outcome === 'hit') hits += r.hits;
    }
    let score: number;
    if (applicable === 0) {
      if (it.naPolicy === 'exclude') {
        items[n] = item(it, null, 'na', 0);
        continue;
      }
      score = it.points;
      items[n] = item(it, score, 'na', 0);
    } else {
      score = round1(it.deduct ? Math.max(0, it.points - Math.min(it.deduct.perHit * hits, it.deduct.max)) : hits > 0 ? 0 : it.points);
      if (it.fatal && hits > 0) fatal = true;
      items[n] = item(it, score, 'scored', hits);
    }
    total += score;
    max += it.points;
    catMax[it.categoryIndex]! += it.points;
    catScore[it.categoryIndex]! += score;
  }
  // Nothing to score (every item n/a or manual): no percent and no band, rather than a perfect score.
  const percent = fatal ? 0 : max > 0 ? round1((total / max) * 100) : null;
  let band: string | null = null;
  if (percent !== null)
    for (const b of card.bands)
      if (percent >= b.min) {
        band = b.name;
        break;
      }
  const categories: ScoreCategory[] = card.categories.map((c, i) => ({ categoryId: c.id, name: c.name, max: catMax[i]!, score: round1(catScore[i]!) }));
  return { scorecardId: card.id, scorecardName: card.name, total: fatal ? 0 : round1(total), max, percent, band, fatal, pendingManual, categories, items };
}

function item(it: CompiledScoreItem, score: number | null, status: ScoreItem['status'], hits: number): ScoreItem {
  return { itemId: it.id, categoryId: it.categoryId, name: it.name, max: it.points, score, status, fatal: it.fatal, hits, ruleIds: it.ruleIds };
}
