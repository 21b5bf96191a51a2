import { get } from './client';

type FacetName = 'agents' | 'teams' | 'businessLines';

/**
 * GET /api/v1/calls/facets: the agents, teams and business lines of the caller's calls, each with its
 * number of calls, most first. A copy: the schema is inline in src/http/routes/call-facet-routes.ts.
 */
export type CallFacets = Record<FacetName, Array<{ value: string; calls: number }>> & {
  /** True where a list stopped at the server's limit (1000). */
  truncated: Record<FacetName, boolean>;
};

export const fetchCallFacets = (signal?: AbortSignal) => get<CallFacets>('/api/v1/calls/facets', undefined, signal);
