import type { TopicAssignment } from '../../domain/text-analysis.js';
import type { TranscriptSegment } from '../../domain/transcript.js';
import type { Taxonomy } from './taxonomy.js';
import { matcherOf } from './topic-matcher.js';

export type TopicSegment = Pick<TranscriptSegment, 'index' | 'speaker' | 'text'>;

/** A term met again in a later sentence adds this share of its weight: repetition is weak evidence. */
const REPEAT = 0.3;
/** A pattern is written for one topic's phrasing (等了三天), so it counts more than a single keyword. */
const PATTERN = 1.5;
/** Score → confidence: 1 − e^(−score/SCALE). One customer keyword 0.39, two 0.63, three 0.78. */
const SCALE = 2;

/**
 * What a call is about, by the taxonomy's keywords and patterns: each distinct term found adds the
 * weight of who said it (the customer's words say what the call is about; the agent's mostly echo
 * or explain, so they count less — speakerWeights), confidence grows with the evidence and is
 * capped below 1. Topics under minConfidence are dropped; at most maxTopics, most confident
 * first (ties by id), each with the segments that support it. Deterministic and pure.
 * @example assignTopics(transcript.segments, loadDefaultTaxonomy())
 */
export function assignTopics(segments: readonly TopicSegment[], taxonomy: Taxonomy): TopicAssignment[] {
  const matcher = matcherOf(taxonomy);
  const score = new Map<number, number>();
  const seen = new Map<number, Set<string>>();
  const support = new Map<number, Set<number>>();
  for (const seg of segments) {
    const weight = taxonomy.speakerWeights[seg.speaker];
    if (weight <= 0) continue;
    for (const [t, terms] of matcher.match(seg.text)) {
      let had = seen.get(t);
      if (!had) seen.set(t, (had = new Set()));
      let add = 0;
      for (const term of terms) {
        add += weight * (term.startsWith('/') ? PATTERN : 1) * (had.has(term) ? REPEAT : 1);
        had.add(term);
      }
      score.set(t, (score.get(t) ?? 0) + add);
      let segs = support.get(t);
      if (!segs) support.set(t, (segs = new Set()));
      segs.add(seg.index);
    }
  }
  const out: TopicAssignment[] = [];
  for (const [t, s] of score) {
    const confidence = Math.round((1 - Math.exp(-s / SCALE)) * 1000) / 1000;
    if (confidence < taxonomy.minConfidence) continue;
    const topic = taxonomy.topics[t]!;
    out.push({ id: topic.id, name: topic.name, confidence, segments: [...support.get(t)!].sort((a, b) => a - b), source: 'rule' });
  }
  out.sort((a, b) => b.confidence - a.confidence || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out.slice(0, taxonomy.maxTopics);
}
