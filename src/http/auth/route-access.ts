import type { Permission } from '../../access/permissions.js';
import type { Principal } from '../../access/principal.js';
import type { AuditActor, AuditOutcome } from '../../audit/audit-event.js';

/**
 * What a route needs, declared in its options as `config: access('calls:read', 'call.view')`.
 * The one authorisation hook (authorize-hook.ts) reads it for every request; a route registered
 * without it makes the server refuse to start (fail closed), so a new route cannot be public by
 * mistake.
 *
 * - a Permission: the principal must hold it (401 without credentials, 403 without the permission)
 * - 'authenticated': any signed-in principal (e.g. GET /api/v1/auth/me)
 * - 'public': no credentials (health, login, the OpenAPI document)
 *
 * `audit`: the action recorded in the audit log for every request to the route, allowed or
 * denied, with the :id parameter as target (see audit-hook.ts). Omitted: not audited (health).
 */
export type RouteRequirement = Permission | 'authenticated' | 'public';

export interface RouteAccess {
  access: { need: RouteRequirement; audit?: string; targetType?: string };
}

export const access = (need: RouteRequirement, audit?: string, targetType?: string): RouteAccess => ({
  access: { need, ...(audit ? { audit } : {}), ...(targetType ? { targetType } : {}) },
});

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess['access'];
  }
  interface FastifyRequest {
    /** Set by the authorisation hook before any handler runs on a non-public route. */
    principal: Principal | null;
    /** Facts a handler adds to this request's audit entry (the search query, the export id). */
    auditDetails?: Record<string, unknown>;
    /** Overrides the audit target (default: the route's :id parameter). */
    auditTarget?: { type: string; id: string };
    /** Overrides the outcome read from the status (a 404 for a call outside the data scope is a denial). */
    auditOutcome?: AuditOutcome;
    /** Who acted, when there is no principal (the user name tried at login). */
    auditActor?: AuditActor;
    /** The session's CSRF token, when the request came with the session cookie. */
    csrfToken?: string;
  }
}

/** The principal of a request to a non-public route (the hook guarantees it). */
export function principalOf(req: { principal: Principal | null }): Principal {
  if (!req.principal) throw new Error('route used principalOf but is public: declare access() with a permission');
  return req.principal;
}
