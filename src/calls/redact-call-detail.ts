import type { Call } from '../domain/call.js';
import type { Evidence, Inspection } from '../domain/inspection.js';
import type { SummarySentence, TextAnalysis } from '../domain/text-analysis.js';
import { findPii } from '../enrich/pii/find-pii.js';
import { maskPii, redactTranscriptSegments } from '../enrich/pii/redact-text.js';
import type { CallDetail } from './call-query-service.js';

/**
 * A call as someone who may not see personal data sees it. Masked: the transcript (the PII spans
 * the enrich stage stored, plus whatever the detector finds now — the stored analysis may come
 * from an older detector), every copy of a sentence elsewhere in the document (rule evidence and
 * its labels, the summary), and the metadata integrators fill with numbers (customer phone,
 * external id, customer tags, extra fields, the recording's file name). Masking keeps lengths,
 * so evidence, filler and summary offsets still point at the same characters.
 */
/** A call's metadata with the customer's phone and any personal data in ids, tags and extra fields masked. */
export const redactCall = (c: Call): Call => ({
  ...c,
  customerPhone: maskPhone(c.customerPhone),
  externalId: c.externalId === null ? null : maskPii(c.externalId),
  customerTags: c.customerTags.map(maskPii),
  extra: Object.fromEntries(Object.entries(c.extra).map(([k, v]) => [k, maskPii(v)])),
});

export function redactCallDetail(d: CallDetail): CallDetail {
  const call = redactCall(d.call);
  const recording = d.recording ? { ...d.recording, originalName: d.recording.originalName === null ? null : maskPii(d.recording.originalName) } : null;
  if (!d.transcript) return { ...d, call, recording, inspection: redactInspection(d.inspection, new Map()) };
  const pii = [...(d.text?.pii ?? []), ...findPii(d.transcript.segments)];
  const masked = redactTranscriptSegments(d.transcript.segments, pii);
  const bySegment = new Map(d.transcript.segments.map((s, i) => [s.index, { original: s.text, masked: masked[i]!.text }]));
  return {
    ...d,
    call,
    recording,
    transcript: { ...d.transcript, segments: masked },
    text: d.text ? redactSummary(d.text, bySegment) : null,
    inspection: redactInspection(d.inspection, bySegment),
  };
}

type Sentences = Map<number, { original: string; masked: string }>;

function redactInspection(i: Inspection | null, bySegment: Sentences): Inspection | null {
  if (!i) return null;
  return { ...i, results: i.results.map((r) => (r.evidence.length === 0 ? r : { ...r, evidence: r.evidence.map((e) => redactEvidence(e, bySegment)) })) };
}

/**
 * Evidence text is its segment's text: the masked segment. A label may quote part of the sentence
 * (a regex's match: 号是1381234), which the detector no longer recognises as a number: each
 * matched span's original characters in the label are replaced by the masked ones first.
 */
function redactEvidence(e: Evidence, bySegment: Sentences): Evidence {
  const seg = e.segmentIndex !== null ? bySegment.get(e.segmentIndex) : undefined;
  const text = seg ? seg.masked : maskPii(e.text);
  if (e.label === undefined) return { ...e, text };
  let label = e.label;
  if (seg) {
    for (const span of e.spans) {
      const original = seg.original.slice(span.start, span.end);
      const maskedPart = seg.masked.slice(span.start, span.end);
      if (original && original !== maskedPart) label = label.split(original).join(maskedPart);
    }
  }
  return { ...e, text, label: maskPii(label) };
}

/** Evidence quoted outside its call's transcript (dry-run examples): its text and label masked on their own. */
export const maskEvidence = (e: Evidence): Evidence => redactEvidence(e, new Map());

/** Summary sentences are pieces of a segment: the same piece of the masked segment. */
function redactSummary(t: TextAnalysis, bySegment: Sentences): TextAnalysis {
  const piece = (x: SummarySentence): SummarySentence => {
    const seg = bySegment.get(x.segmentIndex);
    const at = seg ? seg.original.indexOf(x.text) : -1;
    return { ...x, text: seg && at >= 0 ? seg.masked.slice(at, at + x.text.length) : maskPii(x.text) };
  };
  const s = t.summary;
  return {
    ...t,
    summary: {
      ...s,
      problem: s.problem ? piece(s.problem) : null,
      actions: s.actions.map(piece),
      outcomeEvidence: s.outcomeEvidence ? piece(s.outcomeEvidence) : null,
    },
  };
}


/**
 * 13812345678 → 138****5678, the form staff know (head and tail, the middle masked) for numbers of
 * 11 characters or more; a shorter (local, 7–8 digit) number keeps only its last two digits —
 * head and tail would leave it nearly whole.
 */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const n = phone.length;
  if (n >= 11) return `${phone.slice(0, 3)}${'*'.repeat(n - 7)}${phone.slice(-4)}`;
  return n > 2 ? `${'*'.repeat(n - 2)}${phone.slice(-2)}` : '*'.repeat(n);
}
