import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { discoverStoredTopics } from '../../insights/discover-stored-topics.js';
import { callFilterQueryFields, toReinspectionFilter } from './reinspection-routes.js';
import { access } from '../auth/route-access.js';
import { showsPii } from '../auth/scoped-call.js';
import { maskPii } from '../../enrich/pii/redact-text.js';
import { topicListSchema } from './topic.schema.js';

const discoveredSchema = z.object({
  id: z.string().describe('cluster-1 …, largest first'),
  keywords: z.array(z.string()).describe("the heaviest words of the cluster's centroid"),
  size: z.number().int().describe('calls with a customer sentence in the cluster'),
  utterances: z.number().int(),
  examples: z.array(z.string()).describe('its most typical customer sentences'),
  counts: z.array(z.object({ period: z.string(), calls: z.number().int() })).describe('calls per day (YYYY-MM-DD) or ISO week (YYYY-Www)'),
  cohesion: z.number().describe('mean cosine to the centroid; low = a grab bag'),
  taxonomyTopic: z.string().nullable().describe('the taxonomy topic most of its sentences match'),
  coverage: z.number().describe('share of its sentences some taxonomy topic matches'),
  emerging: z.boolean().describe('the taxonomy does not cover it: a candidate for a new topic'),
});

/**
 * Topics: the configured taxonomy, and discovery of topics nobody labelled over stored calls
 * (clusters of customer sentences with their keywords, counted over time).
 */
export const topicRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get(
    '/api/v1/topics',
    {
      config: access('calls:read'),
      schema: {
        tags: ['topics'],
        summary: 'The topic taxonomy the enrich stage assigns (TINGJIAN_TOPIC_TAXONOMY, default templates/topics/default.yaml)',
        response: {
          200: topicListSchema,
        },
      },
    },
    async () => ({
      items: ctx.media.text().taxonomy.topics.map((t) => ({ id: t.id, name: t.name, description: t.description ?? null, keywords: t.keywords.length, patterns: t.patterns?.length ?? 0 })),
    }),
  );

  app.get(
    '/api/v1/topics/discover',
    {
      config: access('insights:read', 'topics.discover'),
      schema: {
        tags: ['topics'],
        summary: 'Discover topics in stored calls: clusters of customer sentences with keywords and examples, counted per day or week; `emerging` where the taxonomy has no topic for them',
        description: 'Reads at most `limit` calls the filter matches (in memory); stores nothing. Deterministic: the same calls give the same clusters.',
        querystring: z
          .object({
            ...callFilterQueryFields,
            period: z.enum(['day', 'week']).default('day'),
            k: z.coerce.number().int().min(2).max(60).optional().describe('clusters to form; default √(sentences / 5)'),
            // Clustering runs on the server's event loop (~4 s per 1,000 six-minute calls here): the
            // API keeps it small; `tingjian topics discover --limit` takes more, off the server.
            limit: z.coerce.number().int().min(1).max(5000).default(1000).describe('calls to read at most (clustering blocks this server while it runs: ~4 s per 1,000 long calls)'),
          })
          .strict(),
        response: { 200: z.object({ calls: z.number().int(), callsWithCustomerSpeech: z.number().int(), topics: z.array(discoveredSchema) }) },
      },
    },
    async (req) => {
      const { period, k, limit, ...filter } = req.query;
      const found = await discoverStoredTopics(ctx.db, ctx.media.text(), { filter: toReinspectionFilter(filter, ctx.config.defaultUtcOffset, 'query'), limit, period, k, utcOffset: ctx.config.defaultUtcOffset });
      // The examples are customer sentences: masked unless the principal may see personal data.
      return showsPii(req) ? found : { ...found, topics: found.topics.map((t) => ({ ...t, examples: t.examples.map(maskPii) })) };
    },
  );
};
