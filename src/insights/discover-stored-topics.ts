import { discoverTopics, type DiscoveredTopic, type DiscoveryCall } from '../enrich/topics/discover-topics.js';
import type { PeriodUnit } from '../enrich/topics/periods.js';
import type { TextAnalyzers } from '../enrich/analyze-text.js';
import type { Database, ReinspectionFilter } from '../ports/repositories.js';

export interface StoredTopicsOptions {
  filter: ReinspectionFilter;
  /** At most this many calls (default 5,000): clustering is in memory. */
  limit?: number;
  period?: PeriodUnit;
  k?: number | undefined;
  /** The clock calendar days are counted on (the config's default UTC offset, e.g. +08:00). */
  utcOffset: string;
  onProgress?: (read: number, total: number) => void;
}

export interface StoredTopicsReport {
  /** Calls read (those with a transcript and customer speech take part). */
  calls: number;
  callsWithCustomerSpeech: number;
  topics: DiscoveredTopic[];
}

const BATCH = 500;

/**
 * Topics nobody labelled, over stored calls: the customer's sentences of the calls the filter
 * matches (in id order, up to `limit`), clustered by discoverTopics, each cluster counted per
 * day or week and flagged `emerging` when the taxonomy does not cover it. Reads, stores nothing.
 */
export async function discoverStoredTopics(db: Database, analyzers: Pick<TextAnalyzers, 'taxonomy' | 'segmenter'>, opts: StoredTopicsOptions): Promise<StoredTopicsReport> {
  const limit = opts.limit ?? 5000;
  const total = Math.min(limit, await db.repos.calls.countForReinspection(opts.filter));
  const calls: DiscoveryCall[] = [];
  let read = 0;
  let after: string | null = null;
  while (read < total) {
    const page = await db.repos.calls.listForReinspection(opts.filter, after, Math.min(BATCH, total - read));
    if (!page.length) break;
    const transcripts = await db.repos.transcripts.getMany(page.map((c) => c.id));
    for (const c of page) {
      const t = transcripts.get(c.id);
      const customerTexts = t?.segments.filter((s) => s.speaker === 'customer').map((s) => s.text) ?? [];
      if (customerTexts.length) calls.push({ callId: c.id, at: c.startedAt ?? c.createdAt, customerTexts });
    }
    read += page.length;
    after = page[page.length - 1]!.id;
    opts.onProgress?.(read, total);
  }
  const topics = discoverTopics(calls, {
    taxonomy: analyzers.taxonomy,
    segmenter: analyzers.segmenter,
    utcOffsetMinutes: offsetMinutes(opts.utcOffset),
    ...(opts.period ? { period: opts.period } : {}),
    ...(opts.k ? { k: opts.k } : {}),
  });
  return { calls: read, callsWithCustomerSpeech: calls.length, topics };
}

/** '+08:00' → 480. */
function offsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) return 480;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
