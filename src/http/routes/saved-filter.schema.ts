import { z } from 'zod';
import { SAVED_FILTER_PAGES } from '../../ports/saved-filter-repository.js';

/*
 * A saved filter as /api/v1/saved-filters sends it, in a module that imports only schemas: the
 * web console derives its type from it (import type) without pulling in server code.
 */

export const pageSchema = z.enum(SAVED_FILTER_PAGES).describe('the console page the filter belongs to');

export const savedFilterSchema = z.object({
  id: z.string(),
  name: z.string(),
  page: pageSchema,
  query: z.record(z.string(), z.string()),
  createdAt: z.string(),
});
