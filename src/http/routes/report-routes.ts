import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { TingjianError } from '../../domain/errors.js';
import { ReportService, type ReportQuery } from '../../reports/report-service.js';
import { AGENT_ORDERS, GRANULARITIES, offsetMs } from '../../reports/report-shaping.js';
import { access, principalOf } from '../auth/route-access.js';
import { scopeOfRequest, showsPii } from '../auth/scoped-call.js';
import { callFilterQueryFields, toReinspectionFilter } from './reinspection-routes.js';
import type { FastifyRequest } from 'fastify';
import { agentPageSchema, agentsSchema, businessLinesSchema, emotionSchema, overviewSchema, rulesSchema, topicsSchema } from './report.schema.js';

const { from, to, agentId, teamId, businessLine, channel } = callFilterQueryFields;

const granularity = z.enum(GRANULARITIES).default('day').describe("trend buckets: day, week (ISO, from Monday) or month, in the server's default UTC offset (TINGJIAN_DEFAULT_UTC_OFFSET)");
const common = { from, to, agentId, teamId, businessLine, channel, granularity };
const limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

/**
 * Aggregate reports for the dashboard and the agent page, over the stored calls' latest
 * inspections and text analyses. Every number counts only the calls the principal may see (the
 * data scope is a condition of each query): an agent's dashboard is their own calls.
 */
export const reportRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const taxonomy = () => ctx.media.text().taxonomy;
  const service = new ReportService(ctx.db, {
    offsetMs: offsetMs(ctx.config.defaultUtcOffset),
    topicName: (id) => taxonomy().topics.find((t) => t.id === id)?.name ?? null,
  });
  const schema = <Q extends z.ZodType, R extends z.ZodType>(summary: string, querystring: Q, response: R) => ({ tags: ['reports'], summary, querystring, response: { 200: response } });
  const reportQuery = (req: FastifyRequest, q: { granularity: ReportQuery['granularity'] } & Parameters<typeof toReinspectionFilter>[0]): ReportQuery => {
    const filters = toReinspectionFilter(q, ctx.config.defaultUtcOffset, 'querystring');
    const scope = scopeOfRequest(req);
    return { filters: { ...filters, ...(scope ? { scope } : {}) }, granularity: q.granularity };
  };

  app.get(
    '/api/v1/reports/overview',
    { config: access('calls:read'), schema: schema('Calls, average score, hit and fatal calls, the score distribution, bands and the trend', z.object(common).strict(), overviewSchema) },
    async (req) => {
      return service.overview(reportQuery(req, req.query));
    },
  );

  app.get(
    '/api/v1/reports/rules',
    { config: access('calls:read'), schema: schema('The rules that hit in most calls, and their hit rates over time', z.object({ ...common, limit: limit(50, 10) }).strict(), rulesSchema) },
    async (req) => {
      const { limit: n, ...q } = req.query;
      return service.rules(reportQuery(req, q), n);
    },
  );

  app.get(
    '/api/v1/reports/agents',
    {
      config: access('calls:read'),
      schema: schema(
        'Agents ranked: by average score (best first) unless told',
        z.object({ ...common, limit: limit(500, 50), order: z.enum(AGENT_ORDERS).default('avgScore'), direction: z.enum(['desc', 'asc']).default('desc') }).strict(),
        agentsSchema,
      ),
    },
    async (req) => {
      const { limit: n, order, direction, ...q } = req.query;
      return service.agents(reportQuery(req, q), { limit: n, order, direction });
    },
  );

  app.get(
    '/api/v1/reports/business-lines',
    { config: access('calls:read'), schema: schema('Business lines compared, most calls first', z.object(common).strict(), businessLinesSchema) },
    async (req) => service.businessLines(reportQuery(req, req.query)),
  );

  app.get(
    '/api/v1/reports/emotion',
    { config: access('calls:read'), schema: schema("The customers' sentiment over time: calls per label and the average", z.object(common).strict(), emotionSchema) },
    async (req) => service.emotion(reportQuery(req, req.query)),
  );

  app.get(
    '/api/v1/reports/topics',
    { config: access('calls:read'), schema: schema('The most frequent topics and their calls over time', z.object({ ...common, limit: limit(50, 10) }).strict(), topicsSchema) },
    async (req) => {
      const { limit: n, ...q } = req.query;
      return service.topics(reportQuery(req, q), n);
    },
  );

  const { agentId: _agent, ...agentPageFilters } = common;
  app.get(
    '/api/v1/reports/agents/:agentId',
    {
      config: access('calls:read', 'report.agent'),
      schema: {
        tags: ['reports'],
        summary: "One agent's page: KPIs, trend, the most frequent deductions with the latest moments they happened",
        description: 'An agent outside the data scope answers 404, exactly like one without calls. The agent’s calls: GET /api/v1/calls?agentId=…',
        params: z.object({ agentId: z.string().min(1).max(200) }),
        querystring: z
          .object({ ...agentPageFilters, limit: limit(50, 10).describe('deductions to list'), pii: z.enum(['shown', 'masked']).default('shown').describe('masked: personal data in the quotes replaced by ＊; always masked without pii:view') })
          .strict(),
        response: { 200: agentPageSchema },
      },
    },
    async (req) => {
      const { agentId: id } = req.params;
      const { limit: n, pii, ...q } = req.query;
      req.auditTarget = { type: 'agent', id };
      const own = principalOf(req).scope;
      const page = await service.agent(reportQuery(req, q), id, { deductions: n, ownAgentId: own.kind === 'agent' ? own.agentId : undefined, maskPii: !showsPii(req, pii) });
      if (!page) {
        if (scopeOfRequest(req)) req.auditOutcome = 'denied';
        throw new TingjianError('NOT_FOUND', `agent ${id} has no calls you may see; the agents that do: GET /api/v1/reports/agents`, { id });
      }
      return page;
    },
  );
};
