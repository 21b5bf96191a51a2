import { z } from 'zod';
import { inspectionSchema } from '../../analyze/analysis-document.schema.js';

/*
 * What the rule set routes send (versions, a validated set's summary, a dry run's report), in a
 * module that imports only schemas: the web console derives its types from it (import type)
 * without pulling in server code.
 */

export const summarySchema = z.object({
  hash: z.string().describe('sha256 of the rule set'),
  modules: z.array(z.object({ module: z.string(), name: z.string(), rules: z.number().int(), scorecards: z.number().int() })),
  rules: z.number().int(),
  scorecards: z.number().int(),
});
export const versionInfoSchema = z.object({
  version: z.number().int(),
  status: z.enum(['draft', 'published']),
  sha256: z.string(),
  note: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601'),
  createdBy: z.string().nullable().describe('the account that stored it over the API ("api" before accounts existed), or "cli (<os user>)"'),
  publishedAt: z.string().nullable(),
});
export const documentSchema = z.object({ modules: z.array(z.looseObject({ module: z.string(), name: z.string() })), note: z.string().optional() }).describe('the modules of the version, as sent (merged over the published ones unless replaceAll)');
export const versionSchema = versionInfoSchema.extend({ document: documentSchema });

export const evidenceSchema = inspectionSchema.shape.results.element.shape.evidence.element;
export const dryRunReportSchema = z.object({
  calls: z.number().int().describe('stored calls judged'),
  publishedVersion: z.number().int().nullable().describe('the version compared with; null when none is published'),
  rules: z.array(
    z.object({
      ruleId: z.string(),
      ruleName: z.string(),
      removed: z.literal(true).optional().describe('only in the published version: the candidate drops it'),
      hitCalls: z.number().int(),
      naCalls: z.number().int(),
      hitRate: z.number().describe('hit calls over the calls where the rule applied, 0..1'),
      hits: z.number().int(),
      published: z
        .object({
          hitCalls: z.number().int(),
          newlyHit: z.number().int(),
          noLongerHit: z.number().int(),
          newlyHitCallIds: z.array(z.string()).describe('the first 20'),
          noLongerHitCallIds: z.array(z.string()).describe('the first 20'),
        })
        .nullable()
        .describe('the same rule in the published version; null for a new rule'),
      examples: z.array(z.object({ callId: z.string(), externalId: z.string().nullable(), evidence: z.array(evidenceSchema) })),
    }),
  ),
  meanScore: z.object({ candidate: z.number().nullable(), published: z.number().nullable() }),
});
