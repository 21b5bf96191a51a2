import type { Call } from '../domain/call.js';
import type { Inspection } from '../domain/inspection.js';
import type { TextAnalysis } from '../domain/text-analysis.js';
import type { Transcript } from '../domain/transcript.js';
import type { SearchDoc, SearchInspectionUpdate } from '../ports/repositories.js';
import { indexTokens } from './search-tokens.js';

/** The score and the rules that hit, as the search index keeps them from an inspection. */
export function inspectionFacets(inspection: Inspection | null): Pick<SearchInspectionUpdate, 'scorePercent' | 'ruleIds'> & { ruleSetVersion: number | null } {
  return {
    ruleSetVersion: inspection?.ruleSetVersion ?? null,
    scorePercent: inspection?.score?.percent ?? null,
    ruleIds: [...new Set((inspection?.results ?? []).filter((r) => r.outcome === 'hit').map((r) => r.ruleId))],
  };
}

/**
 * A call's search document: its metadata, the latest inspection (score, rules that hit), the
 * text analysis (customer sentiment, topics) and the tokens of its transcript. Every part but the
 * call may be missing: a call without a transcript is still found by its filters.
 */
export function searchDocument(input: { call: Call; transcript: Transcript | null; inspection: Inspection | null; analysis: TextAnalysis | null }): SearchDoc {
  const { call, transcript, inspection, analysis } = input;
  const sentiment = analysis?.customerSentiment ?? null;
  return {
    callId: call.id,
    externalId: call.externalId,
    // As the calls list and re-inspection filters read a call's time.
    at: call.startedAt ?? call.createdAt,
    agentId: call.agentId,
    teamId: call.teamId,
    businessLine: call.businessLine,
    channel: call.channel,
    ...inspectionFacets(inspection),
    customerSentiment: sentiment?.score ?? null,
    sentimentLabel: sentiment?.label ?? null,
    topics: [...new Set((analysis?.topics ?? []).map((t) => t.id))],
    tokens: indexTokens((transcript?.segments ?? []).map((s) => s.text)),
  };
}
