import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { auditActorOf } from '../../audit/audit-log.js';
import { EXPORT_FORMATS, EXPORT_KINDS, EXPORT_STATUSES, type ExportRequest } from '../../exports/export-request.js';
import { MAX_EXPORT_CALLS } from '../../exports/export-rules.js';
import { ExportService, type DownloadLink, type ExportHooks } from '../../exports/export-service.js';
import type { ReinspectionFilter } from '../../ports/repositories.js';
import { access, principalOf } from '../auth/route-access.js';
import { callFilterSchema, toReinspectionFilter } from './reinspection-routes.js';

const exportParams = z.object({ id: z.string().min(1).max(100) });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const newExportBody = z
  .object({
    kind: z.enum(EXPORT_KINDS).describe('audio: a tar of the original recordings; transcripts: JSON Lines; report: CSV'),
    format: z.enum(Object.values(EXPORT_FORMATS) as [string, ...string[]]).optional().describe('optional: tar for audio, jsonl for transcripts, csv for report'),
    reason: z.string().trim().min(5).max(1000).describe('why the export is needed: the approver reads it, the audit log keeps it'),
    callIds: z.array(z.string().min(1).max(100)).min(1).max(MAX_EXPORT_CALLS).optional().describe('these calls; each must be in your data scope'),
    filter: callFilterSchema.omit({ callIds: true }).optional().describe('or the calls in your data scope this filter matches now (the list is fixed at request time)'),
  })
  .strict();

const actorSchema = z.object({ userId: z.string(), username: z.string() });
const exportSchema = z.object({
  id: z.string(),
  kind: z.enum(EXPORT_KINDS),
  format: z.string(),
  status: z.enum(EXPORT_STATUSES),
  reason: z.string(),
  calls: z.number().int().describe('how many calls it holds'),
  callIds: z.array(z.string()).optional().describe('the calls (in the single export view)'),
  filter: z.record(z.string(), z.unknown()).nullable().describe('the filter that chose the calls (times ISO 8601); null when they were named'),
  requestedBy: actorSchema,
  requestedAt: z.string(),
  decidedBy: actorSchema.nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  linkExpiresAt: z.string().nullable().describe('when the download link stops working'),
  downloads: z.number().int(),
  lastDownloadedAt: z.string().nullable(),
});
const linkSchema = z
  .object({ url: z.string().describe('GET it signed in as the requester; shown this once, it cannot be shown again'), expiresAt: z.string() })
  .describe('the download link');

const filterView = ({ from, to, ...rest }: ReinspectionFilter): Record<string, unknown> => ({ ...rest, ...(from !== undefined ? { from: iso(from) } : {}), ...(to !== undefined ? { to: iso(to) } : {}) });

function exportView(e: ExportRequest, withCallIds: boolean): z.infer<typeof exportSchema> {
  return {
    id: e.id,
    kind: e.kind,
    format: e.format,
    status: e.status,
    reason: e.reason,
    calls: e.callIds.length,
    ...(withCallIds ? { callIds: e.callIds } : {}),
    filter: e.filter ? filterView(e.filter) : null,
    requestedBy: e.requestedBy,
    requestedAt: iso(e.requestedAt)!,
    decidedBy: e.decidedBy,
    decidedAt: iso(e.decidedAt),
    decisionNote: e.decisionNote,
    linkExpiresAt: iso(e.linkExpiresAt),
    downloads: e.downloads,
    lastDownloadedAt: iso(e.lastDownloadedAt),
  };
}

const linkView = (l: DownloadLink | null) => (l ? { url: l.url, expiresAt: iso(l.expiresAt)! } : null);

/** A refusal that answers 404 is still a denial in the audit log. */
const auditHooks = (req: FastifyRequest): ExportHooks => ({
  denied: (reason) => {
    req.auditOutcome = 'denied';
    req.auditDetails = { ...req.auditDetails, reason };
  },
});

/** The audit facts of an export: what and how many, and a digest of the exact call list (the list itself can be long). */
const exportFacts = (e: ExportRequest) => ({
  kind: e.kind,
  calls: e.callIds.length,
  callsSha256: createHash('sha256').update(e.callIds.join('\n')).digest('hex'),
  requestedBy: e.requestedBy.username,
});

/**
 * Exports of audio, transcripts and reports that a second person approves (docs/security.md,
 * "Exports and approvals"). Every step is audited (export.request, .approve, .reject, .cancel,
 * .download); the download token never is.
 */
export const exportRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const exports = new ExportService({ db: ctx.db, blobs: ctx.blobs, settings: ctx.config });

  app.post(
    '/api/v1/exports',
    {
      config: access('exports:request', 'export.request', 'export'),
      schema: {
        tags: ['exports'],
        summary: 'Ask for an export of calls in your data scope; someone else holding exports:approve approves it',
        description: `At most ${MAX_EXPORT_CALLS} calls, named (callIds) or chosen by a filter; the list is fixed now. A call outside your data scope answers 404 like one that does not exist. When the server does not require approval (TINGJIAN_EXPORTS_REQUIRE_APPROVAL=false) the export is approved at once and the download link comes back here.`,
        body: newExportBody,
        response: { 201: z.object({ export: exportSchema, download: linkSchema.nullable().describe('only when approved at once') }) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { filter, ...rest } = req.body;
      const input = { ...rest, ...(filter ? { filter: toReinspectionFilter(filter, ctx.config.defaultUtcOffset) } : {}) };
      const r = await exports.request(p, input, auditHooks(req));
      req.auditTarget = { type: 'export', id: r.export.id };
      req.auditDetails = { ...exportFacts(r.export), reason: r.export.reason, status: r.export.status };
      if (r.download) {
        // Approved with no second person: an approval entry of its own, so a search for approvals finds it.
        await ctx.audit.record({
          actor: auditActorOf(p),
          action: 'export.approve',
          targetType: 'export',
          targetId: r.export.id,
          outcome: 'allowed',
          ip: req.ip,
          userAgent: req.headers['user-agent']?.slice(0, 300) ?? null,
          details: { ...exportFacts(r.export), automatic: true, why: 'exportsRequireApproval is false', linkExpiresAt: iso(r.export.linkExpiresAt) },
        });
      }
      return reply.code(201).send({ export: exportView(r.export, true), download: linkView(r.download) });
    },
  );

  app.get(
    '/api/v1/exports',
    {
      config: access('exports:request'),
      schema: {
        tags: ['exports'],
        summary: 'Your exports; for approvers also every pending export and those they decided; newest first',
        querystring: z.object({ status: z.enum(EXPORT_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
        response: { 200: z.object({ items: z.array(exportSchema) }) },
      },
    },
    async (req) => ({ items: (await exports.list(principalOf(req), req.query)).map((e) => exportView(e, false)) }),
  );

  app.get(
    '/api/v1/exports/:id',
    {
      config: access('exports:request'),
      schema: { tags: ['exports'], summary: 'One export with its call list (404 for one you may not see)', params: exportParams, response: { 200: exportSchema } },
    },
    async (req) => exportView(await exports.get(principalOf(req), req.params.id, auditHooks(req)), true),
  );

  app.post(
    '/api/v1/exports/:id/approve',
    {
      config: access('exports:approve', 'export.approve', 'export'),
      schema: {
        tags: ['exports'],
        summary: "Approve someone else's pending export: returns the requester's download link, shown this once",
        description: 'Never your own request (403). The link works for the requester only, signed in, until it expires (TINGJIAN_EXPORT_LINK_MINUTES, default 60); pass it on to them.',
        params: exportParams,
        body: z.object({ note: z.string().trim().min(1).max(1000).optional() }).strict().optional(),
        response: { 200: z.object({ export: exportSchema, download: linkSchema }) },
      },
    },
    async (req) => {
      const r = await exports.approve(principalOf(req), req.params.id, req.body?.note ?? null, auditHooks(req));
      req.auditDetails = { ...exportFacts(r.export), linkExpiresAt: iso(r.export.linkExpiresAt), note: r.export.decisionNote };
      return { export: exportView(r.export, true), download: linkView(r.download)! };
    },
  );

  app.post(
    '/api/v1/exports/:id/reject',
    {
      config: access('exports:approve', 'export.reject', 'export'),
      schema: {
        tags: ['exports'],
        summary: "Reject someone else's pending export, saying why",
        params: exportParams,
        body: z.object({ note: z.string().trim().min(1).max(1000).describe('why: the requester reads it') }).strict(),
        response: { 200: exportSchema },
      },
    },
    async (req) => {
      const e = await exports.reject(principalOf(req), req.params.id, req.body.note, auditHooks(req));
      req.auditDetails = { ...exportFacts(e), note: e.decisionNote };
      return exportView(e, true);
    },
  );

  app.post(
    '/api/v1/exports/:id/cancel',
    {
      config: access('exports:request', 'export.cancel', 'export'),
      schema: {
        tags: ['exports'],
        summary: 'Withdraw your pending export, or stop the link of your approved one',
        params: exportParams,
        body: z.object({}).strict().optional(),
        response: { 200: exportSchema },
      },
    },
    async (req) => {
      const e = await exports.cancel(principalOf(req), req.params.id, auditHooks(req));
      req.auditDetails = exportFacts(e);
      return exportView(e, true);
    },
  );

  app.get(
    '/api/v1/exports/:id/download',
    {
      config: access('exports:request', 'export.download', 'export'),
      schema: {
        tags: ['exports'],
        summary: 'Download an approved export: the requester only, signed in, with the link’s token, until it expires (then 410)',
        description:
          'transcripts: JSON Lines, one call per line (metadata and segments; personal data masked without pii:view). report: CSV with a byte order mark (Excel), one row per call with its latest score. audio: a tar of the original recordings, byte for byte. The link alone is not enough: another user gets 403 or 404.',
        params: exportParams,
        querystring: z.object({ token: z.string().min(1).max(200).describe('from the link given at approval') }).strict(),
      },
    },
    async (req, reply) => {
      const d = await exports.download(principalOf(req), req.params.id, req.query.token, auditHooks(req));
      req.auditDetails = { ...exportFacts(d.export), downloads: d.export.downloads, masked: d.masked };
      void reply.header('content-type', d.contentType).header('content-disposition', `attachment; filename="${d.filename}"`);
      if (d.contentLength !== null) void reply.header('content-length', d.contentLength);
      return reply.send(Readable.from(d.body));
    },
  );
};
