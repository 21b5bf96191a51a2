import type { FastifyError, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { TingjianError } from '../../domain/errors.js';
import { dryRunRules } from '../../inspect/dry-run/dry-run-rules.js';
import type { RuleSetVersionInfo } from '../../ports/repositories.js';
import type { RuleFileInput } from '../../rules/language/parse-rule-files.js';
import type { RuleSetDocument } from '../../rules/language/rule-module.js';
import { errorHandler } from '../error-mapping.js';
import { dryRunReportSchema, summarySchema, versionInfoSchema, versionSchema } from './rule-set.schema.js';
import { callFilterQueryFields, callFilterSchema, toReinspectionFilter } from './reinspection-routes.js';
import { access } from '../auth/route-access.js';
import { scopeOfRequest, showsPii } from '../auth/scoped-call.js';
import { principalOf } from '../auth/route-access.js';
import { auditActorOf } from '../../audit/audit-log.js';
import { maskEvidence } from '../../calls/redact-call-detail.js';
import { maskPii } from '../../enrich/pii/redact-text.js';
import type { DryRunReport } from '../../inspect/dry-run/dry-run-rules.js';

/** A dry run as a role without pii:view sees it: the examples' evidence and external ids masked. */
const maskDryRun = (r: DryRunReport): DryRunReport => ({
  ...r,
  rules: r.rules.map((row) => ({
    ...row,
    examples: row.examples.map((x) => ({ ...x, externalId: x.externalId === null ? null : maskPii(x.externalId), evidence: x.evidence.map(maskEvidence) })),
  })),
});

/** Rule files are small (the built-in templates are a few KB each); a body over this is a mistake. */
export const RULES_BODY_LIMIT = 2 * 1024 * 1024;
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];
const MAX_DRY_RUN_CALLS = 100_000;
const TEXT_BODY = 'request body';

// ---------------------------------------------------------------------------------------------
// schemas

const moduleSchema = z.unknown().describe('a rule module: {module, name, appliesTo?, synonyms?, negators?, entities?, rules: [...], scorecards?: [...]} (docs/rules.md)');
const modulesField = z.array(moduleSchema).min(1).max(200).describe('rule modules, one per file of the rule language; problems are reported as 422 INVALID_RULES with the module (modules[i]) and the path');
const textBody = z.string().describe('or: one rule module as YAML or JSON text, with Content-Type application/yaml, text/yaml or text/plain (problems then have line and column)');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const validateJson = z.object({ modules: modulesField }).strict();
const createJson = z.object({ modules: modulesField, note: z.string().max(2000).optional().describe('what changed') }).strict();
const testJson = z
  .object({
    modules: modulesField.optional().describe('the candidate modules; default: the published version as it is'),
    filter: callFilterSchema.optional().describe('which stored calls; default: all (up to limit)'),
    limit: z.number().int().min(1).max(MAX_DRY_RUN_CALLS).optional().describe('at most this many calls (default 1000), in call id order'),
    replaceAll: z.boolean().optional().describe('the modules are the whole rule set (default: they replace the published modules of the same id)'),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// helpers

/**
 * The body schemas above describe JSON; a text body (YAML, JSON text) is kept as the string the
 * parser read and goes to the rule parser as is, so its problems have lines.
 */
function jsonOrText<S>(route: Parameters<FastifySchemaCompiler<S>>[0]) {
  const check = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
  return route.httpPart === 'body' ? (data: unknown) => (typeof data === 'string' ? { value: data } : check(data)) : check;
}

/** A module of a JSON body is named `modules[i]` in errors (the file of a text body: `request body`). */
function ruleInputs(body: string | { modules?: unknown[] | undefined }): RuleFileInput[] {
  if (typeof body === 'string') {
    if (body.trim() === '') throw new TingjianError('INVALID_REQUEST', 'the body is empty: send a rule module as YAML/JSON text, or JSON {"modules": [...]}');
    return [{ name: TEXT_BODY, text: body }];
  }
  return (body.modules ?? []).map((value, i) => ({ name: `modules[${i}]`, value }));
}

/** A value given both in the JSON body and in the query string must not disagree. */
function oneOf<T>(name: string, fromBody: T | undefined, fromQuery: T | undefined): T | undefined {
  if (fromBody !== undefined && fromQuery !== undefined && JSON.stringify(fromBody) !== JSON.stringify(fromQuery)) {
    throw new TingjianError('INVALID_REQUEST', `${name} is given in the body and in the query string with different values; give it once`, { problems: [name] });
  }
  return fromBody ?? fromQuery;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const info = (v: RuleSetVersionInfo): z.infer<typeof versionInfoSchema> => ({
  version: v.version,
  status: v.status,
  sha256: v.sha256,
  note: v.note,
  createdAt: iso(v.createdAt)!,
  createdBy: v.createdBy,
  publishedAt: iso(v.publishedAt),
});

const withDocument = ({ document, ...v }: RuleSetVersionInfo & { document: RuleSetDocument }): z.infer<typeof versionSchema> => ({
  ...info(v),
  document: { ...document, modules: document.modules.map((m) => ({ ...m })) },
});

/** Fastify's body errors said in terms of rule files. */
function rulesBodyError(err: FastifyError): FastifyError | null {
  let e: TingjianError | null = null;
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    e = new TingjianError('UPLOAD_TOO_LARGE', `rule files are limited to ${RULES_BODY_LIMIT / 1024 / 1024} MB per request; send fewer modules at once (a module replaces the published module of the same id)`);
  } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    e = new TingjianError('INVALID_REQUEST', 'send application/json ({"modules": [...]}) or one rule module as YAML/JSON text (application/yaml, text/yaml or text/plain)');
  }
  return e as FastifyError | null;
}

const NOTHING_PUBLISHED = 'no rule set version is published yet: run `tingjian init` (publishes the built-in templates) or POST /api/v1/rule-sets/versions?publish=true';

/**
 * Rule sets over HTTP: validate rule modules, store them as a version, publish it, read the
 * versions, and dry-run a candidate on stored calls. Bodies are JSON `{modules: [...]}` or one
 * module as YAML text; problems are 422 INVALID_RULES with every error located.
 */
export const ruleSetRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string', bodyLimit: RULES_BODY_LIMIT }, (_req, body, done) => done(null, body));
  // The server-wide messages for these speak of recordings and transcripts; here they are rule files.
  app.setErrorHandler((err: FastifyError, req, reply) => errorHandler(rulesBodyError(err) ?? err, req, reply));
  const common = { bodyLimit: RULES_BODY_LIMIT, validatorCompiler: jsonOrText };
  const consumes = ['application/json', 'application/yaml', 'text/yaml', 'text/plain'];

  app.post(
    '/api/v1/rule-sets/validate',
    {
      config: access('rules:read'),
      ...common,
      schema: {
        tags: ['rules'],
        summary: 'Check rule modules without storing anything, as publishing them would: merged over the published version (?replaceAll=true: on their own)',
        consumes,
        description: 'Every problem is listed in `error.details.errors` as {file, path, line, column, message}; line and column are null for JSON bodies, which are located by `file` (modules[i]) and `path`.',
        querystring: z.object({ replaceAll: flag.optional() }).strict(),
        body: validateJson.or(textBody),
        response: { 200: z.object({ valid: z.literal(true), summary: summarySchema }) },
      },
    },
    async (req) => ({ valid: true as const, summary: await ctx.rules.validate(ruleInputs(req.body), { replaceAll: req.query.replaceAll === true }) }),
  );

  app.post(
    '/api/v1/rule-sets/versions',
    {
      config: access('rules:write', 'rules.create', 'rule_set'),
      ...common,
      schema: {
        tags: ['rules'],
        summary: 'Store rule modules as a new rule set version (a draft, or published with ?publish=true)',
        consumes,
        description:
          'By default the modules replace the modules of the same id in the newest published version and the others are kept; with ?replaceAll=true they are the whole set. ' +
          'Publishing affects calls inspected from then on; stored results change only through a re-inspection (POST /api/v1/reinspections).',
        querystring: z.object({ publish: flag.optional(), replaceAll: flag.optional(), note: z.string().max(2000).optional() }).strict(),
        body: createJson.or(textBody),
        response: { 201: versionInfoSchema.extend({ summary: summarySchema }) },
      },
    },
    async (req, reply) => {
      const note = oneOf('note', typeof req.body === 'string' ? undefined : req.body.note, req.query.note);
      const publish = req.query.publish === true;
      const p = principalOf(req);
      // Storing needs rules:write; storing it published is publishing, and needs rules:publish too.
      if (publish && !p.permissions.has('rules:publish')) {
        throw new TingjianError('FORBIDDEN', `${p.via === 'token' ? 'this API token' : `role ${p.role}`} may store drafts but not publish (rules:publish): drop ?publish=true and ask a QA manager to publish the version`, { permission: 'rules:publish' });
      }
      const { hash, modules, rules, scorecards, ...v } = await ctx.rules.create(ruleInputs(req.body), {
        replaceAll: req.query.replaceAll === true,
        publish,
        note: note ?? null,
        createdBy: p.username,
      });
      req.auditTarget = { type: 'rule_set', id: String(v.version) };
      req.auditDetails = { version: v.version, published: publish, hash };
      if (publish) {
        await ctx.audit.record({ actor: auditActorOf(p), action: 'rules.publish', targetType: 'rule_set', targetId: String(v.version), outcome: 'allowed', ip: req.ip, userAgent: req.headers['user-agent'] ?? null, details: { version: v.version, hash, via: 'POST /api/v1/rule-sets/versions?publish=true' } });
      }
      return reply.code(201).send({ ...info(v), summary: { hash, modules, rules, scorecards } });
    },
  );

  app.post(
    '/api/v1/rule-sets/versions/:version/publish',
    {
      config: access('rules:publish', 'rules.publish', 'rule_set'),
      schema: {
        tags: ['rules'],
        summary: 'Publish a stored draft version (publishing again is a no-op)',
        params: z.object({ version: z.coerce.number().int().positive() }),
        response: { 200: versionInfoSchema },
      },
    },
    async (req) => {
      const published = await ctx.rules.publish(req.params.version);
      req.auditDetails = { version: published.version };
      return info(published);
    },
  );

  app.get(
    '/api/v1/rule-sets/versions',
    {
      config: access('rules:read'),
      schema: { tags: ['rules'], summary: 'Rule set versions, newest first', response: { 200: z.object({ items: z.array(versionInfoSchema) }) } },
    },
    async () => ({ items: (await ctx.rules.list()).map(info) }),
  );

  app.get(
    '/api/v1/rule-sets/versions/:version',
    {
      config: access('rules:read'),
      schema: {
        tags: ['rules'],
        summary: 'One rule set version with its modules',
        params: z.object({ version: z.coerce.number().int().positive() }),
        response: { 200: versionSchema },
      },
    },
    async (req) => withDocument(await ctx.rules.get(req.params.version)),
  );

  app.get(
    '/api/v1/rule-sets/published',
    {
      config: access('rules:read'),
      schema: { tags: ['rules'], summary: 'The newest published rule set version with its modules; 404 until one is published', response: { 200: versionSchema } },
    },
    async () => {
      const got = await ctx.rules.published();
      if (!got) throw new TingjianError('NOT_FOUND', NOTHING_PUBLISHED);
      return withDocument(got);
    },
  );

  app.post(
    '/api/v1/rule-sets/test',
    {
      config: access('rules:write', 'rules.test'),
      ...common,
      schema: {
        tags: ['rules'],
        summary: 'Dry run: judge stored calls with candidate modules beside the published version; nothing is stored',
        consumes,
        description:
          'Hit counts and rates per rule, examples with evidence, and which calls would newly hit or no longer hit compared with the published version. ' +
          'A JSON body carries modules, filter, limit and replaceAll; with a YAML text body they go in the query string (callIds comma-separated). ' +
          'Without modules the published version is run as it is.',
        querystring: z.object({ ...callFilterQueryFields, limit: z.coerce.number().int().min(1).max(MAX_DRY_RUN_CALLS).optional(), replaceAll: flag.optional() }).strict(),
        body: testJson.or(textBody).optional(),
        response: { 200: dryRunReportSchema },
      },
    },
    async (req) => {
      const { limit: qLimit, replaceAll: qReplaceAll, ...qFilter } = req.query;
      const json = typeof req.body === 'string' || req.body === undefined ? undefined : req.body;
      const queryFilter = Object.values(qFilter).some((v) => v !== undefined) ? qFilter : undefined;
      const filter = toReinspectionFilter(oneOf('filter', json?.filter, queryFilter), ctx.config.defaultUtcOffset);
      const limit = oneOf('limit', json?.limit, qLimit) ?? 1000;
      const replaceAll = oneOf('replaceAll', json?.replaceAll, qReplaceAll) === true;
      let candidate: RuleSetDocument;
      if (typeof req.body === 'string' || json?.modules) candidate = await ctx.rules.candidate(ruleInputs(req.body ?? ''), { replaceAll });
      else {
        const published = await ctx.rules.published();
        if (!published) throw new TingjianError('NOT_FOUND', `nothing to dry-run: send modules, or publish a version first (${NOTHING_PUBLISHED.replace(/^no rule set version is published yet: /, '')})`);
        candidate = published.document;
      }
      // The examples quote calls: only those in the principal's data scope.
      const scope = scopeOfRequest(req);
      const report = await dryRunRules(ctx.db, candidate, { filter: scope ? { ...filter, scope } : filter, limit });
      return showsPii(req) ? report : maskDryRun(report);
    },
  );
};
