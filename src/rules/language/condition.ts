import type { EntityType } from '../entities/find-entities.js';

/**
 * The rule language's conditions: what QA managers write in YAML/JSON (docs/rules.md) and send
 * through the API. A condition is an object with exactly one *kind* key (keywords, regex, …) plus
 * the modifiers that kind allows. Text conditions produce matches (sentence + characters); call
 * conditions (duration, metadata) and signal conditions (silence, interruptions) produce
 * call-level matches with a time span.
 */

export type RoleFilter = 'agent' | 'customer' | 'any';
export const ROLE_FILTERS = ['agent', 'customer', 'any'] as const;

/** First/last N sentences (of the condition's speaker) or first/last N seconds of the call. */
export interface RangeSpec {
  sentences?: number;
  seconds?: number;
}

/** Where a text condition looks and what cancels a match. */
export interface TextScope {
  speaker?: RoleFilter;
  first?: RangeSpec;
  last?: RangeSpec;
  /** A match is cancelled when this holds in the same sentence, or in the next sentence of that speaker. */
  except?: Condition;
  exceptIn?: 'same' | 'next' | 'sameOrNext';
}

export type KeywordList = string[] | { any: string[] } | { all: string[] } | { atLeast: number; of: string[] };

export interface KeywordsCondition extends TextScope {
  /** A word may carry synonyms inline: `退款|退钱|返款` (any of them counts as the word). */
  keywords: KeywordList;
  /** More synonyms per word, merged with the module's `synonyms`. */
  synonyms?: Record<string, string[]>;
  /** Match words that sound alike (pinyin, confusable initials/finals merged) to survive ASR errors. */
  fuzzy?: boolean;
  /** Ignore a word preceded by a negation (不, 没有, 并不是 … or the module's `negators`): 不保本 is not 保本. */
  negation?: boolean;
  /** Ignore words inside quotes (“…”, 「…」, "…"): the agent quoting what someone said. */
  ignoreQuoted?: boolean;
  /** all / atLeast: within one sentence (default) or across the whole range. */
  scope?: 'sentence' | 'call';
  caseSensitive?: boolean;
}

export interface RegexCondition extends TextScope {
  regex: string | { pattern: string; not?: string; ignoreCase?: boolean };
  negation?: boolean;
  ignoreQuoted?: boolean;
}

export interface SimilarCondition extends TextScope {
  /** Character-bigram similarity (Dice, 0..1) to the closest example; offline, deterministic. */
  similarTo: { examples: string[]; threshold?: number };
}

export interface SentimentCondition extends TextScope {
  /**
   * Sentences whose sentiment (the enrich stage's scorer: -1 very negative … 1 very positive)
   * has this label and a score at or below `below` and at or above `above` (each if given).
   */
  sentiment: { label?: 'negative' | 'neutral' | 'positive'; below?: number; above?: number };
}

export interface EntityCondition extends TextScope {
  /** masked mentions (尾号1234, 138****5678): exclude (default), include, or only them. */
  entity: { types: EntityType[]; masked?: 'exclude' | 'include' | 'only' };
}

export interface WindowSpec {
  /** Sentences of the followed-up condition's speaker (a turn = one of their sentences). */
  turns?: number;
  segments?: number;
  seconds?: number;
}

/**
 * Anchor + window: after (or before) each sentence matching the anchor, within the window, the
 * `expect` condition must hold (matches: anchors left without it) or `forbid` must not (matches:
 * the forbidden sentences in a window).
 */
export interface FollowUpCondition {
  followUp: {
    after?: Condition;
    before?: Condition;
    expect?: Condition;
    forbid?: Condition;
    within: WindowSpec;
  };
}

export interface SilenceCondition {
  /** Dead air longer than N seconds, unless a sentence matching `unless` ended within `noticeWithin` seconds before it (a hold notice). */
  silence: { longerThan: number; unless?: Condition; noticeWithin?: number };
}

export interface InterruptionsCondition {
  /**
   * takesFloor: count only cut-ins that take the turn — the one who cut in is still speaking when
   * the other has stopped; a 嗯对对 inside the customer's sentence (a backchannel) does not count.
   */
  interruptions: { by?: RoleFilter; atLeast?: number; minOverlap?: number; takesFloor?: boolean };
}

export interface OverlapCondition {
  overlap: { by?: RoleFilter; longerThan: number };
}

export interface SpeechRateCondition {
  speechRate: { speaker?: 'agent' | 'customer'; above?: number; below?: number; per?: 'call' | 'sentence'; minChars?: number };
}

export interface LoudnessCondition {
  loudness: { speaker?: 'agent' | 'customer'; above?: number; below?: number };
}

export interface DurationCondition {
  /** Seconds. `outside: [180, 480]` holds for calls shorter than 3 or longer than 8 minutes. */
  duration: { outside?: [number, number]; below?: number; above?: number };
}

export interface MetadataCondition {
  metadata: { field: string; in?: string[]; notIn?: string[]; gte?: number; lte?: number; exists?: boolean };
}

export interface AllCondition {
  all: Condition[];
}
export interface AnyCondition {
  any: Condition[];
}
export interface NotCondition {
  not: Condition;
}

export type TextCondition = KeywordsCondition | RegexCondition | SimilarCondition | EntityCondition | SentimentCondition;

export type Condition =
  | TextCondition
  | FollowUpCondition
  | SilenceCondition
  | InterruptionsCondition
  | OverlapCondition
  | SpeechRateCondition
  | LoudnessCondition
  | DurationCondition
  | MetadataCondition
  | AllCondition
  | AnyCondition
  | NotCondition;

export const TEXT_KINDS = ['keywords', 'regex', 'similarTo', 'entity', 'sentiment'] as const;
export const SIGNAL_KINDS = ['silence', 'interruptions', 'overlap', 'speechRate', 'loudness'] as const;
export const CALL_KINDS = ['duration', 'metadata'] as const;
export const LOGIC_KINDS = ['all', 'any', 'not', 'followUp'] as const;
export const CONDITION_KINDS = [...TEXT_KINDS, ...SIGNAL_KINDS, ...CALL_KINDS, ...LOGIC_KINDS] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** The metadata fields a `metadata` condition may test; `extra.<name>` reads integrator fields (e.g. extra.agentTenureMonths). */
export const METADATA_FIELDS = ['channel', 'direction', 'businessLine', 'agentId', 'teamId', 'consultType', 'customerTags', 'language'] as const;
