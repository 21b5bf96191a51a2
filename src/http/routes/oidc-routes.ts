import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../../access/account-service.js';
import { OidcSignIn, type OidcFailure } from '../../access/oidc/oidc-sign-in.js';
import { oidcSettingsOf, type OidcSettings } from '../../access/oidc/oidc-settings.js';
import type { Config } from '../../config/config.js';
import { isTingjianError, TingjianError } from '../../domain/errors.js';
import type { Database } from '../../ports/repositories.js';
import { readCookie, sessionCookie } from '../auth/cookies.js';
import { access } from '../auth/route-access.js';
import { rateLimit } from '../rate-limit.js';
import { oidcInfoSchema } from './account-schemas.js';

/** The sealed login state (login-state.ts) between GET …/oidc/login and the IdP's redirect back. */
export const OIDC_STATE_COOKIE = 'tj_oidc';

/**
 * HttpOnly, and SameSite=Lax rather than Strict: the IdP sends the browser back with a top-level
 * cross-site GET, which Lax lets through and Strict would not. Path: the oidc routes only (under
 * the redirect URL's prefix, when a proxy adds one). Max-Age 0 clears it.
 */
function stateCookie(value: string, opts: { path: string; maxAgeSeconds: number; secure: boolean }): string {
  return [`${OIDC_STATE_COOKIE}=${value}`, `Path=${opts.path}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${opts.maxAgeSeconds}`, ...(opts.secure ? ['Secure'] : [])].join('; ');
}

/** What the user reads when a sign-in is refused: what happened and what to do. */
function refusalMessage(reason: OidcFailure, s: OidcSettings, username: string | null, details: Record<string, unknown>): string {
  const again = 'start again from the sign-in page';
  switch (reason) {
    case 'no-login-state':
      return `the single sign-on started more than 10 minutes ago, in another browser, or not here: ${again}`;
    case 'idp-error':
      return `the identity provider did not sign you in (${String(details.error)}): ${again}`;
    case 'invalid-response':
      return `the identity provider's answer failed a security check (state, issuer, signature, nonce or expiry): ${again}`;
    case 'token-refused':
      return `the identity provider refused the sign-in code (it was used already or has expired): ${again}`;
    case 'no-username':
      return `the identity provider sent no "${s.claims.usernameClaim}" claim to name your account: an administrator sets TINGJIAN_OIDC_USERNAME_CLAIM to one it sends`;
    case 'unknown-user':
      return `there is no Tingjian account ${username}: ask an administrator to create it`;
    case 'no-role':
      return `none of your "${s.claims.roleClaim}" values gives a Tingjian role (TINGJIAN_OIDC_ROLE_MAP): ask an administrator`;
    case 'disabled':
      return 'this account is disabled: ask an administrator';
    case 'subject-mismatch':
      return `the account ${username} is linked to another identity at the identity provider: ask an administrator`;
    case 'invalid-username':
      return `the identity provider's user name "${username}" cannot be a Tingjian user name (2–64 letters, digits or . _ @ -): ask an administrator`;
  }
}

const notConfigured = () =>
  new TingjianError('NOT_FOUND', 'single sign-on is not configured: set TINGJIAN_OIDC_ISSUER, TINGJIAN_OIDC_CLIENT_ID and TINGJIAN_OIDC_REDIRECT_URL (docs/security.md)');

/**
 * Single sign-on with an OpenID Connect provider (authorization code flow, PKCE S256, state and
 * nonce). Registered on every server so the route table is one; without an issuer configured
 * the routes answer 404 NOT_FOUND. The callback ends like POST /api/v1/auth/login: the same
 * tj_session cookie, then a redirect to the console.
 */
export const oidcRoutes = (deps: { accounts: AccountService; db: Database; config: Config }): FastifyPluginAsyncZod => async (app) => {
  const settings = oidcSettingsOf(deps.config);
  const signIn = settings ? new OidcSignIn(settings, deps.accounts, deps.db.repos.accounts) : null;
  const cookiePath = settings ? settings.redirectUrl.pathname.replace(/\/callback$/, '') : '/';
  const secure = (protocol: string) => deps.config.cookieSecure === 'always' || (deps.config.cookieSecure === 'auto' && protocol === 'https');
  const clearState = (req: FastifyRequest) => stateCookie('', { path: cookiePath, maxAgeSeconds: 0, secure: secure(req.protocol) });

  app.get(
    '/api/v1/auth/oidc',
    {
      config: access('public'),
      schema: {
        tags: ['auth'],
        summary: 'Whether single sign-on is on, and the sign-in button for the console',
        response: {
          200: oidcInfoSchema,
        },
      },
    },
    () => ({ enabled: settings !== null, buttonLabel: settings?.buttonLabel ?? null, loginUrl: settings ? `${cookiePath}/login` : null }),
  );

  app.get(
    '/api/v1/auth/oidc/login',
    {
      config: access('public'),
      schema: {
        tags: ['auth'],
        summary: 'Start single sign-on: 302 to the identity provider',
        querystring: z.object({ returnTo: z.string().max(512).optional().describe('a path on this server to land on after signing in (default /)') }),
      },
    },
    async (req, reply) => {
      if (!signIn) throw notConfigured();
      const { redirectTo, sealedState } = await signIn.begin(req.query.returnTo);
      void reply.header('set-cookie', stateCookie(sealedState, { path: cookiePath, maxAgeSeconds: 600, secure: secure(req.protocol) }));
      return reply.redirect(redirectTo.href, 302);
    },
  );

  app.get(
    '/api/v1/auth/oidc/callback',
    {
      config: { ...access('public', 'auth.oidc_login', 'user'), ...rateLimit('login') },
      schema: {
        tags: ['auth'],
        summary: 'Where the identity provider sends the browser back: sets the session cookie, 302 to the console',
        querystring: z.looseObject({ code: z.string().optional(), state: z.string().optional(), iss: z.string().optional(), error: z.string().optional() }),
      },
    },
    async (req, reply) => {
      if (!signIn || !settings) throw notConfigured();
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      // The login state is spent whatever happens next.
      void reply.header('set-cookie', clearState(req));
      const r = await signIn.complete(query, readCookie(req.headers.cookie, OIDC_STATE_COOKIE), { ip: req.ip, userAgent: req.headers['user-agent'] ?? null }).catch((e: unknown) => {
        if (isTingjianError(e) && e.code === 'DEPENDENCY_MISSING') req.auditDetails = { reason: 'idp-unreachable' };
        throw e;
      });
      const account = r.account;
      req.auditActor = { userId: account?.id ?? null, username: account?.username ?? (r.ok ? null : r.username) ?? 'anonymous', role: account?.role ?? null, via: 'none' };
      if (!r.ok) {
        // Reasons and check names only: never the code, tokens or the IdP's response bodies.
        req.auditDetails = { reason: r.reason, ...r.details };
        throw new TingjianError('UNAUTHENTICATED', `single sign-on failed: ${refusalMessage(r.reason, settings, r.username, r.details)}`, { reason: r.reason });
      }
      req.auditTarget = { type: 'user', id: r.account.id };
      req.auditDetails = { subject: r.account.oidcSubject, ...(r.created ? { created: true, role: r.account.role } : {}), ...(r.linked ? { linked: true } : {}) };
      void reply.header('set-cookie', [clearState(req), sessionCookie(r.sessionId, { maxAgeSeconds: (r.expiresAt - Date.now()) / 1000, secure: secure(req.protocol) })]);
      return reply.redirect(r.returnTo, 302);
    },
  );
};
