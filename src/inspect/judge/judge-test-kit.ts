import type { CallMetadata } from '../../domain/call.js';
import type { Inspection, RuleResult } from '../../domain/inspection.js';
import type { Signals } from '../../domain/signals.js';
import type { TranscriptSegment } from '../../domain/transcript.js';
import { signalsFromTranscript } from '../../enrich/transcript-signals.js';
import { compileRuleSet } from '../../rules/compile/compile-rule-set.js';
import { loadRuleSet } from '../../rules/language/parse-rule-files.js';
import { judgeCall } from './judge-call.js';

/**
 * Helpers for tests of the judging core: a dialogue written as lines (`A: 您好` agent, `C: …`
 * customer, `U: …` unknown; `A@12.5-15: …` for explicit seconds), a rule module as YAML, and the
 * result of one rule. Not a mock: the real parser, compiler and judge run.
 */
export function dialogue(lines: string[]): TranscriptSegment[] {
  let t = 0;
  return lines.map((line, index) => {
    const m = /^([ACU])(?:@([\d.]+)-([\d.]+))?:\s?(.*)$/u.exec(line);
    if (!m) throw new Error(`bad dialogue line: ${line}`);
    const text = m[4]!;
    const startMs = m[2] !== undefined ? Math.round(Number(m[2]) * 1000) : t + 500;
    const endMs = m[3] !== undefined ? Math.round(Number(m[3]) * 1000) : startMs + Math.max(800, text.length * 220);
    t = Math.max(t, endMs);
    return { index, speaker: m[1] === 'A' ? 'agent' : m[1] === 'C' ? 'customer' : 'unknown', startMs, endMs, text };
  });
}

export const CALL: CallMetadata = {
  externalId: null,
  channel: 'phone',
  direction: 'inbound',
  startedAt: null,
  durationMs: null,
  agentId: 'A1',
  teamId: 'T1',
  businessLine: '电商客服',
  customerPhone: null,
  customerTags: [],
  consultType: null,
  language: 'zh-CN',
  extra: {},
};

export interface JudgeOptions {
  call?: Partial<CallMetadata>;
  /** Signals to use; default: measured from the dialogue's timing. null: no signals. */
  signals?: Signals | null;
  transcript?: boolean;
}

export function inspect(moduleYaml: string, segments: TranscriptSegment[], opts: JudgeOptions = {}): Inspection {
  const doc = loadRuleSet([{ name: 'test.yaml', text: moduleYaml }]);
  const call = { ...CALL, ...opts.call };
  const signals = opts.signals === undefined ? signalsFromTranscript(segments, { durationMs: call.durationMs, language: call.language }) : opts.signals;
  return judgeCall(compileRuleSet(doc, 1), { call, transcript: opts.transcript === false ? null : { segments }, signals });
}

/** A module with one rule whose `when` (and extra rule fields) are given as YAML lines. */
export function oneRule(when: string, extra = ''): string {
  const indented = when
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  return `module: t\nname: 测试\nrules:\n  - id: r\n    name: 规则\n${extra
    .split('\n')
    .filter(Boolean)
    .map((l) => `    ${l}\n`)
    .join('')}    when:\n${indented}\n`;
}

export function ruleResult(moduleYaml: string, lines: string[], opts: JudgeOptions = {}, ruleId = 't.r'): RuleResult {
  const r = inspect(moduleYaml, dialogue(lines), opts).results.find((x) => x.ruleId === ruleId);
  if (!r) throw new Error(`no result for ${ruleId}`);
  return r;
}

/** The segment indexes a rule's evidence points at. */
export const evidenceSegments = (r: RuleResult): Array<number | null> => r.evidence.map((e) => e.segmentIndex);
/** The matched words of a rule's evidence. */
export const matchedWords = (r: RuleResult): string[] => r.evidence.flatMap((e) => e.spans.map((s) => e.text.slice(s.start, s.end)));
