import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallChannel, CallDirection } from '../src/domain/call.js';
import type { Evidence, RuleOutcome } from '../src/domain/inspection.js';
import type { Speaker, TranscriptSegment } from '../src/domain/transcript.js';
import { signalsFromTranscript } from '../src/enrich/transcript-signals.js';
import type { JudgeInput } from '../src/inspect/judge/call-view.js';
import { judgeCall } from '../src/inspect/judge/judge-call.js';
import { compileRuleSet } from '../src/rules/compile/compile-rule-set.js';
import type { CompiledRuleSet } from '../src/rules/compile/compiled-rule-set.js';
import { loadRuleSet } from '../src/rules/language/parse-rule-files.js';

/**
 * Measures the built-in rule templates (templates/rules/*.yaml) against hand-labelled calls
 * (eval/labelled-calls/*.json): per rule, how many labelled hits the engine found (TP), how many
 * hits it made that a QA expert would not (FP) and how many it missed (FN). The labels are the
 * truth as an expert judges the call, not what the engine outputs, so a disagreement is either a
 * template to fix or an engine limitation to report. `npm run eval:templates` prints the result;
 * a test can call evaluateTemplates() and assert thresholds.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATES_DIR = path.join(ROOT, 'templates/rules');
export const LABELLED_DIR = path.join(ROOT, 'eval/labelled-calls');
export const SAMPLES_DIR = path.join(ROOT, 'samples/calls');

/** One hand-labelled call (the format of eval/labelled-calls/*.json). */
export interface LabelledCall {
  id: string;
  description: string;
  call: {
    businessLine: string | null;
    channel: CallChannel;
    direction?: CallDirection;
    /** The whole call's length; the segments may be its key sentences only. Defaults to the last segment's end. */
    durationMs?: number;
    customerTags?: string[];
    consultType?: string;
    extra?: Record<string, string>;
  };
  segments: Array<{ speaker: Speaker; startMs: number; endMs: number; text: string }>;
  /** `<module>.<rule>` → what a QA expert says the rule should give on this call. */
  expect: Record<string, Expected>;
}

/** A label: the outcome a QA expert expects; `not-hit` = pass or na (the demo samples' labels do not say which). */
export type Expected = RuleOutcome | 'not-hit';

export interface RuleRow {
  ruleId: string;
  ruleName: string;
  /** Calls labelled for this rule (any outcome). */
  labelled: number;
  /** Calls labelled `hit`. */
  labelledHits: number;
  tp: number;
  fp: number;
  fn: number;
  /** Labelled pass/na the engine gave the other of (pass ↔ na): not a precision/recall error, but listed. */
  naMismatch: number;
  /** TP / (TP + FP); null when the rule never hit and nothing was labelled hit. */
  precision: number | null;
  recall: number | null;
}

export interface Disagreement {
  callId: string;
  ruleId: string;
  expected: Expected;
  got: RuleOutcome;
  /** What the engine showed: the evidence sentences with their labels, or its reason (na, required rules). */
  evidence: string[];
}

export interface EvaluationResult {
  calls: number;
  rows: RuleRow[];
  overall: Omit<RuleRow, 'ruleId' | 'ruleName'>;
  disagreements: Disagreement[];
  /** Rules that applied to a call (not na by business line/channel) but had no label there. */
  unlabelled: Array<{ callId: string; ruleId: string; got: RuleOutcome }>;
  /** Labels naming a rule the templates do not have (typos). */
  unknownLabels: Array<{ callId: string; ruleId: string }>;
}

/** Loads and validates rule files from a folder (throws INVALID_RULES listing every problem). */
export function loadTemplates(dir = TEMPLATES_DIR): CompiledRuleSet {
  const files = readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(path.join(dir, f), 'utf8') }));
  return compileRuleSet(loadRuleSet(files));
}

export function loadLabelledCalls(dir = LABELLED_DIR): LabelledCall[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const c = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as LabelledCall;
      if (!c.id || !Array.isArray(c.segments) || !c.expect) throw new Error(`${f}: needs id, segments and expect`);
      return c;
    });
}

/**
 * The demo calls of samples/calls as labelled calls: their `extra.problems` names the problems
 * an inspector should flag, no more and no fewer, so each maps to the template rule that finds
 * it (hit when listed, otherwise not hit). Only those rules are labelled.
 */
const SAMPLE_PROBLEM_RULES: Record<string, string> = {
  no_greeting: 'general.greeting',
  no_closing: 'general.closing',
  forbidden_phrase: 'general.forbidden-phrases',
  anger_without_empathy: 'general.empathy-after-anger',
  long_silence: 'general.hold-notice',
  interruption: 'general.agent-interruption',
  pii_read_aloud: 'general.pii-read-aloud',
  missing_disclosure: 'finance.risk-disclosure',
};

export function loadSampleCalls(dir = SAMPLES_DIR): LabelledCall[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const s = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as {
        externalId: string;
        channel: CallChannel;
        businessLine: string;
        durationMs: number;
        customerTags?: string[];
        extra: Record<string, string>;
        segments: LabelledCall['segments'];
      };
      const problems = new Set((s.extra.problems ?? 'none').split(',').map((p) => p.trim()));
      const expect: Record<string, Expected> = {};
      for (const [problem, ruleId] of Object.entries(SAMPLE_PROBLEM_RULES)) expect[ruleId] = problems.has(problem) ? 'hit' : 'not-hit';
      return {
        id: s.externalId,
        description: s.extra.scenario ?? '',
        call: { businessLine: s.businessLine, channel: s.channel, durationMs: s.durationMs, customerTags: s.customerTags ?? [], extra: s.extra },
        segments: s.segments,
        expect,
      };
    });
}

/** What judging needs for a labelled call: its metadata, its segments and signals from their timing. */
export function judgeInputOf(c: LabelledCall): JudgeInput {
  const segments: TranscriptSegment[] = c.segments.map((s, index) => ({ index, speaker: s.speaker, startMs: s.startMs, endMs: s.endMs, text: s.text }));
  const lastEnd = segments.reduce((m, s) => Math.max(m, s.endMs), 0);
  const durationMs = c.call.durationMs ?? lastEnd;
  return {
    call: {
      channel: c.call.channel,
      direction: c.call.direction ?? 'inbound',
      businessLine: c.call.businessLine,
      agentId: null,
      teamId: null,
      consultType: c.call.consultType ?? null,
      customerTags: c.call.customerTags ?? [],
      language: 'zh-CN',
      extra: c.call.extra ?? {},
      durationMs,
    },
    transcript: { segments },
    signals: signalsFromTranscript(segments, { durationMs, language: 'zh-CN' }),
  };
}

/** Evidence labels of regex matches are the whole pattern: shortened for reading. */
export const shortLabel = (label: string, max = 40): string => ([...label].length > max ? `${[...label].slice(0, max).join('')}…` : label);

export const describeEvidence = (e: Evidence): string =>
  e.segmentIndex === null ? `[${fmtMs(e.startMs)}–${fmtMs(e.endMs)}] ${e.label ?? e.text}` : `#${e.segmentIndex} ${e.text}${e.label ? `  〔${shortLabel(e.label)}〕` : ''}`;
const fmtMs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** Whether a rule can apply to the call at all (its business lines and channels). */
function appliesTo(rs: CompiledRuleSet, ruleId: string, input: JudgeInput): boolean {
  const r = rs.rules[rs.ruleIndex.get(ruleId)!]!;
  if (r.businessLines && !(input.call.businessLine !== null && r.businessLines.has(input.call.businessLine))) return false;
  return !(r.channels && !r.channels.has(input.call.channel));
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** Judges every call with the rule set and compares each rule's outcome with the labels. */
export function evaluate(rs: CompiledRuleSet, calls: LabelledCall[]): EvaluationResult {
  const rows = new Map<string, RuleRow>(
    rs.rules.map((r) => [r.id, { ruleId: r.id, ruleName: r.name, labelled: 0, labelledHits: 0, tp: 0, fp: 0, fn: 0, naMismatch: 0, precision: null, recall: null }]),
  );
  const disagreements: Disagreement[] = [];
  const unlabelled: EvaluationResult['unlabelled'] = [];
  const unknownLabels: EvaluationResult['unknownLabels'] = [];
  for (const c of calls) {
    for (const ruleId of Object.keys(c.expect)) if (!rows.has(ruleId)) unknownLabels.push({ callId: c.id, ruleId });
    const input = judgeInputOf(c);
    const inspection = judgeCall(rs, input);
    for (const result of inspection.results) {
      const row = rows.get(result.ruleId)!;
      const expected = c.expect[result.ruleId];
      const got = result.outcome;
      if (expected === undefined) {
        if (appliesTo(rs, result.ruleId, input)) unlabelled.push({ callId: c.id, ruleId: result.ruleId, got });
        continue;
      }
      row.labelled++;
      const expectHit = expected === 'hit';
      if (expectHit) row.labelledHits++;
      if (expectHit && got === 'hit') row.tp++;
      else if (expectHit) row.fn++;
      else if (got === 'hit') row.fp++;
      else if (expected !== 'not-hit' && expected !== got) row.naMismatch++;
      const agrees = expected === 'not-hit' ? got !== 'hit' : expected === got;
      if (!agrees) {
        const evidence = result.evidence.length ? result.evidence.slice(0, 3).map(describeEvidence) : result.reason ? [result.reason] : [];
        disagreements.push({ callId: c.id, ruleId: result.ruleId, expected, got, evidence });
      }
    }
  }
  const list = [...rows.values()];
  for (const r of list) {
    r.precision = ratio(r.tp, r.tp + r.fp);
    r.recall = ratio(r.tp, r.tp + r.fn);
  }
  const sum = (k: 'labelled' | 'labelledHits' | 'tp' | 'fp' | 'fn' | 'naMismatch') => list.reduce((n, r) => n + r[k], 0);
  const overall = { labelled: sum('labelled'), labelledHits: sum('labelledHits'), tp: sum('tp'), fp: sum('fp'), fn: sum('fn'), naMismatch: sum('naMismatch'), precision: null as number | null, recall: null as number | null };
  overall.precision = ratio(overall.tp, overall.tp + overall.fp);
  overall.recall = ratio(overall.tp, overall.tp + overall.fn);
  return { calls: calls.length, rows: list, overall, disagreements, unlabelled, unknownLabels };
}

/**
 * The templates against the labelled calls (and, with `samples: true`, the demo samples' own
 * problem labels as a second, separate result).
 * @example const { rows, disagreements } = await evaluateTemplates()
 */
export async function evaluateTemplates(opts: { templatesDir?: string; labelledDir?: string } = {}): Promise<EvaluationResult> {
  return evaluate(loadTemplates(opts.templatesDir), loadLabelledCalls(opts.labelledDir));
}

export async function evaluateSamples(opts: { templatesDir?: string; samplesDir?: string } = {}): Promise<EvaluationResult> {
  return evaluate(loadTemplates(opts.templatesDir), loadSampleCalls(opts.samplesDir));
}
