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

const textSpan = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });
const evidenceSchema = z.object({
  segmentIndex: z.number().int().nullable().describe('the sentence (transcript segment index); null for a call-level fact such as a silence'),
  startMs: ms,
  endMs: ms,
  text: z.string().describe("the sentence's text, or a description for call-level evidence"),
  spans: z.array(textSpan).describe('matched characters of text, [start, end) in UTF-16 code units'),
  label: z.string().optional().describe('what matched: the keyword, entity type, 静音 12.4 秒 …'),
});

export const inspectionSchema = z.object({
  ruleSetVersion: z.number().int().positive().nullable().describe('the published rule set version; null for unsaved rule files (dry run, analyze --rules)'),
  ruleSetHash: z.string().describe('sha256 of the rule set: same hash + same input = same result'),
  results: z.array(
    z.object({
      ruleId: z.string().describe('<module>.<rule>'),
      ruleName: z.string(),
      outcome: z.enum(['hit', 'pass', 'na']).describe('hit: a violation or a required thing missing; na: the rule does not apply'),
      severity: z.enum(['normal', 'fatal']),
      hits: z.number().int().nonnegative(),
      reason: z.string().optional(),
      evidence: z.array(evidenceSchema),
    }),
  ),
  score: z
    .object({
      scorecardId: z.string(),
      scorecardName: z.string(),
      total: z.number(),
      max: z.number(),
      percent: z.number().min(0).max(100).nullable().describe('null when nothing could be scored (every item n/a or manual)'),
      band: z.string().nullable(),
      fatal: z.boolean().describe('a fatal item hit (一票否决): the score is 0'),
      pendingManual: z.number().int().nonnegative(),
      categories: z.array(z.object({ categoryId: z.string(), name: z.string(), max: z.number(), score: z.number() })),
      items: z.array(
        z.object({
          itemId: z.string(),
          categoryId: z.string(),
          name: z.string(),
          max: z.number(),
          score: z.number().nullable(),
          status: z.enum(['scored', 'na', 'manual']),
          fatal: z.boolean(),
          hits: z.number().int().nonnegative(),
          ruleIds: z.array(z.string()),
        }),
      ),
    })
    .nullable(),
});

const sentiment = z.object({
  score: z.number().min(-1).max(1).describe('-1 very negative … 0 neutral … 1 very positive'),
  label: z.enum(['positive', 'neutral', 'negative']),
});
const curvePoint = z.object({ segmentIndex: z.number().int().nonnegative(), atMs: ms, score: z.number().min(-1).max(1) });
const summarySentence = z.object({ segmentIndex: z.number().int().nonnegative(), text: z.string() });
export const textAnalysisSchema = z
  .object({
    version: z.literal(1),
    segments: z.array(
      z.object({
        index: z.number().int().nonnegative().describe("the transcript segment's index"),
        sentiment,
        fillers: z.array(textSpan).describe('filler words (嗯, 那个, 就是 …) tagged, not deleted: offsets into the text'),
      }),
    ),
    customerSentiment: sentiment.nullable().describe("the customer's sentiment over the call; null when the customer never speaks"),
    curve: z
      .object({
        points: z.array(curvePoint).describe('smoothed, customer segments only'),
        start: z.number().nullable(),
        end: z.number().nullable(),
        lowest: curvePoint.nullable(),
        turningPoints: z.array(curvePoint.extend({ direction: z.enum(['up', 'down']) })),
        trend: z.enum(['improved', 'worsened', 'stable']).nullable(),
      })
      .describe("the customer's emotion curve"),
    topics: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        confidence: z.number().min(0).max(1),
        segments: z.array(z.number().int().nonnegative()),
        source: z.enum(['rule', 'classifier']),
      }),
    ),
    summary: z.object({
      problem: summarySentence.nullable().describe("the customer's problem"),
      actions: z.array(summarySentence).describe('what the agent did'),
      outcome: z.enum(['resolved', 'follow_up', 'unresolved']),
      outcomeEvidence: summarySentence.nullable(),
    }),
    pii: z.array(
      z.object({
        segmentIndex: z.number().int().nonnegative(),
        type: z.enum(['phone', 'idCard', 'bankCard', 'email', 'address']),
        start: z.number().int().nonnegative(),
        end: z.number().int().nonnegative(),
        startMs: ms,
        endMs: ms,
      }),
    ).describe('personal data said in the call: offsets into the segment text, and where in the audio (estimated over the segment)'),
  })
  .describe('what the words mean: sentiment, emotion curve, topics, summary, personal data');

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
  text: textAnalysisSchema.nullable(),
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
