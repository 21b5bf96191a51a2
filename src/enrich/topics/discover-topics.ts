import { Segmenter } from '../text/segmenter.js';
import { sphericalKMeans, unitMean } from './kmeans.js';
import { periodOf, type PeriodUnit } from './periods.js';
import { STOPWORDS } from './stopwords.js';
import type { Taxonomy } from './taxonomy.js';
import { tfIdf } from './tfidf.js';
import { matcherOf } from './topic-matcher.js';

export interface DiscoveryCall {
  callId: string;
  /** When the call happened (epoch ms). */
  at: number;
  customerTexts: string[];
}

export interface DiscoverOptions {
  /** Clusters to form; default √(utterances / 5), between 2 and 30. */
  k?: number;
  /** Seed of the k-means++ draw; the same calls and seed give the same clusters. Default 1. */
  seed?: number;
  /** Count calls per day (`YYYY-MM-DD`, default) or per ISO week (`YYYY-Www`). */
  period?: PeriodUnit;
  /** Calendar dates are read on a clock this far ahead of UTC; default 480 (China). */
  utcOffsetMinutes?: number;
  /** A word must be in at least this many utterances to count; default 2. */
  minDocumentFrequency?: number;
  /** A word in more than this share of utterances is dropped (订单, 快递 when everyone says them); default 0.2. */
  maxDocumentShare?: number;
  /**
   * An utterance less like its cluster's centroid than this (cosine) is left out of it: short
   * texts that share no topic word with anything (好的, 那怎么办) otherwise pile up in one grab-bag
   * cluster whose label means nothing. Default 0.3.
   */
  minSimilarity?: number;
  /** Clusters touching fewer calls are left out; default 2. */
  minCalls?: number;
  /** Keywords per cluster; default 6. */
  keywords?: number;
  /** Example utterances per cluster (the most typical, distinct); default 3. */
  examples?: number;
  /** With a taxonomy each cluster says which topic covers it, or that none does (emerging). */
  taxonomy?: Taxonomy;
  /** A cluster is emerging when less than this share of its utterances match a taxonomy topic; default 0.4. */
  coveredShare?: number;
  /** Words to leave out on top of STOPWORDS (product or shop names everyone says). */
  stopwords?: Iterable<string>;
  /** Default: the built-in customer-service words. */
  segmenter?: Segmenter;
}

export interface DiscoveredTopic {
  /** `cluster-1` …, largest first. */
  id: string;
  /** The heaviest words of the cluster's centroid. */
  keywords: string[];
  /** Calls with an utterance in the cluster. */
  size: number;
  utterances: number;
  examples: string[];
  /** Calls per period, periods ascending. */
  counts: Array<{ period: string; calls: number }>;
  /** Mean cosine of its utterances to the centroid: low means a grab bag of unrelated sentences. */
  cohesion: number;
  /** The taxonomy topic most of its utterances match, or null (also without a taxonomy). */
  taxonomyTopic: string | null;
  /** Share of its utterances that match some taxonomy topic (0 without a taxonomy). */
  coverage: number;
  /** A taxonomy was given and covers less than coveredShare of the cluster: a topic it lacks. */
  emerging: boolean;
}

interface Utterance {
  call: DiscoveryCall;
  text: string;
  words: string[];
}

const HAN = /\p{Script=Han}/u;
/** Links and order codes say nothing about the topic and would outweigh the words. */
const NOISE = /https?:\/\/\S+|www\.\S+/g;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Topics nobody labelled, from what customers said: each customer utterance becomes its content
 * words (jieba search mode with the customer-service dictionary, so 物流信息 also counts as 物流;
 * no stopwords, no single characters, Chinese words only), TF-IDF vectors, spherical k-means seeded deterministically; each cluster is
 * labelled with its centroid's heaviest words, shown through its most typical utterances, and
 * its calls are counted per period, so a topic that grows this week stands out. With a taxonomy,
 * clusters it does not cover are flagged as emerging: candidates for a new topic.
 *
 * Utterances, not whole calls, are clustered: a call about a late parcel and an invoice belongs
 * to both clusters. Pure apart from the segmenter's first use (jieba's dictionary).
 * @example discoverTopics(calls, { taxonomy: loadDefaultTaxonomy(), period: 'week' })
 */
export function discoverTopics(calls: readonly DiscoveryCall[], opts: DiscoverOptions = {}): DiscoveredTopic[] {
  const segmenter = opts.segmenter ?? new Segmenter();
  const stop = new Set([...STOPWORDS, ...(opts.stopwords ?? [])]);
  // Sorted, so the result does not depend on the order the calls come in.
  const ordered = [...calls].sort((a, b) => a.at - b.at || (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0));
  const utterances: Utterance[] = [];
  for (const call of ordered) {
    for (const text of call.customerTexts) {
      const words = segmenter.words(text.replace(NOISE, ' ')).filter((w) => w.length >= 2 && HAN.test(w) && !stop.has(w));
      if (words.length) utterances.push({ call, text, words });
    }
  }
  const { terms, vectors } = tfIdf(
    utterances.map((u) => u.words),
    { minDocumentFrequency: opts.minDocumentFrequency ?? 2, maxDocumentShare: opts.maxDocumentShare ?? 0.2 },
  );
  const k = opts.k ?? Math.min(30, Math.max(2, Math.round(Math.sqrt(utterances.length / 5))));
  const { assignment, centroids, similarity } = sphericalKMeans(vectors, terms.length, k, opts.seed ?? 1);

  const matcher = opts.taxonomy ? matcherOf(opts.taxonomy) : null;
  const clusters: Array<Omit<DiscoveredTopic, 'id'>> = [];
  centroids.forEach((_, j) => {
    const minSimilarity = opts.minSimilarity ?? 0.3;
    const members = utterances.map((_, i) => i).filter((i) => assignment[i] === j && similarity[i]! >= minSimilarity);
    const callIds = new Set(members.map((i) => utterances[i]!.call.callId));
    if (members.length === 0 || callIds.size < (opts.minCalls ?? 2)) return;

    // Labelled by the members kept, not by the outliers that pulled the k-means centroid about.
    const centroid = unitMean(vectors, members, terms.length);
    const keywords = [...centroid.keys()]
      .filter((t) => centroid[t]! > 0)
      .sort((a, b) => centroid[b]! - centroid[a]! || a - b)
      .slice(0, opts.keywords ?? 6)
      .map((t) => terms[t]!);

    const typical = [...members].sort((a, b) => similarity[b]! - similarity[a]! || a - b);
    const examples = [...new Set(typical.map((i) => utterances[i]!.text.trim()))].slice(0, opts.examples ?? 3);

    const perPeriod = new Map<string, Set<string>>();
    for (const i of members) {
      const { call } = utterances[i]!;
      const p = periodOf(call.at, opts.period ?? 'day', opts.utcOffsetMinutes ?? 480);
      let set = perPeriod.get(p);
      if (!set) perPeriod.set(p, (set = new Set()));
      set.add(call.callId);
    }
    const counts = [...perPeriod].sort(([a], [b]) => (a < b ? -1 : 1)).map(([period, set]) => ({ period, calls: set.size }));

    let covered = 0;
    const votes = new Map<number, number>();
    if (matcher) {
      for (const i of members) {
        const found = matcher.match(utterances[i]!.text);
        if (found.size) covered++;
        for (const t of found.keys()) votes.set(t, (votes.get(t) ?? 0) + 1);
      }
    }
    const coverage = members.length ? covered / members.length : 0;
    const top = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    const emerging = matcher !== null && coverage < (opts.coveredShare ?? 0.4);
    clusters.push({
      keywords,
      size: callIds.size,
      utterances: members.length,
      examples,
      counts,
      cohesion: round3(members.reduce((s, i) => s + similarity[i]!, 0) / members.length),
      taxonomyTopic: top && !emerging ? opts.taxonomy!.topics[top[0]]!.id : null,
      coverage: round3(coverage),
      emerging,
    });
  });
  clusters.sort((a, b) => b.size - a.size || b.utterances - a.utterances || (a.keywords.join() < b.keywords.join() ? -1 : 1));
  return clusters.map((c, i) => ({ id: `cluster-${i + 1}`, ...c }));
}
