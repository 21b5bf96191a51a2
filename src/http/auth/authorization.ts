import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { AccountService } from '../../access/account-service.js';
import type { AuditActor, AuditLog, AuditOutcome } from '../../audit/audit-event.js';
import { TingjianError } from '../../domain/errors.js';
import { authenticate } from './authenticate.js';
import type { RouteRequirement } from './route-access.js';

/**
 * The one authorisation check every route goes through, and the audit record of every audited
 * request. Installed on the root instance before any route, so it covers them all:
 * - onRoute: a route without `config: access(...)` stops the server from starting (fail closed);
 * - onRequest: who is asking (token or session + CSRF), then 401/403 against the route's need;
 * - onSend: the audit entry of the request — allowed or denied — is durable before the
 *   response leaves (a failing audit log fails the request rather than let it go unrecorded).
 */
export function installAuthorization(app: FastifyInstance, deps: { accounts: AccountService; audit: AuditLog }): void {
  app.decorateRequest('principal', null);
  const table: RouteAccessEntry[] = [];
  app.decorate('accessTable', table);

  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    if (!access) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access: add config: access('<permission>' | 'authenticated' | 'public', '<audit action>')`);
    }
    // HEAD twins of GET routes carry the same config: listed once, under GET.
    for (const method of [route.method].flat()) if (method !== 'HEAD') table.push({ method, url: route.url, need: access.need, audit: access.audit ?? null });
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    // No route matched: the 404 handler answers, and says nothing about data.
    if (!access) return;
    if (access.need === 'public') {
      // Stale credentials must not lock anyone out of the login page or the health check.
      req.principal = await authenticate(req, deps.accounts).catch(() => null);
      return;
    }
    const p = await authenticate(req, deps.accounts);
    if (!p) throw new TingjianError('UNAUTHENTICATED', 'sign in first: POST /api/v1/auth/login (console), or send Authorization: Bearer <API token>');
    req.principal = p;
    if (access.need !== 'authenticated' && !p.permissions.has(access.need)) {
      throw new TingjianError('FORBIDDEN', `${p.via === 'token' ? 'this API token' : `role ${p.role}`} does not have the permission ${access.need}`, { permission: access.need });
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const access = req.routeOptions.config?.access;
    if (!access?.audit) return payload;
    await deps.audit.record({
      actor: actorOf(req),
      action: access.audit,
      ...targetOf(req, access.targetType),
      outcome: req.auditOutcome ?? outcomeOf(reply.statusCode),
      ip: req.ip,
      userAgent: req.headers['user-agent']?.slice(0, 300) ?? null,
      details: { status: reply.statusCode, method: req.method, ...(req.auditDetails ?? {}) },
    });
    return payload;
  });
}

/** One row of the route × access table (docs/security.md, test/e2e/http-route-role-matrix.test.ts). */
export interface RouteAccessEntry {
  method: string;
  url: string;
  need: RouteRequirement;
  audit: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with what it needs, in registration order. */
    accessTable: RouteAccessEntry[];
  }
}

function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'allowed';
  return status === 401 || status === 403 ? 'denied' : 'failed';
}

function actorOf(req: FastifyRequest): AuditActor {
  const p = req.principal;
  if (p) return { userId: p.userId, username: p.username, role: p.role, via: p.via };
  return req.auditActor ?? { userId: null, username: 'anonymous', role: null, via: 'none' };
}

function targetOf(req: FastifyRequest, targetType: string | undefined): { targetType: string | null; targetId: string | null } {
  if (req.auditTarget) return { targetType: req.auditTarget.type, targetId: req.auditTarget.id };
  const params = req.params as Record<string, unknown> | undefined;
  const id = params?.id ?? params?.version;
  return id === undefined ? { targetType: targetType ?? null, targetId: null } : { targetType: targetType ?? 'call', targetId: String(id) };
}
