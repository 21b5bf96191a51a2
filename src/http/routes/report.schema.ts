import { z } from 'zod';

/*
 * What the report routes send (src/http/routes/report-routes.ts), in a module that imports only
 * zod: the web console derives its types from it (import type) without pulling in server code.
 */

export const avgScore = z.number().nullable().describe('average score percent of the calls with a score, to 0.1; null without any');
export const hitRate = z.number().nullable().describe('share of inspected calls where at least one rule hit, 0..1 (4 decimals); null without inspected calls');
export const bucketsSchema = z
  .array(z.object({ bucket: z.string(), from: z.string(), to: z.string() }))
  .describe('every bucket of the trends in order (empty ones too): its first day (YYYY-MM-DD) and the instants it covers within the range, to list its calls');
export const kpis = {
  calls: z.number().int(),
  scoredCalls: z.number().int(),
  inspectedCalls: z.number().int(),
  avgScore,
  hitCalls: z.number().int().describe('calls where at least one rule hit in the latest inspection'),
  hitRate,
  fatalCalls: z.number().int().describe('calls whose latest inspection failed a fatal item (一票否决)'),
};

export const overviewSchema = z.object({
  ...kpis,
  scoreDistribution: z.array(z.object({ from: z.number(), to: z.number(), calls: z.number().int() })).describe('calls per 10 points: [from, to), the last one [90, 100]'),
  bands: z.array(z.object({ band: z.string(), calls: z.number().int() })),
  buckets: bucketsSchema,
  trend: z.array(z.object({ bucket: z.string(), calls: z.number().int(), avgScore, hitRate, fatalCalls: z.number().int() })),
});

export const rulesSchema = z.object({
  inspectedCalls: z.number().int(),
  items: z.array(z.object({ ruleId: z.string(), ruleName: z.string(), calls: z.number().int().describe('calls where it hit'), hits: z.number().int(), rate: z.number().nullable().describe('calls / inspected calls') })),
  buckets: bucketsSchema,
  trend: z.array(z.object({ bucket: z.string(), ruleId: z.string(), calls: z.number().int(), rate: z.number().nullable() })).describe('each top rule in each bucket'),
});

export const agentItem = z.object({ agentId: z.string(), teamId: z.string().nullable(), ...kpis });
export const agentsSchema = z.object({ agents: z.number().int().describe('agents with calls in the range'), items: z.array(agentItem) });
export const businessLinesSchema = z.object({ items: z.array(z.object({ businessLine: z.string(), ...kpis })) });

export const sentiment = { positive: z.number().int(), neutral: z.number().int(), negative: z.number().int(), avgSentiment: z.number().nullable().describe("the customer's sentiment, -1..1, to 0.01") };
export const emotionSchema = z.object({ totals: z.object(sentiment), buckets: bucketsSchema, trend: z.array(z.object({ bucket: z.string(), ...sentiment })) });

export const topicsSchema = z.object({
  calls: z.number().int(),
  items: z.array(z.object({ topic: z.string().describe('topic id'), name: z.string(), calls: z.number().int() })),
  buckets: bucketsSchema,
  trend: z.array(z.object({ bucket: z.string(), topic: z.string(), calls: z.number().int() })),
});

export const agentPageSchema = z.object({
  agentId: z.string(),
  teamId: z.string().nullable(),
  ...kpis,
  buckets: bucketsSchema,
  trend: z.array(z.object({ bucket: z.string(), calls: z.number().int(), avgScore, hitRate })),
  deductions: z
    .array(
      z.object({
        ruleId: z.string(),
        ruleName: z.string(),
        calls: z.number().int(),
        hits: z.number().int(),
        moments: z
          .array(z.object({ callId: z.string(), at: z.string().describe("the call's time"), startMs: z.number().int().describe('where the evidence starts in the call'), endMs: z.number().int(), quote: z.string().describe('what was said there (masked without pii:view)') }))
          .describe('the latest calls where it hit (at most 5), newest first'),
      }),
    )
    .describe('the rules that hit in most of the agent’s calls'),
});

/** The numbers every report row has. */
export const kpisSchema = z.object(kpis);
