import { z } from 'zod';
import { AUDIO_FORMATS } from '../domain/recording.js';
import { CALL_CHANNELS, CALL_DIRECTIONS } from '../domain/call.js';
import { SPEAKERS } from '../domain/transcript.js';
import { STAGES } from '../pipeline/stages.js';

/**
 * The analysis document: what `tingjian analyze --json` prints and what the API serves for a
 * call. A contract scripts build on — extend it, never break it. docs/schemas/*.json are
 * generated from these (npm run docs:schemas) and a test keeps them in sync.
 */
const ms = z.number().int().nonnegative();
const span = z.object({ startMs: ms, endMs: ms });

export const callMetadataSchema = z.object({
  externalId: z.string().nullable(),
  channel: z.enum(CALL_CHANNELS),
  direction: z.enum(CALL_DIRECTIONS),
  startedAt: z.string().nullable().describe('ISO 8601 (UTC) or null'),
  durationMs: ms.nullable(),
  agentId: z.string().nullable(),
  teamId: z.string().nullable(),
  businessLine: z.string().nullable(),
  customerPhone: z.string().nullable(),
  customerTags: z.array(z.string()),
  consultType: z.string().nullable(),
  language: z.string(),
  extra: z.record(z.string(), z.string()),
});

export const segmentSchema = z.object({
  index: z.number().int().nonnegative(),
  speaker: z.enum(SPEAKERS),
  startMs: ms,
  endMs: ms,
  text: z.string(),
  rawText: z.string().optional().describe('what the ASR engine heard, when the correction dictionary changed it'),
  confidence: z.number().min(0).max(1).optional(),
});

export const transcriptSchema = z.object({
  engine: z.string().describe('ASR engine name, or "provided"'),
  language: z.string(),
  segments: z.array(segmentSchema),
});

const side = z.enum(['agent', 'customer']);
const level = z.number().nullable().describe('dBFS (0 = full scale); null for digital silence');
const sideLoudness = z.object({ rmsDbfs: level, peakDbfs: level }).nullable();
const timelineSpan = span.extend({ rmsDbfs: level.optional() });

export const signalsSchema = z.object({
  source: z.enum(['transcript', 'audio']).describe('audio: measured by voice activity per channel; transcript: from segment timestamps'),
  durationMs: ms,
  talkMs: z.object({ agent: ms, customer: ms }),
  unattributedTalkMs: ms.describe('speech no role could be given to (mono without diarization)'),
  talkRatio: z.object({ agent: z.number().min(0).max(1).nullable(), customer: z.number().min(0).max(1).nullable() }).describe("each side's talk as a share of the call duration"),
  speech: z.object({ agent: z.array(timelineSpan), customer: z.array(timelineSpan), unknown: z.array(timelineSpan) }).describe('who spoke when: the timeline'),
  silence: z.object({ totalMs: ms, longestMs: ms, spans: z.array(span) }).describe('dead air: neither side speaking'),
  holds: z.array(span).describe('non-speech stretches long enough to be a hold'),
  overlaps: z.array(span.extend({ by: side.describe('who started speaking second') })),
  interruptions: z.object({ agent: z.number().int().nonnegative(), customer: z.number().int().nonnegative() }).describe('times each side cut in'),
  interruptionEvents: z.array(z.object({ atMs: ms, by: side.describe('who cut in'), cutOff: side.describe('who was cut off'), overlapMs: ms })),
  speechRate: z.object({ agent: z.number().nullable(), customer: z.number().nullable() }).describe('characters (Chinese) or words per minute'),
  loudness: z.object({ agent: sideLoudness, customer: sideLoudness }).nullable().describe('level of each side\'s speech; null without audio'),
});

export const inspectionSchema = z.object({
  ruleSetVersion: z.string(),
  results: z.array(
    z.object({
      ruleId: z.string(),
      ruleName: z.string(),
      outcome: z.enum(['hit', 'pass', 'na']),
      evidence: z.array(z.object({ segmentIndex: z.number().int(), startMs: ms, endMs: ms, text: z.string() })),
    }),
  ),
  score: z
    .object({
      total: z.number(),
      max: z.number(),
      band: z.string().nullable(),
      fatal: z.boolean(),
      items: z.array(z.object({ itemId: z.string(), name: z.string(), max: z.number(), score: z.number(), na: z.boolean() })),
    })
    .nullable(),
});

export const recordingSchema = z.object({
  format: z.enum(AUDIO_FORMATS),
  codec: z.string(),
  sampleRate: z.number().int().positive(),
  channels: z.number().int().positive(),
  channelRoles: z.array(z.enum(SPEAKERS)),
  durationMs: ms,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  originalName: z.string().nullable(),
});

export const analysisDocumentSchema = z.object({
  call: callMetadataSchema,
  recording: recordingSchema.nullable().optional().describe('present when the input was audio'),
  transcript: transcriptSchema.nullable(),
  signals: signalsSchema.nullable(),
  inspection: inspectionSchema.nullable(),
});
export type AnalysisDocument = z.infer<typeof analysisDocumentSchema>;

const stageStateSchema = z.object({
  status: z.enum(['pending', 'queued', 'running', 'done', 'skipped', 'failed']),
  attempts: z.number().int().nonnegative(),
  note: z.string().optional(),
  error: z.string().optional(),
  updatedAt: z.number().int().optional(),
});

/** A stored call as the API shows it: metadata plus identity and pipeline progress. */
export const storedCallSchema = callMetadataSchema.extend({
  id: z.string(),
  status: z.enum(['processing', 'done', 'failed']),
  stages: z.object(Object.fromEntries(STAGES.map((s) => [s, stageStateSchema])) as Record<(typeof STAGES)[number], typeof stageStateSchema>),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const callDetailSchema = analysisDocumentSchema.extend({ call: storedCallSchema, recording: recordingSchema.nullable() });
