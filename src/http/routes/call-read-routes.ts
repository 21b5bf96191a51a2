import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callDetailSchema, storedCallSchema } from '../../analyze/analysis-document.schema.js';
import { storedCallView, toCallDetail } from '../../analyze/to-document.js';
import type { AppContext } from '../../app/app-context.js';
import { TingjianError } from '../../domain/errors.js';
import { startedAtSchema } from '../../ingest/call-input.schema.js';
import { toEpochMs } from '../../ingest/parse-call-input.js';
import { sendAudio } from '../send-audio.js';
import { redactCall, redactCallDetail } from '../../calls/redact-call-detail.js';
import { redactedAudioFile } from '../../calls/redacted-audio.js';
import { createReadStream } from 'node:fs';
import { access } from '../auth/route-access.js';
import { callInScopeOf, scopeOfRequest, showsPii } from '../auth/scoped-call.js';

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

const scopeField = <T>(scope: T | undefined): { scope?: T } => (scope ? { scope } : {});

/** The read side of calls: list with filters and cursor pages, one call in full, its original audio. */
export const callReadRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get(
    '/api/v1/calls',
    {
      config: access('calls:read', 'call.list'),
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
          ...scopeField(scopeOfRequest(req)),
        },
        { limit: q.limit, cursor: q.cursor },
      );
      const pii = showsPii(req);
      return { items: page.items.map((c) => storedCallView(pii ? c : redactCall(c))), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/calls/:id',
    {
      config: access('calls:read', 'call.view'),
      schema: {
        tags: ['calls'],
        summary: 'One call: metadata, status per stage, recording, transcript, signals, text analysis, inspection',
        description:
          'Personal data is masked for roles without the pii:view permission, and for anyone with ?pii=masked: the personal data the enrich stage found (phone, ID card, bank card numbers, e-mail, addresses — also spoken as Chinese digits) is masked with ＊ in the transcript, the rule evidence and the summary; lengths are kept, so every offset stays valid. A call outside the data scope of the principal is 404, like a call that does not exist.',
        params: idParams,
        querystring: z.object({ pii: z.enum(['shown', 'masked']).default('shown').describe('masked: personal data replaced by ＊') }).strict(),
        response: { 200: callDetailSchema },
      },
    },
    async (req) => {
      await callInScopeOf(req, ctx.db, req.params.id);
      const detail = await ctx.calls.detail(req.params.id);
      return toCallDetail(showsPii(req, req.query.pii) ? detail : redactCallDetail(detail));
    },
  );

  app.get(
    '/api/v1/calls/:id/audio',
    {
      config: access('audio:listen', 'call.audio'),
      schema: {
        tags: ['calls'],
        summary: 'The original recording, byte-for-byte; supports HTTP Range. ?redact=tone|silence: a WAV copy with the personal data covered',
        description:
          'With ?redact the PII spans of the text analysis (padded 250 ms; times estimated over each sentence) are covered by a 1 kHz tone or silence in a 16-bit PCM WAV made on request (no Range); 409 CONFLICT while the call has no text analysis yet. The header x-tingjian-redacted-spans says how many spans were covered.',
        params: idParams,
        querystring: z.object({ redact: z.enum(['tone', 'silence']).optional() }).strict(),
      },
    },
    async (req, reply) => {
      await callInScopeOf(req, ctx.db, req.params.id);
      const rec = await ctx.calls.recording(req.params.id);
      // Without pii:view the recording is served with personal data covered by a tone.
      const redact = req.query.redact ?? (showsPii(req) ? undefined : 'tone');
      if (!redact) return sendAudio(reply, ctx.blobs, rec, req.headers.range);
      req.auditDetails = { redacted: redact };
      const forced = req.query.redact === undefined;
      const out = await redactedAudioFile(ctx.db, ctx.blobs, () => ctx.media.ffmpegPath(), req.params.id, redact).catch((e: unknown) => {
        // Fail closed: personal data that cannot be located cannot be covered, so it is not played.
        if (forced && e instanceof TingjianError && e.code === 'CONFLICT') {
          throw new TingjianError('CONFLICT', `call ${req.params.id}: your role hears recordings only with personal data covered, and this one's personal data is not located (no transcript, or the pipeline has not finished); someone with the pii:view permission can play it`, { callId: req.params.id });
        }
        throw e;
      });
      const body = createReadStream(out.file);
      body.on('close', () => void out.cleanup());
      return reply
        .header('content-type', 'audio/wav')
        .header('content-disposition', `attachment; filename="${req.params.id}-redacted.wav"`)
        .header('x-tingjian-redacted-spans', String(out.spans))
        .send(body);
    },
  );
};
