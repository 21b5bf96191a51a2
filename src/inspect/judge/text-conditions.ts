import type { TextSpan } from '../../domain/inspection.js';
import { labelOf, scoreSentiment } from '../../enrich/sentiment/score-sentiment.js';
import type { EntityNode, RegexNode, SentimentNode, SimilarNode } from '../../rules/compile/compiled-rule-set.js';
import { findEntities, type EntityMatch } from '../../rules/entities/find-entities.js';
import { bigramCount, bigrams, charsInCommon, dice } from '../../rules/text/bigram-similarity.js';
import type { CallView } from './call-view.js';
import type { KeywordIndex } from './keyword-index.js';
import { EMPTY, sentenceMatch, type Match } from './match.js';
import { inScope, negated, quoted } from './text-scope.js';

/**
 * The text conditions judged sentence by sentence — regex, similarTo, sentiment, entity — and the
 * per-call caches they keep so that a sentence asked about by several conditions is worked on once.
 * Their exceptions are applied by the caller (withExceptions); keywords are in keyword-condition.ts.
 */

const SENTIMENT_NAME = { negative: '负面情绪', neutral: '中性', positive: '正面情绪' } as const;

export function regex(v: CallView, node: RegexNode, index: KeywordIndex, negationChars: Uint8Array): Match[] {
  const out: Match[] = [];
  const { re } = node;
  const gated = node.gate ? index.gatedSentences(node) : null;
  if (gated && gated.length === 0) return EMPTY;
  const count = gated ? gated.length : v.n;
  for (let k = 0; k < count; k++) {
    const p = gated ? gated[k]! : k;
    if (!inScope(v, node.scope, p)) continue;
    const text = v.norm(p);
    re.lastIndex = 0;
    let spans: TextSpan[] | null = null;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      if (node.negation && negated(v, negationChars, p, m.index, node.negators, node.negationWindow)) continue;
      if (node.ignoreQuoted && quoted(v, p, m.index)) continue;
      (spans ??= []).push({ start: m.index, end: m.index + m[0].length });
    }
    if (spans && !(node.not && node.not.test(text))) out.push(sentenceMatch(v, p, spans, [...new Set(spans.map((x) => v.segs[p]!.text.slice(x.start, x.end)))].join('、')));
  }
  return out;
}

/** What similarTo keeps per call (reset by begin) and from call to call (the buffers). */
export class SimilarityCache {
  /** Per sentence of this call: its bigrams, made on first use. */
  bigrams: Array<Int32Array | undefined> = [];
  readonly simCounts = new Int32Array(32);
  /** Per sentence of this call: its bigram count, -1 until computed. */
  bigramCount = new Int32Array(256).fill(-1);

  begin(n: number): void {
    this.bigrams = [];
    this.bigramCount.fill(-1, 0, Math.min(this.bigramCount.length, n));
  }
}

export function similar(v: CallView, node: SimilarNode, cache: SimilarityCache): Match[] {
  const out: Match[] = [];
  for (let p = 0; p < v.n; p++) {
    if (!inScope(v, node.scope, p)) continue;
    const text = v.norm(p);
    if (cache.bigramCount.length < v.n) cache.bigramCount = new Int32Array(v.n * 2).fill(-1);
    let a = cache.bigramCount[p]!;
    if (a < 0) cache.bigramCount[p] = a = bigramCount(text);
    let best = 0;
    const mask = node.exampleMask;
    if (mask) {
      // How many positions of the sentence hold a character of each example (an upper bound of shared bigrams).
      cache.simCounts.fill(0, 0, node.examples.length);
      for (let i = 0; i < text.length - 1; i++) {
        let bits = mask[text.charCodeAt(i)]!;
        while (bits !== 0) {
          const e = 31 - Math.clz32(bits);
          cache.simCounts[e]!++;
          bits &= ~(1 << e);
        }
      }
    }
    for (let e = 0; e < node.examples.length; e++) {
      const ex = node.examples[e]!;
      const b = ex.length;
      // Dice ≤ 2·min(a, b) / (a + b), and ≤ 2·(characters in common) / (a + b): most sentences fail one bound.
      const need = (node.threshold * (a + b)) / 2;
      // (with a little slack: need is a product of floats, and a sentence exactly at the threshold counts)
      if (Math.min(a, b) < need - 1e-9) continue;
      if ((mask ? cache.simCounts[e]! : charsInCommon(text, node.exampleChars[e]!)) < need - 1e-9) continue;
      best = Math.max(best, dice((cache.bigrams[p] ??= bigrams(text)), ex));
    }
    if (best >= node.threshold) out.push(sentenceMatch(v, p, [], `相似度 ${best.toFixed(2)}`));
  }
  return out;
}

/** Sentiment per sentence of this call (NaN until scored); cleared when a sentiment condition first asks on a call. */
export class SentimentScores {
  scores = new Float64Array(256);
  /** Whether scores belong to this call (begin sets it false). */
  current = false;

  begin(): void {
    this.current = false;
  }
}

/** Sentences whose sentiment lies in the node's band; each sentence is scored once per call, and only when a sentiment condition asks. */
export function sentiment(v: CallView, node: SentimentNode, cache: SentimentScores): Match[] {
  const out: Match[] = [];
  if (cache.scores.length < v.n) cache.scores = new Float64Array(v.n * 2);
  if (!cache.current) {
    cache.scores.fill(NaN, 0, v.n);
    cache.current = true;
  }
  const scores = cache.scores;
  for (let p = 0; p < v.n; p++) {
    if (!inScope(v, node.scope, p)) continue;
    let score = scores[p]!;
    if (Number.isNaN(score)) scores[p] = score = scoreSentiment(v.segs[p]!.text).score;
    if (score < node.min || score > node.max || (node.label !== null && labelOf(score) !== node.label)) continue;
    out.push(sentenceMatch(v, p, [], `${SENTIMENT_NAME[labelOf(score)]} ${score.toFixed(2)}`));
  }
  return out;
}

/** Entities per sentence, per distinct set of types asked (precedence between types depends on the set); cleared per call. */
export type EntityCache = Map<string, Array<EntityMatch[] | undefined>>;

export function entity(v: CallView, node: EntityNode, cache: EntityCache, orderPatterns: RegExp[] | null): Match[] {
  const out: Match[] = [];
  for (let p = 0; p < v.n; p++) {
    if (!inScope(v, node.scope, p)) continue;
    let perSentence = cache.get(node.typesKey);
    if (!perSentence) cache.set(node.typesKey, (perSentence = []));
    const found = (perSentence[p] ??= findEntities(v.segs[p]!.text, node.types, orderPatterns ? { orderPatterns } : {}));
    const hits = found.filter((e) => node.masked === 'include' || (node.masked === 'only') === e.masked);
    if (hits.length) out.push(sentenceMatch(v, p, hits.map((e) => ({ start: e.start, end: e.end })), [...new Set(hits.map((e) => e.type))].join('、')));
  }
  return out;
}
