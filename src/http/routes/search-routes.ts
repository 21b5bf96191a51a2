import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { SEARCH_TOTAL_CAP, type SearchFilters } from '../../ports/repositories.js';
import { maskPii } from '../../enrich/pii/redact-text.js';
import { SearchService, type SearchItem } from '../../search/search-service.js';
import { callFilterQueryFields, toReinspectionFilter } from './reinspection-routes.js';
import { access } from '../auth/route-access.js';
import { scopeOfRequest, showsPii } from '../auth/scoped-call.js';
import { createHash } from 'node:crypto';
import { TingjianError } from '../../domain/errors.js';
import { checkRange, numberParam, wholeNumberParam } from './query-params.js';
import { SENTIMENT_LABELS, searchItemSchema, searchResultSchema } from './search.schema.js';

const { from, to, agentId, teamId, businessLine, channel } = callFilterQueryFields;

const searchQuery = z
  .object({
    q: z
      .string()
      .max(200)
      .optional()
      .describe(
        'words to find, separated by spaces, all required. Chinese matches as written (a substring: 退货政策 finds exactly that), at least 2 characters a word; ' +
          'Latin words and numbers match whole words; traditional/simplified, full/half width and case do not matter. Absent or empty: filters only',
      ),
    from,
    to,
    agentId,
    teamId,
    businessLine,
    channel,
    minScore: numberParam(0, 100).optional().describe('latest inspection score percent at least (calls without a score are left out)'),
    maxScore: numberParam(0, 100).optional().describe('latest inspection score percent at most'),
    rule: z.string().min(1).max(200).optional().describe('a rule id (module.rule) that hit in the latest inspection'),
    band: z.string().min(1).max(100).optional().describe("the latest inspection's band, exactly"),
    fatal: z.enum(['true', 'false']).optional().describe('true: the latest inspection has a fatal item; false: it has none'),
    status: z.enum(['processing', 'done', 'failed']).optional().describe("the call's pipeline status (a call being processed again keeps its last indexed text)"),
    minDurationMs: wholeNumberParam(0, Number.MAX_SAFE_INTEGER).optional(),
    maxDurationMs: wholeNumberParam(0, Number.MAX_SAFE_INTEGER).optional(),
    topic: z.string().min(1).max(100).optional().describe('a topic id of the text analysis, e.g. logistics-delay'),
    sentiment: z
      .union([z.enum(SENTIMENT_LABELS), numberParam(-1, 1)], { error: 'must be positive, neutral, negative or a number from -1 to 1' })
      .optional()
      .describe("the customer's sentiment: a label (positive, neutral, negative), or a number -1..1 for at most that score"),
    pii: z.enum(['shown', 'masked']).default('shown').describe('masked: personal data in the sentences and the external id replaced by ＊ (lengths and highlights kept); always masked for roles without pii:view'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(SEARCH_TOTAL_CAP).default(0).describe(`skip this many calls (at most ${SEARCH_TOTAL_CAP}: narrow the filters to see further)`),
  })
  .strict();

/** A search hit with the personal data in its sentences and external id masked (same lengths: highlights stay valid). */
const maskItem = (i: SearchItem): SearchItem => ({
  ...i,
  externalId: i.externalId === null ? null : maskPii(i.externalId),
  snippets: i.snippets.map((s) => ({ ...s, text: maskPii(s.text) })),
});

const itemView = (i: SearchItem): z.infer<typeof searchItemSchema> => ({ ...i, at: new Date(i.at).toISOString() });

/** Full-text search over transcripts, with the calls list's filters and the analysis' ones. */
export const searchRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const search = new SearchService(ctx.db);
  app.get(
    '/api/v1/search',
    {
      config: access('calls:read', 'call.search'),
      schema: {
        tags: ['search'],
        summary: 'Find calls by what was said, with filters; newest first, with the sentences that say it',
        description:
          'Each call comes with up to 3 sentences holding the query, highlighted, with their times in the audio. ' +
          `Order: the call's time (to the second), newest first. total is exact up to ${SEARCH_TOTAL_CAP}; beyond, totalCapped is true.`,
        querystring: searchQuery,
        response: { 200: searchResultSchema },
      },
    },
    async (req) => {
      const { q, rule, topic, sentiment, minScore, maxScore, band, fatal, status, minDurationMs, maxDurationMs, limit, offset, pii, ...callFilter } = req.query;
      checkRange(req.query, 'minScore', 'maxScore');
      checkRange(req.query, 'minDurationMs', 'maxDurationMs');
      const given = { band, status, minDurationMs, maxDurationMs, fatal: fatal === undefined ? undefined : fatal === 'true' };
      const filters: SearchFilters = {
        ...(Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<SearchFilters>),
        ...toReinspectionFilter(callFilter, ctx.config.defaultUtcOffset, 'querystring'),
        ...(minScore !== undefined ? { minScore } : {}),
        ...(maxScore !== undefined ? { maxScore } : {}),
        ...(rule !== undefined ? { ruleId: rule } : {}),
        ...(topic !== undefined ? { topic } : {}),
        ...(typeof sentiment === 'string' ? { sentiment } : typeof sentiment === 'number' ? { maxSentiment: sentiment } : {}),
      };
      const scope = scopeOfRequest(req);
      if (scope) filters.scope = scope;
      // The audit log is read by auditors, who do not see personal data: a searched phone number is
      // kept masked, with its sha256 so an investigation can still match a known number.
      const maskedQ = maskPii(q ?? '');
      const { q: _q, ...rest } = req.query;
      req.auditDetails = { q: maskedQ, ...(maskedQ !== (q ?? '') ? { qSha256: createHash('sha256').update(q ?? '').digest('hex') } : {}), filters: rest };
      // Masked results would still confirm a number by matching it: searching for personal data needs pii:view.
      if (maskedQ !== (q ?? '') && !showsPii(req)) {
        throw new TingjianError('FORBIDDEN', 'the query holds personal data (a phone, ID card, bank card number …): searching for it needs the pii:view permission', { permission: 'pii:view' });
      }
      const r = await search.search({ q, filters, limit, offset });
      const items = showsPii(req, pii) ? r.items : r.items.map(maskItem);
      return { ...r, items: items.map(itemView), limit, offset };
    },
  );
};
