import { z } from 'zod';

/*
 * The response of GET /api/v1/calls/facets, in a module of its own that imports only schemas: the web console
 * derives its types from it (import type) without pulling in server code.
 */

const facetList = z.array(z.object({ value: z.string(), calls: z.number().int() }));

export const callFacetsSchema = z.object({
  agents: facetList,
  teams: facetList,
  businessLines: facetList,
  truncated: z.object({ agents: z.boolean(), teams: z.boolean(), businessLines: z.boolean() }),
});
