import { z } from 'zod';
import { CALL_CHANNELS, CALL_DIRECTIONS } from '../domain/call.js';
import { SPEAKERS } from '../domain/transcript.js';

/**
 * What an integrator may say about a call: in a sidecar `<name>.json`, a manifest row, the
 * multipart `metadata` field or a transcript-only JSON body. Strict: an unknown field is an
 * error (typos like `agnetId` must not silently drop data); integrator-specific fields go in `extra`.
 */
/** PostgreSQL text cannot hold NUL (SQLite can): refuse it everywhere so both stores agree. */
const noNul = (s: z.ZodString) => s.refine((v) => !v.includes('\u0000'), 'must not contain NUL (\\u0000) characters');
const shortText = (max: number) => noNul(z.string().trim().min(1).max(max));

/** Times from 1970 up to 2100: a wider range is a unit mistake (seconds vs ms vs µs), not a call. */
export const MAX_EPOCH_MS = Date.UTC(2100, 0, 1);

/** ISO 8601 with offset (`2025-09-18T10:30:00+08:00`), without (taken in the default zone), or epoch ms. */
export const startedAtSchema = z.union([
  z.number().int().nonnegative().max(MAX_EPOCH_MS, 'must be epoch milliseconds before the year 2100').describe('epoch milliseconds'),
  z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/,
      'must be ISO 8601, e.g. 2025-09-18T10:30:00+08:00',
    ),
]);

export const callMetadataFields = {
  externalId: shortText(200).describe('the call id in the PBX/CTI; makes ingest idempotent'),
  channel: z.enum(CALL_CHANNELS),
  direction: z.enum(CALL_DIRECTIONS),
  startedAt: startedAtSchema,
  durationMs: z.number().int().nonnegative().max(24 * 3600 * 1000),
  agentId: shortText(100),
  teamId: shortText(100),
  businessLine: shortText(100),
  customerPhone: z.string().trim().regex(/^\+?[0-9*# -]{3,32}$/, 'digits, spaces, -, +, * or # only'),
  customerTags: z.array(shortText(50)).max(50),
  consultType: shortText(100),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 tag such as zh-CN or en-US'),
  /** Which role each audio channel carries, e.g. ["agent","customer"] (left, right). */
  channelRoles: z.array(z.enum(SPEAKERS)).min(1).max(8),
  extra: z.record(noNul(z.string().min(1).max(100)), noNul(z.string().max(2000))),
} as const;

export const callMetadataInputSchema = z.object(callMetadataFields).partial().strict();
export type CallMetadataInput = z.infer<typeof callMetadataInputSchema>;

export const segmentInputSchema = z
  .object({
    speaker: z.enum(SPEAKERS),
    startMs: z.number().int().nonnegative(),
    endMs: z.number().int().nonnegative(),
    text: noNul(z.string().max(10_000)),
    confidence: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((s) => s.endMs >= s.startMs, { message: 'endMs must be ≥ startMs', path: ['endMs'] });

/**
 * The transcript input format (docs/schemas/transcript-input.schema.json): call metadata at the
 * top level or under `metadata`, plus the segments. A sidecar without `segments` is metadata only.
 */
export const callInputSchema = z
  .object({
    ...callMetadataFields,
    metadata: callMetadataInputSchema.optional(),
    segments: z.array(segmentInputSchema).max(20_000).optional(),
  })
  .partial()
  .strict();
export type CallInput = z.infer<typeof callInputSchema>;

/** A transcript-only body must carry segments. */
export const transcriptInputSchema = callInputSchema.extend({
  segments: z.array(segmentInputSchema).min(1).max(20_000),
});
