/**
 * What the words of a call mean: computed by the enrich stage from the transcript, stored beside
 * it (artifact `text-analysis`), shown by `tingjian analyze --json`, the call detail and search.
 * Offsets are UTF-16 offsets into the segment's original `text` (as in rule evidence), so the
 * console can highlight exactly what was said. Pure data, no I/O.
 */
import type { TextSpan } from './inspection.js';

export type SentimentLabel = 'positive' | 'neutral' | 'negative';

export interface Sentiment {
  /** -1 (very negative) .. 1 (very positive), 0 neutral. */
  score: number;
  label: SentimentLabel;
}

/** Per transcript segment. */
export interface SegmentText {
  /** The transcript segment's index. */
  index: number;
  sentiment: Sentiment;
  /** Filler words (嗯, 那个, 就是 …) tagged, not deleted: spans into the text. */
  fillers: TextSpan[];
}

export interface CurvePoint {
  segmentIndex: number;
  /** The segment's start. */
  atMs: number;
  /** Smoothed score -1..1. */
  score: number;
}

/** The customer's emotion over the call (customer segments only). */
export interface EmotionCurve {
  points: CurvePoint[];
  start: number | null;
  end: number | null;
  lowest: CurvePoint | null;
  /** Where the smoothed curve changes direction markedly (e.g. calmed down after an apology). */
  turningPoints: Array<CurvePoint & { direction: 'up' | 'down' }>;
  trend: 'improved' | 'worsened' | 'stable' | null;
}

export interface TopicAssignment {
  /** Taxonomy id, e.g. `logistics-delay`. */
  id: string;
  /** Display name, e.g. 物流延迟. */
  name: string;
  /** 0..1. */
  confidence: number;
  /** Segments that support it. */
  segments: number[];
  source: 'rule' | 'classifier';
}

export interface SummarySentence {
  segmentIndex: number;
  text: string;
}

export type CallOutcome = 'resolved' | 'follow_up' | 'unresolved';

/** Extractive: sentences of the call itself. */
export interface CallSummary {
  /** The customer's problem. */
  problem: SummarySentence | null;
  /** What the agent did. */
  actions: SummarySentence[];
  outcome: CallOutcome;
  /** The sentence the outcome was read from, if any. */
  outcomeEvidence: SummarySentence | null;
}

export type PiiType = 'phone' | 'idCard' | 'bankCard' | 'email' | 'address';

export interface PiiSpan {
  segmentIndex: number;
  type: PiiType;
  /** Offsets into the segment's text. */
  start: number;
  end: number;
  /** Where in the audio (interpolated over the segment when there are no word times). */
  startMs: number;
  endMs: number;
}

export interface TextAnalysis {
  /** Bumped when the analysis changes shape or method. */
  version: 1;
  segments: SegmentText[];
  /** Mean of the customer's segment scores; null without customer speech. */
  customerSentiment: Sentiment | null;
  curve: EmotionCurve;
  topics: TopicAssignment[];
  summary: CallSummary;
  pii: PiiSpan[];
}
