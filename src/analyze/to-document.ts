import type { CallDetail } from '../calls/call-query-service.js';
import type { Call, CallMetadata } from '../domain/call.js';
import type { Inspection } from '../domain/inspection.js';
import type { Recording } from '../domain/recording.js';
import type { Signals } from '../domain/signals.js';
import type { TextAnalysis } from '../domain/text-analysis.js';
import type { Transcript } from '../domain/transcript.js';
import type { AnalysisDocument } from './analysis-document.schema.js';
import type { z } from 'zod';
import type { callDetailSchema, recordingSchema, storedCallSchema } from './analysis-document.schema.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Domain metadata → the document's `call` (times as ISO strings). */
export function metadataView(m: CallMetadata): AnalysisDocument['call'] {
  return {
    externalId: m.externalId,
    channel: m.channel,
    direction: m.direction,
    startedAt: iso(m.startedAt),
    durationMs: m.durationMs,
    agentId: m.agentId,
    teamId: m.teamId,
    businessLine: m.businessLine,
    customerPhone: m.customerPhone,
    customerTags: m.customerTags,
    consultType: m.consultType,
    language: m.language,
    extra: m.extra,
  };
}

export function storedCallView(c: Call): z.infer<typeof storedCallSchema> {
  return { ...metadataView(c), id: c.id, status: c.status, stages: c.stages, createdAt: iso(c.createdAt)!, updatedAt: iso(c.updatedAt)! };
}

export function recordingView(r: Recording): z.infer<typeof recordingSchema> {
  const { callId: _c, blobKey: _b, ...rest } = r;
  return rest;
}

const transcriptView = (t: Transcript | null) => (t ? { engine: t.engine, language: t.language, segments: t.segments } : null);

/** The one-shot analysis document (nothing stored). */
export function toAnalysisDocument(p: {
  metadata: CallMetadata;
  recording: Omit<Recording, 'callId' | 'blobKey'> | null;
  transcript: Transcript | null;
  signals: Signals | null;
  text: TextAnalysis | null;
  inspection: Inspection | null;
}): AnalysisDocument {
  return {
    call: metadataView(p.metadata),
    recording: p.recording,
    transcript: transcriptView(p.transcript),
    signals: p.signals,
    text: p.text,
    inspection: p.inspection,
  };
}

/** A stored call with everything computed so far. */
export function toCallDetail(p: CallDetail): z.infer<typeof callDetailSchema> {
  return {
    call: storedCallView(p.call),
    recording: p.recording ? recordingView(p.recording) : null,
    transcript: transcriptView(p.transcript),
    signals: p.signals,
    text: p.text,
    inspection: p.inspection,
  };
}
