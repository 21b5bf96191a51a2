import type { waveformSchema } from '../../../src/http/routes/call-waveform.schema';
import type { z } from 'zod';
import type { callDetailSchema, inspectionSchema, recordingSchema, segmentSchema, signalsSchema, textAnalysisSchema } from '../../../src/analyze/analysis-document.schema';
import { get } from './client';

/**
 * One call in full (GET /api/v1/calls/:id: callDetailSchema in src/analyze/analysis-document.schema.ts),
 * its waveform (GET /api/v1/calls/:id/waveform) and its recording's URL.
 */
export type CallDetail = z.infer<typeof callDetailSchema>;

export type Segment = z.infer<typeof segmentSchema>;
export type Speaker = Segment['speaker'];
export type TimeSpan = Pick<Segment, 'startMs' | 'endMs'>;

export type Recording = z.infer<typeof recordingSchema>;

export type Signals = z.infer<typeof signalsSchema>;
export type Side = Signals['interruptionEvents'][number]['by'];

export type TextAnalysis = z.infer<typeof textAnalysisSchema>;
export type Sentiment = TextAnalysis['segments'][number]['sentiment'];
export type SentimentLabel = Sentiment['label'];
export type CurvePoint = TextAnalysis['curve']['points'][number];
export type SummarySentence = TextAnalysis['summary']['actions'][number];

export type Inspection = z.infer<typeof inspectionSchema>;
export type RuleResult = Inspection['results'][number];
/** A rule's evidence: segmentIndex null for a call-level fact (a silence); spans are [start, end) of `text` in UTF-16 code units. */
export type Evidence = RuleResult['evidence'][number];
export type ScoreItem = NonNullable<Inspection['score']>['items'][number];

/** GET /api/v1/calls/:id/waveform (src/http/routes/call-waveform.schema.ts). */
export type Waveform = z.infer<typeof waveformSchema>;
export type ChannelRole = Waveform['channels'][number]['role'];

const callPath = (id: string) => `/api/v1/calls/${encodeURIComponent(id)}`;

export const fetchCallDetail = (id: string, signal?: AbortSignal) => get<CallDetail>(callPath(id), undefined, signal);
/** The waveform's resolution on the detail page (also asked for early by app/route-prefetch.ts). */
export const DETAIL_WAVEFORM_POINTS = 2000;
export const fetchWaveform = (id: string, points: number, signal?: AbortSignal) => get<Waveform>(`${callPath(id)}/waveform`, { points }, signal);
/** The recording (Range supported; roles without pii:view get a copy with personal data covered by a tone). */
export const callAudioUrl = (id: string) => `${callPath(id)}/audio`;
