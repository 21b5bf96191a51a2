import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { storedCallSchema } from '../../analyze/analysis-document.schema.js';
import { storedCallView } from '../../analyze/to-document.js';
import type { AppContext } from '../../app/app-context.js';
import { retryCall } from '../../pipeline/retry-call.js';
import { idParams } from './call-read-routes.js';
import { access } from '../auth/route-access.js';
import { callInScopeOf, showsPii } from '../auth/scoped-call.js';
import { redactCall } from '../../calls/redact-call-detail.js';

/** Running a failed call again once what failed it is fixed. */
export const callRetryRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.post(
    '/api/v1/calls/:id/retry',
    {
      config: access('calls:retry', 'call.retry'),
      schema: {
        tags: ['calls'],
        summary: 'Run a failed call again from the stage that failed (after fixing what failed it); 409 unless failed',
        params: idParams,
        response: { 202: storedCallSchema },
      },
    },
    async (req, reply) => {
      await callInScopeOf(req, ctx.db, req.params.id);
      const call = await retryCall(ctx.db, req.params.id, { maxAttempts: ctx.config.maxAttempts });
      ctx.runner?.wake();
      return reply.code(202).send(storedCallView(showsPii(req) ? call : redactCall(call)));
    },
  );
};
