import { consoleRoutes } from './console/console-routes.js';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app/app-context.js';
import { errorHandler } from './error-mapping.js';
import { installAuthorization } from './auth/authorization.js';
import { access } from './auth/route-access.js';
import { authRoutes } from './routes/auth-routes.js';
import { oidcRoutes } from './routes/oidc-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { savedFilterRoutes } from './routes/saved-filter-routes.js';
import { installRateLimits } from './rate-limit.js';
import { securityHeaders } from './security-headers.js';
import { maxJsonBytes, readTlsKeyPair, serverOptions } from './server-options.js';
import { callIngestRoutes } from './routes/call-ingest-routes.js';
import { callFacetRoutes } from './routes/call-facet-routes.js';
import { callReadRoutes } from './routes/call-read-routes.js';
import { callRetryRoutes } from './routes/call-retry-routes.js';
import { callWaveformRoutes } from './routes/call-waveform-routes.js';
import { correctionDictionaryRoutes } from './routes/correction-dictionary-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { reinspectionRoutes } from './routes/reinspection-routes.js';
import { retentionRoutes } from './routes/retention-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { exportRoutes } from './routes/export-routes.js';
import { topicRoutes } from './routes/topic-routes.js';
import { ruleSetRoutes } from './routes/rule-set-routes.js';
import { searchRoutes } from './routes/search-routes.js';
import { reportRoutes } from './routes/report-routes.js';
import { CorrectionService } from '../transcribe/correction/correction-service.js';
import { TINGJIAN_VERSION } from '../version.js';

/**
 * The HTTP API: Fastify with zod schemas on every route (validation + the OpenAPI document at
 * /api/openapi.json), one error handler, pino request logs.
 */
export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  // pino's Logger is a FastifyBaseLogger; the cast keeps the instance type the default one.
  const options = { loggerInstance: ctx.log as FastifyBaseLogger, ...serverOptions(ctx.config) };
  const tls = readTlsKeyPair(ctx.config);
  // With a certificate Fastify serves HTTPS; routes see the same request/reply types either way.
  const base = (tls ? Fastify({ ...options, https: tls }) : Fastify(options)) as unknown as FastifyInstance;
  base.addHook('onRequest', securityHeaders);
  installRateLimits(base, ctx.config);
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Before any route: every route below must declare its access, and every request is checked.
  installAuthorization(app, { accounts: ctx.accounts, audit: ctx.audit });
  const consolePage = consoleRoutes(app);
  app.setNotFoundHandler(async (req, reply) => {
    const page = consolePage(req, reply);
    if (page) return page;
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}; see /api/openapi.json` } });
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tingjian 听鉴 API', version: TINGJIAN_VERSION, description: 'Quality inspection of contact-center calls and chats.' },
      tags: [
        { name: 'calls', description: 'ingest and read calls' },
        { name: 'system', description: 'health and pipeline progress' },
        { name: 'transcription', description: 'the ASR correction dictionary: business terms fixed after transcription' },
        { name: 'rules', description: 'rule set versions (docs/rules.md), dry runs and re-inspections of stored calls' },
        { name: 'search', description: 'full-text search over transcripts, with filters' },
        { name: 'reports', description: 'aggregates over the calls one may see: KPIs, rules, agents, business lines, emotion, topics' },
        { name: 'retention', description: 'retention policy, legal holds, purges (WORM mode)' },
        { name: 'audit', description: 'the tamper-evident audit log: search, export, verify (auditors)' },
        { name: 'exports', description: 'exports of audio, transcripts and reports, approved by a second person, with expiring download links' },
        { name: 'auth', description: 'signing in (session cookie + CSRF token) and out' },
        { name: 'users', description: 'accounts, roles, data scopes, API tokens, call assignments' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(multipart, {
    limits: { fileSize: ctx.config.maxUploadBytes, files: 1, fields: 4, fieldSize: maxJsonBytes(ctx.config), parts: 8 },
  });
  await app.register(healthRoutes(ctx, TINGJIAN_VERSION));
  await app.register(authRoutes({ accounts: ctx.accounts, config: ctx.config }));
  await app.register(oidcRoutes({ accounts: ctx.accounts, db: ctx.db, config: ctx.config }));
  await app.register(userRoutes({ accounts: ctx.accounts, db: ctx.db }));
  await app.register(savedFilterRoutes({ db: ctx.db }));
  await app.register(callIngestRoutes(ctx));
  await app.register(callFacetRoutes(ctx));
  await app.register(callReadRoutes(ctx));
  await app.register(callRetryRoutes(ctx));
  await app.register(callWaveformRoutes(ctx));
  await app.register(correctionDictionaryRoutes(new CorrectionService(ctx.db)));
  await app.register(ruleSetRoutes(ctx));
  await app.register(reinspectionRoutes(ctx));
  await app.register(retentionRoutes(ctx));
  await app.register(auditRoutes(ctx));
  await app.register(exportRoutes(ctx));
  await app.register(searchRoutes(ctx));
  await app.register(topicRoutes(ctx));
  await app.register(reportRoutes(ctx));
  app.get('/api/openapi.json', { config: access('public'), schema: { hide: true } }, () => app.swagger());
  return app;
}
