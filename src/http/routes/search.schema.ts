import { z } from 'zod';
import { SEARCH_TOTAL_CAP } from '../../ports/search-index.js';
import { SNIPPETS_PER_CALL } from '../../search/search-snippets.js';

/*
 * The response of GET /api/v1/search, in a module of its own that imports only schemas: the web
 * console derives its types from it (import type) without pulling in server code.
 */

export const SENTIMENT_LABELS = ['positive', 'neutral', 'negative'] as const;

export const searchItemSchema = z.object({
  callId: z.string(),
  externalId: z.string().nullable(),
  at: z.string().describe('the call’s start (or when it was accepted), ISO 8601'),
  agentId: z.string().nullable(),
  teamId: z.string().nullable(),
  businessLine: z.string().nullable(),
  channel: z.string(),
  scorePercent: z.number().nullable().describe('of the latest inspection'),
  customerSentiment: z.number().nullable().describe('-1..1'),
  sentimentLabel: z.enum(SENTIMENT_LABELS).nullable(),
  topics: z.array(z.string()),
  matchedSegments: z.number().int().describe('sentences of the call that hold a query word'),
  snippets: z
    .array(
      z.object({
        index: z.number().int().describe('the transcript segment'),
        speaker: z.enum(['agent', 'customer', 'unknown']),
        startMs: z.number().int().describe('where to play from'),
        endMs: z.number().int(),
        text: z.string(),
        highlights: z.array(z.object({ start: z.number().int(), end: z.number().int() })).describe('UTF-16 offsets into text, end exclusive'),
      }),
    )
    .describe(`at most ${SNIPPETS_PER_CALL} sentences holding the query, the most query words first, in transcript order`),
});

export const searchResultSchema = z.object({
  items: z.array(searchItemSchema),
  total: z.number().int().describe(`matching calls, exact up to ${SEARCH_TOTAL_CAP}`),
  totalCapped: z.boolean().describe(`more than ${SEARCH_TOTAL_CAP} calls match; total is ${SEARCH_TOTAL_CAP}`),
  terms: z.array(z.string()).describe('the query words as searched (simplified, lower case, half width)'),
  limit: z.number().int(),
  offset: z.number().int(),
});
