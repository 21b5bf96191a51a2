import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { AUDIT_OUTCOMES } from '../../audit/audit-event.js';
import { CHAIN_PROBLEM_KINDS, type AuditEntry } from '../../audit/audit-chain.js';
import { AUDIT_EXPORT_CONTENT_TYPE, AUDIT_EXPORT_FORMATS, exportText } from '../../audit/audit-export.js';
import type { AuditFilter } from '../../ports/repositories.js';
import { access } from '../auth/route-access.js';
import { callFilterQueryFields, toReinspectionFilter } from './reinspection-routes.js';

/** The filters of a search and an export. */
const filterFields = {
  from: callFilterQueryFields.from.describe('entries at or after (inclusive): ISO 8601 or epoch ms'),
  to: callFilterQueryFields.to.describe('entries before (exclusive)'),
  actor: z.string().min(1).max(200).optional().describe('the username of whoever acted, exactly'),
  action: z
    .string()
    .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*\.?$/, 'must be an action like call.view, or a prefix ending in a dot like call.')
    .max(100)
    .optional()
    .describe('an action (call.view), or every action under a prefix ending in a dot (call.)'),
  targetId: z.string().min(1).max(200).optional().describe('a call id, username, rule set version …'),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
};

const searchQuery = z
  .object({
    ...filterFields,
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().regex(/^\d+$/, 'must be the nextCursor of the previous page').optional(),
  })
  .strict();

const exportQuery = z.object({ ...filterFields, format: z.enum(AUDIT_EXPORT_FORMATS).default('jsonl') }).strict();

const entrySchema = z.object({
  seq: z.number().int(),
  time: z.string().describe('ISO 8601'),
  at: z.number().int().describe('epoch ms, as hashed'),
  actor: z.object({ userId: z.string().nullable(), username: z.string(), role: z.string().nullable(), via: z.string() }),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).describe('small facts: the search query, the HTTP status, the reason of a denial'),
  prevHash: z.string(),
  hash: z.string(),
});

const linkSchema = z.object({ seq: z.number().int(), hash: z.string() });

const verifySchema = z.object({
  intact: z.boolean(),
  entries: z.number().int().describe('entries checked'),
  anchor: linkSchema.describe('where the chain starts (seq 0 until old entries are purged)'),
  head: linkSchema.describe('the last entry: keep it to notice entries removed from the end later'),
  problemCount: z.number().int(),
  problems: z
    .array(
      z.object({
        kind: z.enum(CHAIN_PROBLEM_KINDS),
        seq: z.number().int(),
        toSeq: z.number().int().optional().describe('the last missing seq of a range'),
        message: z.string(),
      }),
    )
    .describe('the first 1,000 problems in seq order'),
});

const entryView = (e: AuditEntry): z.infer<typeof entrySchema> => ({
  seq: e.seq,
  time: new Date(e.at).toISOString(),
  at: e.at,
  actor: { userId: e.actorUserId, username: e.actorUsername, role: e.actorRole, via: e.actorVia },
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  outcome: e.outcome,
  ip: e.ip,
  userAgent: e.userAgent,
  details: JSON.parse(e.details) as Record<string, unknown>,
  prevHash: e.prevHash,
  hash: e.hash,
});

type FilterQuery = Partial<Record<'actor' | 'action' | 'targetId' | 'outcome', string>> & { from?: string | number | undefined; to?: string | number | undefined };

function auditFilter({ from, to, ...rest }: FilterQuery, defaultUtcOffset: string): AuditFilter {
  const times = toReinspectionFilter({ ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }, defaultUtcOffset, 'querystring');
  return Object.fromEntries(Object.entries({ ...rest, from: times.from, to: times.to }).filter(([, v]) => v !== undefined)) as AuditFilter;
}

/**
 * The audit log for auditors (permission audit:read): search, export (streamed, with hashes) and
 * verification of the hash chain. Each of these requests is itself audited.
 */
export const auditRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get(
    '/api/v1/audit',
    {
      config: access('audit:read', 'audit.search'),
      schema: {
        tags: ['audit'],
        summary: 'Search the audit log: who did what, when, from where; newest first',
        querystring: searchQuery,
        response: { 200: z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last') }) },
      },
    },
    async (req) => {
      const { limit, cursor, ...filters } = req.query;
      req.auditDetails = { filters };
      const page = await ctx.audit.search(auditFilter(filters, ctx.config.defaultUtcOffset), { limit, cursor });
      return { items: page.items.map(entryView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/audit/export',
    {
      config: access('audit:read', 'audit.export'),
      schema: {
        tags: ['audit'],
        summary: 'Export audit entries, oldest first, with their hashes (JSON Lines or CSV), streamed',
        description: 'JSON Lines hold every stored field exactly (details as its JSON text), so the hashes can be recomputed outside Tingjian: see docs/security.md.',
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const { format, ...filters } = req.query;
      req.auditDetails = { filters, format };
      const body = Readable.from(exportText(format, ctx.audit.entries(auditFilter(filters, ctx.config.defaultUtcOffset))));
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', AUDIT_EXPORT_CONTENT_TYPE[format])
        .header('content-disposition', `attachment; filename="tingjian-audit-${day}.${format}"`)
        .send(body);
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      config: access('audit:read', 'audit.verify'),
      schema: {
        tags: ['audit'],
        summary: 'Verify the hash chain of the whole audit log: changed, removed and inserted entries, each with its seq',
        response: { 200: verifySchema },
      },
    },
    async (req) => {
      const report = await ctx.audit.verify();
      req.auditDetails = { intact: report.intact, entries: report.entries, problems: report.problemCount };
      return report;
    },
  );
};
