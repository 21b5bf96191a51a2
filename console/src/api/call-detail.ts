import { get } from './client';
import type { StoredCall } from './call-list';

/**
 * One call in full (GET /api/v1/calls/:id: callDetailSchema in src/analyze/analysis-document.schema.ts),
 * its waveform (GET /api/v1/calls/:id/waveform) and its recording's URL.
 */
export type Speaker = 'agent' | 'customer' | 'unknown';
export type Side = 'agent' | 'customer';

export interface TimeSpan {
  startMs: number;
  endMs: number;
}

export interface Segment extends TimeSpan {
  index: number;
  speaker: Speaker;
  text: string;
  rawText?: string;
  confidence?: number;
}

export interface Recording {
  format: string;
  codec: string;
  sampleRate: number;
  channels: number;
  channelRoles: Speaker[];
  durationMs: number;
  sha256: string;
  sizeBytes: number;
  originalName: string | null;
}

type Level = number | null;
export interface Signals {
  source: 'transcript' | 'audio';
  durationMs: number;
  talkMs: { agent: number; customer: number };
  unattributedTalkMs: number;
  talkRatio: { agent: number | null; customer: number | null };
  silence: { totalMs: number; longestMs: number; spans: TimeSpan[] };
  holds: TimeSpan[];
  overlaps: Array<TimeSpan & { by: Side }>;
  interruptions: { agent: number; customer: number };
  interruptionEvents: Array<{ atMs: number; by: Side; cutOff: Side; overlapMs: number }>;
  speechRate: { agent: number | null; customer: number | null };
  loudness: { agent: { rmsDbfs: Level; peakDbfs: Level } | null; customer: { rmsDbfs: Level; peakDbfs: Level } | null } | null;
}

export type SentimentLabel = 'positive' | 'neutral' | 'negative';
export interface Sentiment {
  score: number;
  label: SentimentLabel;
}
export interface CurvePoint {
  segmentIndex: number;
  atMs: number;
  score: number;
}
export interface SummarySentence {
  segmentIndex: number;
  text: string;
}

export interface TextAnalysis {
  version: 1;
  segments: Array<{ index: number; sentiment: Sentiment; fillers: Array<{ start: number; end: number }> }>;
  customerSentiment: Sentiment | null;
  curve: {
    points: CurvePoint[];
    start: number | null;
    end: number | null;
    lowest: CurvePoint | null;
    turningPoints: Array<CurvePoint & { direction: 'up' | 'down' }>;
    trend: 'improved' | 'worsened' | 'stable' | null;
  };
  topics: Array<{ id: string; name: string; confidence: number; segments: number[]; source: 'rule' | 'classifier' }>;
  summary: { problem: SummarySentence | null; actions: SummarySentence[]; outcome: 'resolved' | 'follow_up' | 'unresolved'; outcomeEvidence: SummarySentence | null };
  pii: Array<{ segmentIndex: number; type: string; start: number; end: number; startMs: number; endMs: number }>;
}

export interface Evidence extends TimeSpan {
  /** null for a call-level fact (a silence). */
  segmentIndex: number | null;
  text: string;
  /** [start, end) of `text` in UTF-16 code units. */
  spans: Array<{ start: number; end: number }>;
  label?: string;
}

export interface RuleResult {
  ruleId: string;
  ruleName: string;
  outcome: 'hit' | 'pass' | 'na';
  severity: 'normal' | 'fatal';
  hits: number;
  reason?: string;
  evidence: Evidence[];
}

export interface ScoreItem {
  itemId: string;
  categoryId: string;
  name: string;
  max: number;
  score: number | null;
  status: 'scored' | 'na' | 'manual';
  fatal: boolean;
  hits: number;
  ruleIds: string[];
}

export interface Inspection {
  ruleSetVersion: number | null;
  ruleSetHash: string;
  results: RuleResult[];
  score: {
    scorecardId: string;
    scorecardName: string;
    total: number;
    max: number;
    percent: number | null;
    band: string | null;
    fatal: boolean;
    pendingManual: number;
    categories: Array<{ categoryId: string; name: string; max: number; score: number }>;
    items: ScoreItem[];
  } | null;
}

export interface CallDetail {
  call: StoredCall;
  recording: Recording | null;
  transcript: { engine: string; language: string; segments: Segment[] } | null;
  signals: Signals | null;
  text: TextAnalysis | null;
  inspection: Inspection | null;
}

export type ChannelRole = 'agent' | 'customer' | 'mixed' | 'unknown';
export interface Waveform {
  durationMs: number;
  channels: Array<{ index: number; role: ChannelRole; peaks: number[] }>;
}

const callPath = (id: string) => `/api/v1/calls/${encodeURIComponent(id)}`;

export const fetchCallDetail = (id: string, signal?: AbortSignal) => get<CallDetail>(callPath(id), undefined, signal);
/** The waveform's resolution on the detail page (also asked for early by app/route-prefetch.ts). */
export const DETAIL_WAVEFORM_POINTS = 2000;
export const fetchWaveform = (id: string, points: number, signal?: AbortSignal) => get<Waveform>(`${callPath(id)}/waveform`, { points }, signal);
/** The recording (Range supported; roles without pii:view get a copy with personal data covered by a tone). */
export const callAudioUrl = (id: string) => `${callPath(id)}/audio`;
