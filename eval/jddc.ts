import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CallChannel } from '../src/domain/call.js';
import { judgeCall } from '../src/inspect/judge/judge-call.js';
import type { CompiledRuleSet } from '../src/rules/compile/compiled-rule-set.js';
import { describeEvidence, judgeInputOf, type LabelledCall } from './evaluate-templates.js';

/**
 * The templates over real JD.com customer-service dialogues (CSDS, derived from JDDC: the key
 * utterances of 800 dialogues, `用户:`/`客服:` turns, numbers and addresses masked). There are no
 * labels: the point is the hit rate per rule and example hits, to spot phrases real agents use
 * innocently (false positives) and greeting/closing variants the templates miss.
 *
 * The dialogues are excerpts (key utterances only, often without the opening and the close) and
 * chats, so greeting/closing/recording hit rates say little; the phrase, empathy and follow-up
 * rules are what this is for.
 */

export interface JddcDialogue {
  /** Line number (1-based) in test_key_utterances.txt. */
  line: number;
  turns: Array<{ speaker: 'agent' | 'customer'; text: string }>;
}

/** 用户 (customer), 商家 (merchant) and 物流师傅 (courier) ask; 客服 answers. */
const ROLE: Record<string, 'agent' | 'customer'> = { 客服: 'agent', 用户: 'customer', 商家: 'customer', 物流师傅: 'customer' };
const TURN = /(?:^|(?<=。))(客服|用户|商家|物流师傅):/g;

/**
 * Masked values become plausible ones, so entity rules see what a real transcript would have: an
 * order number after 订单号, a small number, an amount. Names, addresses, phones stay masked.
 */
const PLACEHOLDERS: Array<[RegExp, string]> = [
  [/\[订单编号\]/g, '8816302457'],
  [/\[数字\]/g, '3'],
  [/\[金额\]/g, '100元'],
];

export function parseJddc(text: string): JddcDialogue[] {
  const out: JddcDialogue[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const marks = [...line.matchAll(TURN)];
    const turns: JddcDialogue['turns'] = [];
    marks.forEach((m, k) => {
      const start = m.index! + m[0].length;
      const end = k + 1 < marks.length ? marks[k + 1]!.index! : line.length;
      let t = line.slice(start, end).trim();
      for (const [re, to] of PLACEHOLDERS) t = t.replace(re, to);
      if (t) turns.push({ speaker: ROLE[m[1]!]!, text: t });
    });
    if (turns.length) out.push({ line: i + 1, turns });
  });
  return out;
}

export function readJddc(dir: string): JddcDialogue[] {
  return parseJddc(readFileSync(path.join(dir, 'test_key_utterances.txt'), 'utf8'));
}

/** Synthetic timing: ~250 ms per character, 600 ms between turns. */
export function jddcCall(d: JddcDialogue, opts: { businessLine?: string; channel?: CallChannel } = {}): LabelledCall {
  let t = 500;
  const segments = d.turns.map((turn) => {
    const chars = [...turn.text].length;
    const s = { speaker: turn.speaker, startMs: t, endMs: t + Math.max(600, chars * 250), text: turn.text };
    t = s.endMs + 600;
    return s;
  });
  return { id: `jddc-${d.line}`, description: '', call: { businessLine: opts.businessLine ?? '电商客服', channel: opts.channel ?? 'chat' }, segments, expect: {} };
}

export interface JddcRuleStat {
  ruleId: string;
  ruleName: string;
  /** Dialogues where the rule gave hit or pass (not na). */
  applicable: number;
  hits: number;
  /** hits / dialogues. */
  hitRate: number;
  examples: Array<{ callId: string; evidence: string[] }>;
}

/** Hit rate per rule over the dialogues, with the first `examples` hits of each (evidence, or the reason for required rules). */
export function runJddc(rs: CompiledRuleSet, dialogues: JddcDialogue[], opts: { businessLine?: string; channel?: CallChannel; examples?: number } = {}): JddcRuleStat[] {
  const stats = rs.rules.map((r) => ({ ruleId: r.id, ruleName: r.name, applicable: 0, hits: 0, hitRate: 0, examples: [] as JddcRuleStat['examples'] }));
  const max = opts.examples ?? 3;
  for (const d of dialogues) {
    const c = jddcCall(d, opts);
    const insp = judgeCall(rs, judgeInputOf(c));
    insp.results.forEach((r, i) => {
      const s = stats[i]!;
      if (r.outcome !== 'na') s.applicable++;
      if (r.outcome !== 'hit') return;
      s.hits++;
      if (s.examples.length < max) {
        const ev = r.evidence.length ? r.evidence.slice(0, 2).map(describeEvidence) : [`${r.reason ?? ''}｜${d.turns.map((x) => `${x.speaker === 'agent' ? '客服' : '用户'}:${x.text}`).join(' ')}`.slice(0, 160)];
        s.examples.push({ callId: c.id, evidence: ev });
      }
    });
  }
  for (const s of stats) s.hitRate = dialogues.length ? s.hits / dialogues.length : 0;
  return stats;
}
