import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { TingjianError } from '../../domain/errors.js';
import { queueReinspection } from '../../inspect/reinspection/reinspection-runner.js';
import { toEpochMs } from '../../ingest/parse-call-input.js';
import type { ReinspectionFilter, ReinspectionJob } from '../../ports/repositories.js';
import { access } from '../auth/route-access.js';
import { badFilterTime } from './query-params.js';
import { callFilterSchema, DATE_ONLY, jobSchema, type CallFilterInput } from './reinspection.schema.js';

// The call filter's schemas live in reinspection.schema.ts (importable by the console); the routes
// that take the filter import them from here as before.
export { callFilterQueryFields, callFilterSchema, type CallFilterInput } from './reinspection.schema.js';

/** A filter time as epoch ms; a calendar-impossible one (2025-02-30) is a bad request naming the field. */
export function filterTime(name: string, v: string | number, offset: string): number {
  try {
    return toEpochMs(typeof v === 'string' && DATE_ONLY.test(v) ? `${v}T00:00:00` : v, offset);
  } catch (e) {
    throw badFilterTime(name, v, offset, e);
  }
}

export function toReinspectionFilter(f: CallFilterInput | undefined, defaultUtcOffset: string, at = 'filter'): ReinspectionFilter {
  if (!f) return {};
  const { from, to, ...rest } = f;
  const out: ReinspectionFilter = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  if (from !== undefined) out.from = filterTime(`${at}.from`, from, defaultUtcOffset);
  if (to !== undefined) out.to = filterTime(`${at}.to`, to, defaultUtcOffset);
  return out;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const filterView = ({ from, to, ...rest }: ReinspectionFilter) => ({ ...rest, ...(from !== undefined ? { from: iso(from)! } : {}), ...(to !== undefined ? { to: iso(to)! } : {}) });

export const jobView = (j: ReinspectionJob): z.infer<typeof jobSchema> => ({
  id: j.id,
  ruleSetVersion: j.ruleSetVersion,
  filter: filterView(j.filter),
  status: j.status,
  total: j.total,
  done: j.done,
  hitCalls: j.hitCalls,
  progress: j.total > 0 ? Math.min(1, Math.round((j.done / j.total) * 1000) / 1000) : j.status === 'done' ? 1 : 0,
  error: j.error,
  createdAt: iso(j.createdAt)!,
  updatedAt: iso(j.updatedAt)!,
  finishedAt: iso(j.finishedAt),
});

const jobParams = z.object({ id: z.coerce.number().int().positive() });
const queueBody = z
  .object({
    version: z.number().int().positive().optional().describe('a published rule set version; default: the newest published one'),
    filter: callFilterSchema.optional().describe('default: every stored call'),
  })
  .strict();

async function job(ctx: AppContext, id: number): Promise<ReinspectionJob> {
  const j = await ctx.db.repos.reinspections.get(id);
  if (!j) throw new TingjianError('NOT_FOUND', `re-inspection job ${id} does not exist; list them with GET /api/v1/reinspections`, { id });
  return j;
}

/**
 * Re-inspections: judge stored calls again with a published rule set version (no
 * re-transcription), as a background job of the server's re-inspection worker. Results are
 * stored beside the earlier versions' results, never over them.
 */
export const reinspectionRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.post(
    '/api/v1/reinspections',
    {
      config: access('reinspect:run', 'reinspection.create', 'reinspection'),
      schema: {
        tags: ['rules'],
        summary: 'Queue a re-inspection of stored calls with a published rule set version',
        description:
          'The job is worked on in the background by a server that runs workers; poll GET /api/v1/reinspections/{id}. ' +
          '404 for an unknown version, 409 for a draft (publish it first) or when no version is given and none is published. `total` is the number of calls the filter matched. ' +
          'Re-inspect chosen calls with `{ "filter": { "callIds": [...] } }` (up to 10,000 ids; the newest published version when `version` is left out).',
        body: queueBody,
        response: { 202: jobSchema },
      },
    },
    async (req, reply) => {
      const version = req.body.version ?? (await ctx.db.repos.ruleSets.latestPublishedVersion());
      if (version === null) throw new TingjianError('CONFLICT', 'no rule set version is published yet: publish one (POST /api/v1/rule-sets/versions/{version}/publish), then re-inspect');
      const queued = await queueReinspection(ctx.db, version, toReinspectionFilter(req.body.filter, ctx.config.defaultUtcOffset));
      ctx.reinspections?.wake();
      return reply.code(202).send(jobView(queued));
    },
  );

  app.get(
    '/api/v1/reinspections',
    {
      // A job's filter names calls and counts them across every scope: only those who run re-inspections read jobs.
      config: access('reinspect:run'),
      schema: {
        tags: ['rules'],
        summary: 'Re-inspection jobs, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict(),
        response: { 200: z.object({ items: z.array(jobSchema) }) },
      },
    },
    async (req) => ({ items: (await ctx.db.repos.reinspections.list(req.query.limit)).map(jobView) }),
  );

  app.get(
    '/api/v1/reinspections/:id',
    {
      config: access('reinspect:run'),
      schema: {
        tags: ['rules'],
        summary: 'One re-inspection job: status and progress',
        params: jobParams,
        response: { 200: jobSchema },
      },
    },
    async (req) => jobView(await job(ctx, req.params.id)),
  );

  app.post(
    '/api/v1/reinspections/:id/cancel',
    {
      config: access('reinspect:run', 'reinspection.cancel', 'reinspection'),
      schema: {
        tags: ['rules'],
        summary: 'Cancel a queued or running re-inspection; 409 when it is already over',
        description: 'Calls judged before the cancel keep their new results; the others keep their earlier ones.',
        params: jobParams,
        response: { 200: jobSchema },
      },
    },
    async (req) => {
      const { id } = req.params;
      if (!(await ctx.db.repos.reinspections.cancel(id, Date.now()))) {
        const j = await job(ctx, id);
        throw new TingjianError('CONFLICT', `re-inspection job ${id} is already ${j.status}; only a queued or running job can be cancelled`, { id, status: j.status });
      }
      return jobView(await job(ctx, id));
    },
  );

  app.post(
    '/api/v1/reinspections/:id/resume',
    {
      config: access('reinspect:run', 'reinspection.resume', 'reinspection'),
      schema: {
        tags: ['rules'],
        summary: 'Queue a failed or cancelled re-inspection again; it goes on after the last stored batch (409 otherwise)',
        params: jobParams,
        response: { 200: jobSchema },
      },
    },
    async (req) => {
      const { id } = req.params;
      if (!(await ctx.db.repos.reinspections.requeue(id, Date.now()))) {
        const j = await job(ctx, id);
        throw new TingjianError('CONFLICT', `re-inspection job ${id} is ${j.status}; only a failed or cancelled job can be resumed`, { id, status: j.status });
      }
      ctx.reinspections?.wake();
      return jobView(await job(ctx, id));
    },
  );
};
