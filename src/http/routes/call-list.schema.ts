import { z } from 'zod';
import { storedCallSchema } from '../../analyze/analysis-document.schema.js';

/*
 * The response of GET /api/v1/calls, in a module of its own that imports only schemas: the web
 * console derives its types from it (import type) without pulling in server code.
 */

export const callListItemSchema = storedCallSchema.extend({
  inspection: z
    .object({
      ruleSetVersion: z.number().int(),
      scorePercent: z.number().nullable(),
      band: z.string().nullable(),
      hits: z.number().int().describe('rules that hit'),
      fatal: z.boolean(),
    })
    .nullable()
    .describe('the latest inspection (highest rule set version); null while none is stored'),
  analysis: z
    .object({
      customerSentiment: z.number().nullable(),
      sentimentLabel: z.enum(['positive', 'neutral', 'negative']).nullable(),
      topics: z.array(z.string()).describe('topic ids'),
    })
    .nullable()
    .describe('from the text analysis; null until the call is indexed'),
});

export const callListPageSchema = z.object({ items: z.array(callListItemSchema), nextCursor: z.string().nullable(), total: z.number().int() });
