import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { STAGES } from '../../pipeline/stages.js';
import { access } from '../auth/route-access.js';

const counts = z.object({ queued: z.number(), running: z.number(), done: z.number(), failed: z.number() });

/** Liveness and pipeline progress (job counts per stage), for operators and the console. */
export const healthRoutes = (ctx: AppContext, version: string): FastifyPluginAsyncZod => async (app) => {
  app.get(
    '/api/v1/health',
    {
      config: access('public'),
      schema: {
        tags: ['system'],
        summary: 'Is the server up, and on which database',
        response: {
          200: z.object({
            status: z.literal('ok'),
            version: z.string(),
            database: z.enum(['sqlite', 'postgres']),
            workers: z.boolean(),
            uptimeS: z.number(),
            asr: z
              .object({ engine: z.string(), state: z.enum(['none', 'unchecked', 'ready', 'error']), error: z.string().optional() })
              .describe('the ASR engine as last checked: error says what to fix (e.g. the model files expected)'),
          }),
        },
      },
    },
    async () => ({ status: 'ok' as const, version, database: ctx.db.dialect, workers: ctx.runner !== null, uptimeS: Math.round(process.uptime()), asr: ctx.media.asrStatus() }),
  );

  app.get(
    '/api/v1/pipeline',
    {
      config: access('system:read'),
      schema: {
        tags: ['system'],
        summary: 'Calls per status and jobs per stage and status',
        response: {
          200: z.object({
            calls: z.object({ processing: z.number(), done: z.number(), failed: z.number() }),
            stages: z.object(Object.fromEntries(STAGES.map((s) => [s, counts])) as Record<(typeof STAGES)[number], typeof counts>),
          }),
        },
      },
    },
    () => ctx.calls.pipeline(),
  );
};
