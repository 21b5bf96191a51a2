import type { CallChannel } from '../../domain/call.js';
import type { RuleResult, RuleSeverity } from '../../domain/inspection.js';
import type { EntityType } from '../entities/find-entities.js';
import type { BandDef, NaPolicy } from '../language/rule-module.js';
import type { KeywordScanner } from '../text/keyword-scanner.js';

/**
 * A rule set prepared for judging: every condition resolved into a node with its words already
 * in the scanners, its regexes compiled, its examples turned into bigrams. Compile once per
 * version (src/rules/compile/compile-rule-set.ts), judge millions of calls with it.
 */

/** -1 any speaker, 0 agent, 1 customer (the role codes of a call view). */
export type RoleCode = -1 | 0 | 1;

export interface CompiledScope {
  speaker: RoleCode;
  first: { sentences?: number; seconds?: number } | null;
  last: { sentences?: number; seconds?: number } | null;
  except: CNode | null;
  exceptIn: 'same' | 'next' | 'sameOrNext';
}

/** A word of a keyword condition: in the exact scanner, or the fuzzy (pinyin) one. */
export interface TermRef {
  fuzzy: boolean;
  /** Id in its scanner. */
  id: number;
}

interface Base {
  /** Index of the node in the rule set (for the per-call cache). */
  id: number;
}

export interface KeywordsNode extends Base {
  k: 'keywords';
  scope: CompiledScope;
  /** One group per listed word: the word and its synonyms. */
  groups: TermRef[][];
  /** The listed word of each group, for evidence labels. */
  labels: string[];
  /** Groups needed: 1 (any), all of them, or N (atLeast). */
  need: number;
  acrossCall: boolean;
  negation: boolean;
  /** Negation words (normalised); empty unless negation is on. */
  negators: string[];
  /** How many characters before a word a negator may stand (the module's negationWindow, default 4). */
  negationWindow: number;
  ignoreQuoted: boolean;
  /** With caseSensitive: the words and synonyms normalised but for case (matching runs on lower-cased text, this checks the case). */
  caseForms: ReadonlySet<string> | null;
}

export interface RegexNode extends Base {
  k: 'regex';
  scope: CompiledScope;
  source: string;
  re: RegExp;
  /**
   * Literals every match contains (requiredLiterals), in the exact scanner: the regex runs only on
   * sentences where the scan found one. Null: it runs on every sentence in scope.
   */
  gate: TermRef[] | null;
  not: RegExp | null;
  negation: boolean;
  negators: string[];
  negationWindow: number;
  ignoreQuoted: boolean;
}

export interface SimilarNode extends Base {
  k: 'similarTo';
  scope: CompiledScope;
  examples: Int32Array[];
  /** Each example's characters (charBloom): most sentences share too few to reach the threshold. */
  exampleChars: Uint32Array[];
  /**
   * character → bit e set when example e has it, for up to 32 examples (null beyond, or past the
   * first few similarity conditions of a rule set: 256 KiB each): one pass over a sentence then
   * bounds its overlap with every example at once.
   */
  exampleMask: Uint32Array | null;
  threshold: number;
}

export interface SentimentNode extends Base {
  k: 'sentiment';
  scope: CompiledScope;
  /** Sentences with this label match (null: by score only). */
  label: 'negative' | 'neutral' | 'positive' | null;
  /** …and a score in [min, max]. */
  min: number;
  max: number;
}

export interface EntityNode extends Base {
  k: 'entity';
  scope: CompiledScope;
  types: ReadonlySet<EntityType>;
  /** The types, sorted and joined: sentences' entities are cached per distinct set. */
  typesKey: string;
  masked: 'exclude' | 'include' | 'only';
}

export interface FollowUpNode extends Base {
  k: 'followUp';
  anchor: CNode;
  check: CNode;
  /** true: `expect` (anchors without it match); false: `forbid` (its matches in a window match). */
  expect: boolean;
  direction: 'after' | 'before';
  window: { turns?: number; segments?: number; seconds?: number };
  /** Whose sentences count as turns: the checked condition's speaker. */
  turnSpeaker: RoleCode;
}

export interface SilenceNode extends Base {
  k: 'silence';
  minMs: number;
  unless: CNode | null;
  noticeMs: number;
}

export interface InterruptionsNode extends Base {
  k: 'interruptions';
  by: RoleCode;
  atLeast: number;
  minOverlapMs: number;
  takesFloor: boolean;
}

export interface OverlapNode extends Base {
  k: 'overlap';
  by: RoleCode;
  minMs: number;
}

export interface SpeechRateNode extends Base {
  k: 'speechRate';
  speaker: 0 | 1;
  above: number | null;
  below: number | null;
  perSentence: boolean;
  minChars: number;
}

export interface LoudnessNode extends Base {
  k: 'loudness';
  speaker: 0 | 1;
  above: number | null;
  below: number | null;
}

export interface DurationNode extends Base {
  k: 'duration';
  belowMs: number | null;
  aboveMs: number | null;
}

export interface MetadataNode extends Base {
  k: 'metadata';
  field: string;
  in: string[] | null;
  notIn: string[] | null;
  gte: number | null;
  lte: number | null;
  exists: boolean | null;
}

export interface LogicNode extends Base {
  k: 'all' | 'any';
  children: CNode[];
}

export interface NotNode extends Base {
  k: 'not';
  child: CNode;
}

export type TextNode = KeywordsNode | RegexNode | SimilarNode | EntityNode | SentimentNode;
export type CNode =
  | TextNode
  | FollowUpNode
  | SilenceNode
  | InterruptionsNode
  | OverlapNode
  | SpeechRateNode
  | LoudnessNode
  | DurationNode
  | MetadataNode
  | LogicNode
  | NotNode;

export interface CompiledRule {
  /** `<module>.<rule>` */
  id: string;
  name: string;
  description: string | null;
  severity: RuleSeverity;
  required: boolean;
  when: CNode;
  onlyIf: CNode | null;
  /** null = every business line / channel. */
  businessLines: ReadonlySet<string> | null;
  channels: ReadonlySet<CallChannel> | null;
  minHits: number;
  /**
   * Results that do not depend on the call, made once and shared by every call's inspection
   * (frozen): most rules pass most calls, and allocating 300 identical objects per call would cost
   * more than judging it.
   */
  passResult: Readonly<RuleResult>;
  notApplicableResult: Readonly<RuleResult>;
}

export interface CompiledScoreItem {
  id: string;
  categoryId: string;
  /** Position of its category in the scorecard's categories. */
  categoryIndex: number;
  name: string;
  points: number;
  ruleIds: string[];
  /** Positions of those rules in CompiledRuleSet.rules (and so in an inspection's results). */
  ruleIndexes: number[];
  deduct: { perHit: number; max: number } | null;
  fatal: boolean;
  manual: boolean;
  naPolicy: NaPolicy;
}

export interface CompiledScorecard {
  id: string;
  name: string;
  businessLines: ReadonlySet<string>;
  isDefault: boolean;
  bands: BandDef[];
  categories: Array<{ id: string; name: string }>;
  items: CompiledScoreItem[];
}

export interface CompiledRuleSet {
  version: number | null;
  hash: string;
  rules: CompiledRule[];
  ruleIndex: ReadonlyMap<string, number>;
  scorecards: CompiledScorecard[];
  exact: KeywordScanner;
  /** Null when no condition asks for fuzzy matching (the fuzzy view is then never computed). */
  fuzzy: KeywordScanner | null;
  /** The rules with fuzzy words: a call none of them applies to is not scanned for fuzzy words. */
  fuzzyRules: CompiledRule[];
  /** Default order-number patterns plus the modules' own; null when no module adds any. */
  orderPatterns: RegExp[] | null;
  /** Every keywords node, for the term → node index. */
  keywordNodes: KeywordsNode[];
  /** Every regex node with a gate, indexed the same way (its gate as one group). */
  gatedRegexNodes: RegexNode[];
  /** 1 for every character of a negator used by a condition with negation (normalised): a cheap first check. */
  negationChars: Uint8Array;
  /** How many condition nodes (sizes the per-call cache). */
  nodeCount: number;
}

/** Whether a rule applies to a call's business line and channel (else its outcome is na). */
export function ruleApplies(r: CompiledRule, call: { businessLine: string | null; channel: CallChannel }): boolean {
  if (r.businessLines && !(call.businessLine !== null && r.businessLines.has(call.businessLine))) return false;
  return !r.channels || r.channels.has(call.channel);
}
