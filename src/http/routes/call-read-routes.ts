import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callDetailSchema } from '../../analyze/analysis-document.schema.js';
import { callListPageSchema } from './call-list.schema.js';
import { storedCallView, toCallDetail } from '../../analyze/to-document.js';
import type { AppContext } from '../../app/app-context.js';
import { TingjianError } from '../../domain/errors.js';
import { startedAtSchema } from '../../ingest/call-input.schema.js';
import { toEpochMs } from '../../ingest/parse-call-input.js';
import { sendAudio, sendSeekable } from '../send-audio.js';
import { redactCall, redactCallDetail } from '../../calls/redact-call-detail.js';
import { redactedAudioFile } from '../../calls/redacted-audio.js';
import { RedactedAudioCache } from '../../calls/redacted-audio-cache.js';
import { createReadStream } from 'node:fs';
import { access } from '../auth/route-access.js';
import { callInScopeOf, scopeOfRequest, showsPii } from '../auth/scoped-call.js';
import type { CallListFilter } from '../../ports/repositories.js';
import { badFilterTime, checkRange, numberParam, wholeNumberParam } from './query-params.js';

const listQuery = z
  .object({
    from: startedAtSchema.or(wholeNumberParam(0, Number.MAX_SAFE_INTEGER)).optional().describe('start of the time range (inclusive), ISO 8601 or epoch ms'),
    to: startedAtSchema.or(wholeNumberParam(0, Number.MAX_SAFE_INTEGER)).optional().describe('end of the time range (exclusive)'),
    agentId: z.string().min(1).optional(),
    teamId: z.string().min(1).optional(),
    businessLine: z.string().min(1).optional(),
    status: z.enum(['processing', 'done', 'failed']).optional(),
    minScore: numberParam(0, 100).optional().describe("the latest inspection's score percent at least (0–100)"),
    maxScore: numberParam(0, 100).optional().describe("the latest inspection's score percent at most (0–100)"),
    band: z.string().min(1).max(100).optional().describe("the latest inspection's band, exactly"),
    rule: z.string().min(1).max(200).optional().describe('a rule id that hit in the latest inspection'),
    fatal: z.enum(['true', 'false']).optional().describe("true: the latest inspection has a fatal item; false: it has none"),
    sentiment: z.enum(['positive', 'neutral', 'negative']).optional().describe("the customer's sentiment in the text analysis"),
    topic: z.string().min(1).max(200).optional().describe('a topic id of the text analysis'),
    minDurationMs: wholeNumberParam(0, Number.MAX_SAFE_INTEGER).optional(),
    maxDurationMs: wholeNumberParam(0, Number.MAX_SAFE_INTEGER).optional(),
    sort: z.enum(['startedAt', 'duration', 'score']).default('startedAt').describe('startedAt: the call time; calls without a score or duration come last in both orders'),
    order: z.enum(['desc', 'asc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).optional().describe('rows to skip (any sort)'),
    cursor: z.string().min(1).optional().describe('nextCursor of the previous page (sort=startedAt, order=desc only)'),
  })
  .strict();


type ListQuery = z.infer<typeof listQuery>;

/** The query's filters, as the repository reads them. */
function listFilter(q: ListQuery, offset: string): CallListFilter {
  checkRange(q, 'minScore', 'maxScore');
  checkRange(q, 'minDurationMs', 'maxDurationMs');
  if (q.cursor !== undefined && q.offset !== undefined) {
    throw new TingjianError('INVALID_REQUEST', 'invalid querystring: cursor and offset: page with one of them', { problems: ['cursor', 'offset'] });
  }
  const given = {
    agentId: q.agentId,
    teamId: q.teamId,
    businessLine: q.businessLine,
    status: q.status,
    minScore: q.minScore,
    maxScore: q.maxScore,
    band: q.band,
    ruleId: q.rule,
    fatal: q.fatal === undefined ? undefined : q.fatal === 'true',
    sentiment: q.sentiment,
    topicId: q.topic,
    minDurationMs: q.minDurationMs,
    maxDurationMs: q.maxDurationMs,
  };
  return {
    ...(Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as CallListFilter),
    ...(q.from !== undefined ? { from: queryTime('from', q.from, offset) } : {}),
    ...(q.to !== undefined ? { to: queryTime('to', q.to, offset) } : {}),
  };
}

export const idParams = z.object({ id: z.string().min(1).max(100) });

/**
 * toEpochMs speaks of call metadata (INVALID_METADATA, "startedAt: …"); a bad `from`/`to` in the
 * query (e.g. 2025-02-30, which passes the ISO regex) is a bad request naming that parameter.
 */
function queryTime(name: 'from' | 'to', v: string | number, offset: string): number {
  try {
    return toEpochMs(v, offset);
  } catch (e) {
    throw badFilterTime(name, v, offset, e, 'invalid querystring: ');
  }
}

const scopeField = <T>(scope: T | undefined): { scope?: T } => (scope ? { scope } : {});

/** The read side of calls: list with filters and cursor pages, one call in full, its original audio. */
export const callReadRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const redactedCopies = new RedactedAudioCache();
  app.addHook('onClose', () => redactedCopies.clear());
  app.get(
    '/api/v1/calls',
    {
      config: access('calls:read', 'call.list'),
      schema: {
        tags: ['calls'],
        summary: 'List calls with their latest inspection and text analysis: filters, sort, pages, total',
        description:
          'Newest first by default; sort=duration|score with order=asc|desc (calls without a duration or score come last in both orders). ' +
          'Page with offset (any sort) or with nextCursor (the default sort only; a cursor with another sort is 400). ' +
          '`total` counts every call the filters match within your data scope. Score, band, rule and fatal read the latest inspection (highest rule set version); sentiment and topic the text analysis.',
        querystring: listQuery,
        response: { 200: callListPageSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const page = await ctx.calls.browse(
        { ...listFilter(q, ctx.config.defaultUtcOffset), ...scopeField(scopeOfRequest(req)) },
        { limit: q.limit, sort: q.sort, order: q.order, ...(q.offset !== undefined ? { offset: q.offset } : {}), cursor: q.cursor },
      );
      const pii = showsPii(req);
      return {
        items: page.items.map((r) => ({ ...storedCallView(pii ? r.call : redactCall(r.call)), inspection: r.inspection, analysis: r.analysis })),
        nextCursor: page.nextCursor,
        total: page.total,
      };
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
          'With ?redact the PII spans of the text analysis (padded 250 ms; times estimated over each sentence) are covered by a 1 kHz tone or silence in a 16-bit PCM WAV made on request and kept a couple of minutes after its last use, so Range works on it too; 409 CONFLICT while the call has no text analysis yet. The header x-tingjian-redacted-spans says how many spans were covered.',
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
      const out = await redactedAudioFile(ctx.db, ctx.blobs, () => ctx.media.ffmpegPath(), req.params.id, redact, redactedCopies).catch((e: unknown) => {
        // Fail closed: personal data that cannot be located cannot be covered, so it is not played.
        if (forced && e instanceof TingjianError && e.code === 'CONFLICT') {
          throw new TingjianError('CONFLICT', `call ${req.params.id}: your role hears recordings only with personal data covered, and this one's personal data is not located (no transcript, or the pipeline has not finished); someone with the pii:view permission can play it`, { callId: req.params.id });
        }
        throw e;
      });
      // The lease ends when the response does, however it ends (done, aborted, refused range).
      reply.raw.once('close', out.release);
      return sendSeekable(
        reply,
        out.sizeBytes,
        req.headers.range,
        {
          'content-type': 'audio/wav',
          'content-disposition': `attachment; filename="${req.params.id}-redacted.wav"`,
          'x-tingjian-redacted-spans': String(out.spans),
        },
        (range) => createReadStream(out.file, range ?? {}),
      );
    },
  );
};
