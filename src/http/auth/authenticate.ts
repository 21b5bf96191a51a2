import type { FastifyRequest } from 'fastify';
import type { AccountService } from '../../access/account-service.js';
import type { Principal } from '../../access/principal.js';
import { TingjianError } from '../../domain/errors.js';
import { safeEqual } from '../../access/secrets.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Who sent the request: `Authorization: Bearer tj_…` (API tokens, integrations) or the session
 * cookie (the console). A cookie-authenticated request that changes something must also carry
 * the session's CSRF token in X-CSRF-Token: another site can make a browser send the cookie
 * (SameSite narrows that, old browsers ignore it), but cannot read the token.
 *
 * Returns null without credentials; throws UNAUTHENTICATED for credentials that are wrong or
 * expired (the client should sign in again rather than be treated as anonymous).
 */
export async function authenticate(req: FastifyRequest, accounts: AccountService): Promise<Principal | null> {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new TingjianError('UNAUTHENTICATED', 'Authorization must be "Bearer <API token>" (create one with tingjian tokens create or POST /api/v1/users/:id/tokens)');
    const p = await accounts.authenticateToken(m[1]!);
    if (!p) throw new TingjianError('UNAUTHENTICATED', 'the API token is unknown, revoked or expired');
    return p;
  }
  const sid = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (sid === null) return null;
  const r = await accounts.authenticateSession(sid);
  if (!r) throw new TingjianError('UNAUTHENTICATED', 'the session has ended: sign in again');
  req.csrfToken = r.session.csrfToken;
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, r.session.csrfToken)) {
      throw new TingjianError('FORBIDDEN', `missing or wrong ${CSRF_HEADER} header: send the csrfToken from POST /api/v1/auth/login or GET /api/v1/auth/me`, { csrf: true });
    }
  }
  return r.principal;
}
