import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callDetailSchema, storedCallSchema } from '../../analyze/analysis-document.schema.js';
import { storedCallView, toCallDetail } from '../../analyze/to-document.js';
import type { AppContext } from '../../app/app-context.js';
import { TingjianError } from '../../domain/errors.js';
import { startedAtSchema } from '../../ingest/call-input.schema.js';
import { toEpochMs } from '../../ingest/parse-call-input.js';
import { sendAudio } from '../send-audio.js';

const listQuery = z
  .object({
    from: startedAtSchema.or(z.coerce.number().int().nonnegative()).optional().describe('start of the time range (inclusive), ISO 8601 or epoch ms'),
    to: startedAtSchema.or(z.coerce.number().int().nonnegative()).optional().describe('end of the time range (exclusive)'),
    agentId: z.string().min(1).optional(),
    teamId: z.string().min(1).optional(),
    businessLine: z.string().min(1).optional(),
    status: z.enum(['processing', 'done', 'failed']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export const idParams = z.object({ id: z.string().min(1).max(100) });

/**
 * toEpochMs speaks of call metadata (INVALID_METADATA, "startedAt: …"); a bad `from`/`to` in the
 * query (e.g. 2025-02-30, which passes the ISO regex) is a bad request naming that parameter.
 */
function queryTime(name: 'from' | 'to', v: string | number, offset: string): number {
  try {
    return toEpochMs(v, offset);
  } catch {
    throw new TingjianError('INVALID_REQUEST', `invalid querystring: ${name}: ${String(v)} is not a real date and time`, { problems: [name] });
  }
}

/** The read side of calls: list with filters and cursor pages, one call in full, its original audio. */
export const callReadRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get(
    '/api/v1/calls',
    {
      schema: {
        tags: ['calls'],
        summary: 'List calls, newest first',
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(storedCallSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const q = req.query;
      const offset = ctx.config.defaultUtcOffset;
      const page = await ctx.calls.list(
        {
          ...(q.from !== undefined ? { from: queryTime('from', q.from, offset) } : {}),
          ...(q.to !== undefined ? { to: queryTime('to', q.to, offset) } : {}),
          ...(q.agentId ? { agentId: q.agentId } : {}),
          ...(q.teamId ? { teamId: q.teamId } : {}),
          ...(q.businessLine ? { businessLine: q.businessLine } : {}),
          ...(q.status ? { status: q.status } : {}),
        },
        { limit: q.limit, cursor: q.cursor },
      );
      return { items: page.items.map(storedCallView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/calls/:id',
    {
      schema: {
        tags: ['calls'],
        summary: 'One call: metadata, status per stage, recording, transcript, signals, inspection',
        params: idParams,
        response: { 200: callDetailSchema },
      },
    },
    async (req) => toCallDetail(await ctx.calls.detail(req.params.id)),
  );

  app.get(
    '/api/v1/calls/:id/audio',
    {
      schema: {
        tags: ['calls'],
        summary: 'The original recording, byte-for-byte; supports HTTP Range',
        params: idParams,
      },
    },
    async (req, reply) => {
      const rec = await ctx.calls.recording(req.params.id);
      return sendAudio(reply, ctx.blobs, rec, req.headers.range);
    },
  );
};
