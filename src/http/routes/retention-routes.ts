import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { auditActorOf } from '../../audit/audit-log.js';
import { CALL_CHANNELS } from '../../domain/call.js';
import { access, principalOf } from '../auth/route-access.js';
import { callInScopeOf } from '../auth/scoped-call.js';
import { idParams } from './call-read-routes.js';

const policySchema = z.object({
  version: z.number().int(),
  defaultKeepDays: z.number().int(),
  misdialMaxSeconds: z.number().int().optional(),
  misdialKeepDays: z.number().int().optional(),
  rules: z.array(
    z.object({
      id: z.string(),
      description: z.string().optional(),
      match: z.object({ businessLine: z.array(z.string()).optional(), customerTag: z.array(z.string()).optional(), channel: z.array(z.enum(CALL_CHANNELS)).optional() }),
      keepDays: z.number().int(),
      keepMisdials: z.boolean(),
    }),
  ),
});

const retentionSchema = z.object({
  callId: z.string(),
  expiresAt: z.string().nullable().describe('ISO 8601; null: computed by none yet (a call stored before retention existed: kept until `tingjian retention apply`)'),
  policy: z.string().nullable().describe('the rule that decided: its id, default or misdial'),
  expired: z.boolean(),
  legalHold: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  worm: z.boolean().describe('WORM mode: nothing is changed or deleted before it expires'),
  recordingRetainedUntil: z.string().nullable().describe('WORM: the time the store keeps the original until'),
});

const purgedSchema = z.object({ callId: z.string(), externalId: z.string().nullable(), policy: z.string().nullable(), expiresAt: z.string().nullable() });

const holdFilterFields = {
  callIds: z.array(z.string().min(1).max(100)).max(10_000).optional(),
  customerPhone: z.string().min(1).max(100).optional().describe("every call of this customer phone (as stored in the call's metadata)"),
  externalIds: z.array(z.string().min(1).max(200)).max(10_000).optional(),
};
const reasonField = z.string().trim().min(1).max(500).describe('why: the case, the ticket, who asked');

/**
 * Retention over HTTP: the policy, a call's expiry and legal hold, holds by filter, a purge run
 * now, and deleting a call (refused while held, and in WORM mode before its expiry — for
 * everyone, admins included). The audit hook records each request; the purge also writes one
 * `retention.purge` entry per deleted call.
 */
export const retentionRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  /** A call's retention after `change` — for a call in the principal's data scope only (else 404). */
  const scopedRetention = async (req: FastifyRequest, id: string, change?: () => Promise<unknown>) => {
    await callInScopeOf(req, ctx.db, id);
    await change?.();
    return ctx.retention.get(id);
  };

  app.get(
    '/api/v1/retention/policy',
    {
      config: access('retention:manage', 'retention.policy.view'),
      schema: {
        tags: ['retention'],
        summary: 'The retention policy in force (keep days per business line, customer tag, channel), WORM mode and the purge schedule',
        response: { 200: z.object({ policy: policySchema, source: z.string(), worm: z.boolean(), purgeIntervalMinutes: z.number().int() }) },
      },
    },
    async () => ({
      policy: ctx.retention.policy,
      source: ctx.config.retentionPolicyFile ?? 'built-in (templates/retention/default.yaml)',
      worm: ctx.config.worm,
      purgeIntervalMinutes: ctx.config.retentionPurgeIntervalMinutes,
    }),
  );

  app.get(
    '/api/v1/calls/:id/retention',
    {
      config: access('calls:read', 'call.retention'),
      schema: { tags: ['retention'], summary: "A call's expiry, the rule that set it, and its legal hold", params: idParams, response: { 200: retentionSchema } },
    },
    async (req) => {
      const r = await scopedRetention(req, req.params.id);
      // The hold's reason and who set it belong to the case (a dispute, a regulator's request):
      // others reading the call learn only that it is held.
      if (r.legalHold && !principalOf(req).permissions.has('retention:manage')) return { ...r, legalHold: { ...r.legalHold, reason: '(legal hold)', by: '' } };
      return r;
    },
  );

  app.put(
    '/api/v1/calls/:id/legal-hold',
    {
      config: access('retention:manage', 'legal_hold.set'),
      schema: {
        tags: ['retention'],
        summary: 'Put a call on legal hold: it is never purged or deleted until released (a new reason replaces the old)',
        params: idParams,
        body: z.object({ reason: reasonField }).strict(),
        response: { 200: retentionSchema },
      },
    },
    async (req) => {
      req.auditDetails = { reason: req.body.reason };
      return scopedRetention(req, req.params.id, () => ctx.retention.hold({ callIds: [req.params.id] }, req.body.reason, principalOf(req).username));
    },
  );

  app.delete(
    '/api/v1/calls/:id/legal-hold',
    {
      config: access('retention:manage', 'legal_hold.release'),
      schema: { tags: ['retention'], summary: 'Release a legal hold: the call is purged again once its (unchanged) expiry passes', params: idParams, response: { 200: retentionSchema } },
    },
    async (req) => scopedRetention(req, req.params.id, () => ctx.retention.release({ callIds: [req.params.id] })),
  );

  app.post(
    '/api/v1/retention/legal-holds',
    {
      config: access('retention:manage', 'legal_hold.set'),
      schema: {
        tags: ['retention'],
        summary: 'Put calls on legal hold by ids, customer phone and/or external ids',
        body: z.object({ ...holdFilterFields, reason: reasonField }).strict(),
        response: { 200: z.object({ held: z.array(z.string()), missing: z.array(z.string()).describe('call ids given that do not exist') }) },
      },
    },
    async (req) => {
      const { reason, ...filter } = req.body;
      const r = await ctx.retention.hold(filter, reason, principalOf(req).username);
      req.auditDetails = { reason, held: r.held.length, ...(filter.customerPhone ? { byCustomerPhone: true } : {}) };
      return r;
    },
  );

  app.post(
    '/api/v1/retention/legal-holds/release',
    {
      config: access('retention:manage', 'legal_hold.release'),
      schema: {
        tags: ['retention'],
        summary: 'Release the legal holds of calls by ids, customer phone and/or external ids',
        body: z.object(holdFilterFields).strict(),
        response: { 200: z.object({ released: z.array(z.string()), notHeld: z.array(z.string()) }) },
      },
    },
    async (req) => {
      const r = await ctx.retention.release(req.body);
      req.auditDetails = { released: r.released.length };
      return r;
    },
  );

  app.post(
    '/api/v1/retention/purge',
    {
      config: access('retention:manage', 'retention.purge.run'),
      schema: {
        tags: ['retention'],
        summary: 'Purge expired calls that are not on legal hold now (dryRun: only list them)',
        body: z.object({ dryRun: z.boolean().default(false) }).strict().default({ dryRun: false }),
        response: {
          200: z.object({
            dryRun: z.boolean(),
            due: z.number().int(),
            purged: z.number().int(),
            heldExpired: z.number().int().describe('expired calls a legal hold keeps'),
            locked: z.number().int().describe('expired calls whose original the store still retains (WORM)'),
            failed: z.array(z.object({ callId: z.string(), error: z.string() })),
            resumed: z.number().int(),
            calls: z.array(purgedSchema).describe('the first 1,000 calls purged'),
          }),
        },
      },
    },
    async (req) => {
      const report = await ctx.retention.purge({ dryRun: req.body.dryRun, actor: auditActorOf(principalOf(req)) });
      req.auditDetails = { dryRun: report.dryRun, purged: report.purged, failed: report.failed.length };
      return report;
    },
  );

  app.delete(
    '/api/v1/calls/:id',
    {
      config: access('calls:delete', 'call.delete'),
      schema: {
        tags: ['calls'],
        summary: 'Delete a call and everything derived from it (recording, transcript, analysis, inspections, search entry)',
        description: '409 LEGAL_HOLD while the call is on legal hold; in WORM mode 409 WORM_LOCKED before its expiry, whoever asks (admins included).',
        params: idParams,
        response: { 200: z.object({ deleted: purgedSchema }) },
      },
      // The tombstone carries this request's call.delete entry until the audit hook (onSend) has
      // written it: a request that fails after the rows are gone, or a process that dies, leaves
      // the entry to the next purge instead of a deletion nobody recorded.
      onResponse: async (req, reply) => {
        if (reply.statusCode === 200) await ctx.retention.settleDeletion(req.params.id);
      },
    },
    async (req) => {
      await callInScopeOf(req, ctx.db, req.params.id);
      const { recordingDeleted, ...deleted } = await ctx.retention.deleteCall(req.params.id, { auditAs: auditActorOf(principalOf(req)), callerAudits: true });
      req.auditDetails = { externalId: deleted.externalId, policy: deleted.policy, expiresAt: deleted.expiresAt, recordingDeleted };
      return { deleted };
    },
  );
};
