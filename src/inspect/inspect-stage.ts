import type { StageHandler } from '../pipeline/stage-handler.js';
import { publishedRuleSets } from '../rules/published-rule-sets.js';
import { judgeCall } from './judge/judge-call.js';

/**
 * Inspect: judge the call against the newest published rule set and store the result under that
 * version (earlier versions' results stay). Skipped until a rule set is published.
 */
export const inspectStage: StageHandler = async ({ call, db }) => {
  const rules = await publishedRuleSets(db).current();
  if (!rules) return { status: 'skipped', note: 'no rule set published yet: run `tingjian init` or `tingjian rules publish <files>`' };
  const [transcript, signals] = await Promise.all([db.repos.transcripts.get(call.id), db.repos.artifacts.getSignals(call.id)]);
  const inspection = judgeCall(rules, { call, transcript, signals });
  await db.repos.inspections.save(call.id, { ...inspection, ruleSetVersion: rules.version! }, Date.now());
  const hits = inspection.results.filter((r) => r.outcome === 'hit');
  const score = inspection.score ? `, score ${inspection.score.percent}${inspection.score.band ? ` (${inspection.score.band})` : ''}${inspection.score.fatal ? ' fatal' : ''}` : '';
  return { status: 'done', note: `rule set v${rules.version}: ${hits.length} rules hit${score}` };
};
