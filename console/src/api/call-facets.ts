import type { z } from 'zod';
import type { callFacetsSchema } from '../../../src/http/routes/call-facets.schema';
import { get } from './client';

/** GET /api/v1/calls/facets: the agents, teams and business lines of the caller's calls, each with its number of calls, most first (and whether a list stopped at the limit). */
export type CallFacets = z.infer<typeof callFacetsSchema>;

export const fetchCallFacets = (signal?: AbortSignal) => get<CallFacets>('/api/v1/calls/facets', undefined, signal);
