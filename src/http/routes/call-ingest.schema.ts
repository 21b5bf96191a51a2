import { z } from 'zod';
import { storedCallSchema } from '../../analyze/analysis-document.schema.js';

/*
 * The response of POST /api/v1/calls, in a module that imports only schemas: the web console
 * derives its type from it (import type) without pulling in server code.
 */

export const acceptedSchema = z.object({
  call: storedCallSchema,
  created: z.boolean().describe('false when the same call (externalId or recording sha256) was already stored'),
  matchedBy: z.enum(['externalId', 'sha256']).optional(),
});
