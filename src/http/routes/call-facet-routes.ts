import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { access } from '../auth/route-access.js';
import { callFacetsSchema } from './call-facets.schema.js';
import { scopeOfRequest } from '../auth/scoped-call.js';
import { callFilterQueryFields, filterTime } from './reinspection-routes.js';

/** What the calls list's agent, team and business-line filters can take, counted over the caller's calls. */
export const callFacetRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get(
    '/api/v1/calls/facets',
    {
      config: access('calls:read', 'call.facets'),
      schema: {
        tags: ['calls'],
        summary: 'The agents, teams and business lines of your calls, with their numbers of calls',
        description:
          'For the filter choices of a calls list: each value with how many calls in your data scope (and the time range, status and channel given) have it, most calls first, at most `limit` of each; `truncated` says where a list stopped. Calls without an agent, team or business line are not counted in that list.',
        querystring: z
          .object({
            from: callFilterQueryFields.from,
            to: callFilterQueryFields.to,
            status: z.enum(['processing', 'done', 'failed']).optional(),
            channel: callFilterQueryFields.channel,
            limit: z.coerce.number().int().min(1).max(5000).default(1000),
          })
          .strict(),
        response: { 200: callFacetsSchema },
      },
    },
    async (req) => {
      const q = req.query;
      const offset = ctx.config.defaultUtcOffset;
      const scope = scopeOfRequest(req);
      return ctx.db.repos.calls.facets(
        {
          ...(q.from !== undefined ? { from: filterTime('from', q.from, offset) } : {}),
          ...(q.to !== undefined ? { to: filterTime('to', q.to, offset) } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.channel ? { channel: q.channel } : {}),
          ...(scope ? { scope } : {}),
        },
        q.limit,
      );
    },
  );
};
