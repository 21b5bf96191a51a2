import type { Evidence, Inspection, RuleResult } from '../../domain/inspection.js';
import { ruleApplies, type CompiledRule, type CompiledRuleSet } from '../../rules/compile/compiled-rule-set.js';
import { scoreCall } from '../score/score-call.js';
import { ViewBuffers, type CallView, type JudgeInput } from './call-view.js';
import { ConditionEvaluator } from './condition-evaluator.js';
import type { Match } from './match.js';

/** Evidence kept per rule result; the hit count still counts them all. */
export const MAX_EVIDENCE = 50;

const evaluators = new WeakMap<CompiledRuleSet, { ev: ConditionEvaluator; buffers: ViewBuffers }>();

/**
 * Judges one call against a compiled rule set: every rule's outcome with evidence, then the
 * scorecard of the call's business line. Pure: no clock, no randomness, no I/O — the same input
 * and rule set give the same Inspection, byte for byte, on any database.
 * @example judgeCall(compiled, { call, transcript, signals })
 */
export function judgeCall(rs: CompiledRuleSet, input: JudgeInput): Inspection {
  let state = evaluators.get(rs);
  if (!state) evaluators.set(rs, (state = { ev: new ConditionEvaluator(rs), buffers: new ViewBuffers() }));
  const { ev } = state;
  const view = state.buffers.viewOf(input);
  ev.begin(view);
  const results = new Array<RuleResult>(rs.rules.length);
  for (let i = 0; i < rs.rules.length; i++) results[i] = judgeRule(rs.rules[i]!, view, ev);
  return { ruleSetVersion: rs.version, ruleSetHash: rs.hash, results, score: scoreCall(rs, input.call.businessLine, results) };
}

function judgeRule(r: CompiledRule, v: CallView, ev: ConditionEvaluator): RuleResult {
  if (!ruleApplies(r, v.input.call)) return r.notApplicableResult;
  if (!r.required && r.onlyIf === null && ev.keywordsAbsent(r.when)) return r.passResult;
  if (r.onlyIf) {
    const pre = ev.evaluate(r.onlyIf);
    if (pre === null) return na(r, '不适用：缺少判断前提所需的数据（转写或音频信号）');
    if (pre.length === 0) return na(r, '不适用：前提条件未出现');
  }
  const m = ev.evaluate(r.when);
  if (m === null) return na(r, '无法判断：缺少所需的数据（转写或音频信号）');
  if (r.required) {
    if (m.length > 0) return r.passResult;
    return { ruleId: r.id, ruleName: r.name, outcome: 'hit', severity: r.severity, hits: 1, reason: `未检测到：${r.description ?? r.name}`, evidence: [] };
  }
  if (m.length === 0) return r.passResult;
  const real = m.filter((x) => !x.absent);
  const hits = Math.max(1, real.length);
  if (hits < r.minHits) return r.passResult;
  return { ruleId: r.id, ruleName: r.name, outcome: 'hit', severity: r.severity, hits, evidence: real.slice(0, MAX_EVIDENCE).map((x) => evidenceOf(x, v)) };
}

function na(r: CompiledRule, reason: string): RuleResult {
  return { ruleId: r.id, ruleName: r.name, outcome: 'na', severity: r.severity, hits: 0, reason, evidence: [] };
}

function evidenceOf(m: Match, v: CallView): Evidence {
  if (m.p < 0) return { segmentIndex: null, startMs: m.startMs, endMs: m.endMs, text: m.label ?? '', spans: [], ...(m.label ? { label: m.label } : {}) };
  const s = v.segs[m.p]!;
  return { segmentIndex: s.index, startMs: m.startMs, endMs: m.endMs, text: s.text, spans: m.spans, ...(m.label ? { label: m.label } : {}) };
}
