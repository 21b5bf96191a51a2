import type { TranscriptSegment } from './transcript.js';

export type RuleOutcome = 'hit' | 'pass' | 'na';

/** The exact place in a call that made a rule hit, so a person can jump to the second. */
export interface Evidence {
  segmentIndex: number;
  startMs: number;
  endMs: number;
  text: TranscriptSegment['text'];
}

export interface RuleResult {
  ruleId: string;
  ruleName: string;
  outcome: RuleOutcome;
  evidence: Evidence[];
}

export interface ScoreItem {
  itemId: string;
  name: string;
  max: number;
  score: number;
  na: boolean;
}

export interface Score {
  total: number;
  max: number;
  band: string | null;
  fatal: boolean;
  items: ScoreItem[];
}

/** The judgement of one call by one version of a rule set. */
export interface Inspection {
  ruleSetVersion: string;
  results: RuleResult[];
  score: Score | null;
}
