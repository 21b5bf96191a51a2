import type { SegmentText, Sentiment, TextAnalysis } from '../domain/text-analysis.js';
import type { TranscriptSegment } from '../domain/transcript.js';
import { findPii } from './pii/find-pii.js';
import { emotionCurve } from './sentiment/emotion-curve.js';
import { labelOf, scoreSentiment } from './sentiment/score-sentiment.js';
import { summarizeCall } from './summary/summarize-call.js';
import { tagFillers } from './text/fillers.js';
import { assignTopics } from './topics/assign-topics.js';
import type { Taxonomy } from './topics/taxonomy.js';
import type { Segmenter } from './text/segmenter.js';

/** What the text analysis is configured with (loaded once per process: src/enrich/text-analyzers.ts). */
export interface TextAnalyzers {
  taxonomy: Taxonomy;
  /** jieba with the customer-service words and the user's dictionary (topic discovery). */
  segmenter: Segmenter;
}

/**
 * What the words of one call mean: sentiment and fillers per segment, the customer's emotion
 * curve, topics, an extractive summary and the personal data said. Pure and deterministic —
 * the enrich stage stores it, `tingjian analyze` prints it, and the same transcript always gives
 * the same analysis.
 * @example analyzeText(transcript.segments, { taxonomy: loadDefaultTaxonomy() })
 */
export function analyzeText(segments: readonly TranscriptSegment[], analyzers: TextAnalyzers): TextAnalysis {
  const sentiments = segments.map((s) => scoreSentiment(s.text));
  const perSegment: SegmentText[] = segments.map((s, i) => ({ index: s.index, sentiment: sentiments[i]!, fillers: tagFillers(s.text) }));
  return {
    version: 1,
    segments: perSegment,
    customerSentiment: customerSentiment(segments, sentiments),
    curve: emotionCurve(segments, sentiments),
    topics: assignTopics(segments, analyzers.taxonomy),
    summary: summarizeCall(segments),
    pii: findPii(segments),
  };
}

/**
 * The customer's sentiment over the call: the mean of their sentences' scores (neutral sentences
 * included, so one sharp remark in a calm call stays mildly negative), labelled like a sentence.
 */
function customerSentiment(segments: readonly TranscriptSegment[], sentiments: readonly Sentiment[]): Sentiment | null {
  let sum = 0;
  let n = 0;
  segments.forEach((s, i) => {
    if (s.speaker !== 'customer') return;
    sum += sentiments[i]!.score;
    n++;
  });
  if (n === 0) return null;
  const score = Math.round((sum / n) * 1000) / 1000;
  return { score, label: labelOf(score) };
}
