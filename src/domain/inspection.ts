/**
 * The judgement of one call by one version of a rule set: what each rule found, with evidence down
 * to the character and the millisecond, and the scorecard's score. Produced by the pure judging
 * core (src/inspect/), stored per (call, rule set version) so publishing never changes old results.
 */

/** hit: the rule found what it looks for (a violation, or a required thing missing); na: it does not apply. */
export type RuleOutcome = 'hit' | 'pass' | 'na';
export const RULE_OUTCOMES = ['hit', 'pass', 'na'] as const;

export type RuleSeverity = 'normal' | 'fatal';

/** Characters [start, end) of a segment's text (UTF-16 offsets, as JavaScript strings index). */
export interface TextSpan {
  start: number;
  end: number;
}

/**
 * The exact place in a call that made a rule hit, so a person can see the words and jump to the
 * second. `segmentIndex` is null for call-level facts (a silence between sentences, the call's
 * duration), which carry only a time span.
 */
export interface Evidence {
  segmentIndex: number | null;
  startMs: number;
  endMs: number;
  /** The segment's text; for call-level evidence a short description. */
  text: string;
  /** Matched characters within `text` (empty when the whole segment or a time span is the evidence). */
  spans: TextSpan[];
  /** What matched, e.g. the keyword, the entity type, `静音 12.4 秒`, `锚点` for the anchor of a window rule. */
  label?: string;
}

export interface RuleResult {
  /** `<module>.<rule>`, e.g. `general.forbidden-phrases`. */
  ruleId: string;
  ruleName: string;
  outcome: RuleOutcome;
  severity: RuleSeverity;
  /** How many times it hit (matches counted after exceptions); 0 unless outcome is hit. */
  hits: number;
  /** Why: for a required rule the thing missing; for na what made it not apply. */
  reason?: string;
  evidence: Evidence[];
}

/**
 * scored: computed from rules; na: none of its rules applied (scored per the scorecard's N/A
 * policy); manual: a person scores it later (score null until then).
 */
export type ScoreItemStatus = 'scored' | 'na' | 'manual';

export interface ScoreItem {
  itemId: string;
  categoryId: string;
  name: string;
  max: number;
  score: number | null;
  status: ScoreItemStatus;
  fatal: boolean;
  /** Hits of its rules together. */
  hits: number;
  ruleIds: string[];
}

export interface ScoreCategory {
  categoryId: string;
  name: string;
  max: number;
  score: number;
}

export interface Score {
  scorecardId: string;
  scorecardName: string;
  /** Points earned over the items that count (N/A ones per the policy, manual ones not yet). */
  total: number;
  /** Points those items could earn. */
  max: number;
  /** total / max × 100, rounded to 0.1; 0 when a fatal item hit (一票否决); null when nothing could be scored (max 0). */
  percent: number | null;
  band: string | null;
  /** A fatal item hit: the score is zero whatever else happened. */
  fatal: boolean;
  /** Manual items still waiting for a person. */
  pendingManual: number;
  categories: ScoreCategory[];
  items: ScoreItem[];
}

/** The judgement of one call by one version of a rule set. */
export interface Inspection {
  /** The published version that judged it; null for unsaved rule files (dry run, `analyze --rules`). */
  ruleSetVersion: number | null;
  /** sha256 of the rule set's canonical JSON: the same hash and the same input give the same result. */
  ruleSetHash: string;
  results: RuleResult[];
  /** Null when no scorecard covers the call's business line. */
  score: Score | null;
}
