import type { FastifyRequest } from 'fastify';
import { callInScope, scopeFilter, type CallScopeFilter } from '../../access/call-scope.js';
import type { Call } from '../../domain/call.js';
import { notFound } from '../../domain/errors.js';
import type { Database } from '../../ports/repositories.js';
import { principalOf } from './route-access.js';

/**
 * The call a request names, if the principal's data scope covers it. A call outside the scope
 * answers exactly like a call that does not exist (404): guessing ids reveals nothing. The
 * attempt is still recorded as a denial in the audit log. Null when the scope is every call (the
 * call is not read here).
 */
export async function callInScopeOf(req: FastifyRequest, db: Database, id: string): Promise<Call | null> {
  const p = principalOf(req);
  // Everything is in scope: the route's own read answers 404 for a missing call, one query fewer.
  if (p.scope.kind === 'all') return null;
  const call = await db.repos.calls.get(id);
  if (call && (await callInScope(call, p.scope, (c, u) => db.repos.accounts.isAssigned(c, u)))) return call;
  if (call) {
    req.auditOutcome = 'denied';
    req.auditDetails = { ...req.auditDetails, reason: 'outside the data scope' };
  }
  throw notFound('call', id);
}

/** The request's data scope as a repository filter (undefined: every call). */
export function scopeOfRequest(req: FastifyRequest): CallScopeFilter | undefined {
  return scopeFilter(principalOf(req).scope) ?? undefined;
}

/** Personal data is shown only to roles holding pii:view, and only when not asked to mask it. */
export const showsPii = (req: FastifyRequest, asked: 'shown' | 'masked' = 'shown'): boolean =>
  asked === 'shown' && principalOf(req).permissions.has('pii:view');
