import type { Inspection } from '../domain/inspection.js';
import type { SummarySentence, TextAnalysis } from '../domain/text-analysis.js';
import { findPiiInText } from '../enrich/pii/find-pii.js';
import { redactText, redactTranscriptSegments } from '../enrich/pii/redact-text.js';
import type { CallDetail } from './call-query-service.js';

/**
 * A call as someone who may not see personal data sees it: the transcript with the PII spans the
 * enrich stage found masked, and every copy of a sentence elsewhere in the document — rule
 * evidence, the summary — replaced by its masked version. Masking keeps lengths, so evidence and
 * filler offsets still point at the same characters. The customer's phone number in the metadata
 * is masked too. Without a text analysis (not enriched yet) the sentences are scanned here.
 */
export function redactCallDetail(d: CallDetail): CallDetail {
  if (!d.transcript) return { ...d, call: { ...d.call, customerPhone: maskPhone(d.call.customerPhone) }, inspection: redactInspection(d.inspection, new Map()) };
  const pii =
    d.text?.pii ??
    d.transcript.segments.flatMap((s) => findPiiInText(s.text).map((m) => ({ segmentIndex: s.index, type: m.type, start: m.start, end: m.end, startMs: s.startMs, endMs: s.endMs })));
  const segments = redactTranscriptSegments(d.transcript.segments, pii);
  const byIndex = new Map(segments.map((s) => [s.index, s.text]));
  return {
    ...d,
    call: { ...d.call, customerPhone: maskPhone(d.call.customerPhone) },
    transcript: { ...d.transcript, segments },
    text: d.text ? redactSummary(d.text, byIndex) : null,
    inspection: redactInspection(d.inspection, byIndex),
  };
}

function redactInspection(i: Inspection | null, byIndex: Map<number, string>): Inspection | null {
  if (!i) return null;
  return {
    ...i,
    results: i.results.map((r) =>
      r.evidence.length === 0
        ? r
        : {
            ...r,
            evidence: r.evidence.map((e) => ({
              ...e,
              text: e.segmentIndex !== null ? (byIndex.get(e.segmentIndex) ?? maskFound(e.text)) : maskFound(e.text),
              ...(e.label !== undefined ? { label: maskFound(e.label) } : {}),
            })),
          },
    ),
  };
}

function redactSummary(t: TextAnalysis, byIndex: Map<number, string>): TextAnalysis {
  const s = (x: SummarySentence | null) => (x ? { ...x, text: byIndex.get(x.segmentIndex) ?? maskFound(x.text) } : null);
  return { ...t, summary: { ...t.summary, problem: s(t.summary.problem), actions: t.summary.actions.map((a) => s(a)!), outcomeEvidence: s(t.summary.outcomeEvidence) } };
}

const maskFound = (text: string) => redactText(text, findPiiInText(text));

/** 13812345678 → 138****5678: the metadata field identifies the customer to the people who may see the call at all. */
function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.includes('*')) return phone;
  return phone.length >= 7 ? `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}` : '*'.repeat(phone.length);
}
