import { z } from 'zod';
import { CALL_CHANNELS } from '../../domain/call.js';
import { startedAtSchema } from '../../ingest/call-input.schema.js';
import { wholeNumberParam } from './query-params.js';

/*
 * The call filter (dry runs, re-inspections, exports, reports, search) and a re-inspection job as
 * the API sends it, in a module that imports only schemas: the web console derives its types from
 * it (import type) without pulling in server code.
 */

export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const timeSchema = z
  .union([startedAtSchema, z.string().regex(DATE_ONLY, 'must be ISO 8601, e.g. 2025-09-18 or 2025-09-18T10:30:00+08:00')])
  .describe('ISO 8601 date or date-time (default zone when it has no offset), or epoch ms');

/** Which stored calls a dry run or a re-inspection covers (JSON bodies); every field given must match. */
export const callFilterSchema = z
  .object({
    from: timeSchema.optional().describe('calls started at or after (inclusive)'),
    to: timeSchema.optional().describe('calls started before (exclusive)'),
    agentId: z.string().min(1).max(200).optional(),
    teamId: z.string().min(1).max(200).optional(),
    businessLine: z.string().min(1).max(200).optional(),
    channel: z.enum(CALL_CHANNELS).optional(),
    callIds: z.array(z.string().min(1).max(100)).max(10_000).optional().describe('only these calls (an empty list matches none)'),
  })
  .strict();
export type CallFilterInput = z.infer<typeof callFilterSchema>;

/** The same filter in a query string (text bodies): times may be epoch ms, callIds comma-separated. */
export const callFilterQueryFields = {
  from: timeSchema.or(wholeNumberParam(0, Number.MAX_SAFE_INTEGER)).optional().describe('calls started at or after (inclusive)'),
  to: timeSchema.or(wholeNumberParam(0, Number.MAX_SAFE_INTEGER)).optional().describe('calls started before (exclusive)'),
  agentId: z.string().min(1).max(200).optional(),
  teamId: z.string().min(1).max(200).optional(),
  businessLine: z.string().min(1).max(200).optional(),
  channel: z.enum(CALL_CHANNELS).optional(),
  callIds: z
    .string()
    .max(200_000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .optional()
    .describe('comma-separated call ids'),
};

export const filterViewSchema = callFilterSchema.extend({ from: z.string().optional(), to: z.string().optional(), channel: z.string().optional() });
export const jobSchema = z.object({
  id: z.number().int(),
  ruleSetVersion: z.number().int().describe('the published version the calls are judged with'),
  filter: filterViewSchema.describe('the calls it covers (times as ISO 8601)'),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  total: z.number().int().describe('calls the filter matched when the job was queued'),
  done: z.number().int().describe('calls judged so far'),
  hitCalls: z.number().int().describe('of those, calls where at least one rule hit'),
  progress: z.number().min(0).max(1).describe('done / total, 0..1'),
  error: z.string().nullable().describe('why it failed'),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
