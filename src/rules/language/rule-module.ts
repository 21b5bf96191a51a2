import type { CallChannel } from '../../domain/call.js';
import type { RuleSeverity } from '../../domain/inspection.js';
import type { Condition } from './condition.js';

/**
 * A rule module: one file of rules and scorecards (通用客服, 金融 …). A rule set version is the
 * list of modules published together; rule ids are `<module>.<rule>` across the set.
 */
export interface AppliesTo {
  businessLines?: string[];
  channels?: CallChannel[];
}

export interface RuleDef {
  id: string;
  name: string;
  description?: string;
  severity?: RuleSeverity;
  /** violation (default): the rule hits when `when` holds; required: it hits when `when` does not. */
  type?: 'violation' | 'required';
  when: Condition;
  /** The rule applies only when this holds (else outcome na), e.g. risk disclosure only when a product is discussed. */
  onlyIf?: Condition;
  appliesTo?: AppliesTo;
  /** violation rules: hit only from this many matches on (Huawei's 1–100 hits). */
  minHits?: number;
  enabled?: boolean;
  tags?: string[];
}

export interface ScoreItemDef {
  id: string;
  name: string;
  points: number;
  /** Rule ids: local (`greeting`) or from another module (`general.greeting`). */
  rules?: string[];
  /** Points off per hit, at most `max` (default: the item's points). Without it: pass/fail. */
  deduct?: { perHit: number; max?: number };
  /** 一票否决: when one of its rules hits, the whole score is zero. */
  fatal?: boolean;
  /** Scored by a person later (sampling/review); no rules. */
  manual?: boolean;
  naPolicy?: NaPolicy;
}

/** exclude: an item whose rules are all n/a leaves the maximum; award: it earns its full points. */
export type NaPolicy = 'exclude' | 'award';

export interface ScoreCategoryDef {
  id: string;
  name: string;
  /** When given, must equal the sum of its items' points (a typo check). */
  points?: number;
  items: ScoreItemDef[];
}

export interface BandDef {
  name: string;
  /** Lowest percent (0..100) of the band. */
  min: number;
}

export interface ScorecardDef {
  id: string;
  name: string;
  /** The business lines it scores; `*` = every line no other scorecard claims. One scorecard per line. */
  businessLines: string[];
  naPolicy?: NaPolicy;
  bands?: BandDef[];
  categories: ScoreCategoryDef[];
}

export interface RuleModule {
  module: string;
  name: string;
  description?: string;
  appliesTo?: AppliesTo;
  /** Synonyms for words of every keyword condition of the module. */
  synonyms?: Record<string, string[]>;
  /** Negation words for `negation: true`, replacing the defaults. */
  negators?: string[];
  /** How many characters before a word a negator may stand for `negation: true` (default 4). */
  negationWindow?: number;
  entities?: { orderPatterns?: string[] };
  rules: RuleDef[];
  scorecards?: ScorecardDef[];
}

/** What is published as one version. */
export interface RuleSetDocument {
  modules: RuleModule[];
  note?: string;
}

export const DEFAULT_BANDS: readonly BandDef[] = [
  { name: '优秀', min: 90 },
  { name: '良好', min: 80 },
  { name: '合格', min: 60 },
  { name: '不合格', min: 0 },
];

export const DEFAULT_NEGATORS: readonly string[] = ['不', '没', '没有', '未', '无', '别', '并非', '不是', '不会', '不能', '不可能', '绝不', '从不', '并不'];
