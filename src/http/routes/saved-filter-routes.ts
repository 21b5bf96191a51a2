import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TingjianError } from '../../domain/errors.js';
import type { Database } from '../../ports/repositories.js';
import type { SavedFilter } from '../../ports/saved-filter-repository.js';
import { access, principalOf } from '../auth/route-access.js';
import { pageSchema, savedFilterSchema } from './saved-filter.schema.js';

/** The most filters one account keeps, every page together. */
export const MAX_SAVED_FILTERS = 100;
const MAX_KEYS = 30;

const querySchema = z
  .record(z.string().min(1).max(100), z.string().max(500))
  .refine((q) => Object.keys(q).length <= MAX_KEYS, { message: `at most ${MAX_KEYS} parameters` })
  .describe("the page's query parameters, as strings");

const view = (f: SavedFilter): z.infer<typeof savedFilterSchema> => ({ id: f.id, name: f.name, page: f.page, query: f.query, createdAt: new Date(f.createdAt).toISOString() });

/**
 * Filters saved on the console's pages (calls, search, dashboard), per account so they follow the
 * user across browsers. Everyone signed in keeps their own; nobody sees another's.
 */
export const savedFilterRoutes = (deps: { db: Database }): FastifyPluginAsyncZod => async (app) => {
  const repo = deps.db.repos.savedFilters;

  app.get(
    '/api/v1/saved-filters',
    {
      config: access('authenticated'),
      schema: {
        tags: ['users'],
        summary: 'Your saved filters, in name order (of one page with ?page=)',
        querystring: z.object({ page: pageSchema.optional() }).strict(),
        response: { 200: z.object({ items: z.array(savedFilterSchema) }) },
      },
    },
    async (req) => ({ items: (await repo.list(principalOf(req).userId, req.query.page)).map(view) }),
  );

  app.post(
    '/api/v1/saved-filters',
    {
      config: access('authenticated'),
      schema: {
        tags: ['users'],
        summary: 'Save a filter of a console page under a name',
        description: `409 CONFLICT when you already have a filter of that name on that page; 400 past ${MAX_SAVED_FILTERS} filters per account.`,
        body: z.object({ name: z.string().trim().min(1).max(60), page: pageSchema, query: querySchema }).strict(),
        response: { 201: savedFilterSchema },
      },
    },
    async (req, reply) => {
      const accountId = principalOf(req).userId;
      const { name, page, query } = req.body;
      const filter: SavedFilter = { id: randomUUID(), accountId, page, name, query, createdAt: Date.now() };
      const outcome = await repo.insert(filter, MAX_SAVED_FILTERS);
      if (outcome === 'full') {
        throw new TingjianError('INVALID_REQUEST', `you have ${MAX_SAVED_FILTERS} saved filters, the most an account keeps: delete some (DELETE /api/v1/saved-filters/{id}) first`, { limit: MAX_SAVED_FILTERS });
      }
      if (outcome === 'name-taken') {
        throw new TingjianError('CONFLICT', `you already have a filter named "${name}" on the ${page} page: pick another name, or delete that one first`, { name, page });
      }
      return reply.code(201).send(view(filter));
    },
  );

  app.delete(
    '/api/v1/saved-filters/:id',
    {
      config: access('authenticated'),
      schema: { tags: ['users'], summary: 'Delete one of your saved filters', params: z.object({ id: z.string().min(1).max(100) }) },
    },
    async (req, reply) => {
      if (!(await repo.delete(principalOf(req).userId, req.params.id))) {
        throw new TingjianError('NOT_FOUND', `you have no saved filter ${req.params.id}; list yours with GET /api/v1/saved-filters`, { id: req.params.id });
      }
      return reply.code(204).send();
    },
  );
};
