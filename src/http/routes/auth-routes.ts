import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountView } from '../../access/account.js';
import type { AccountService } from '../../access/account-service.js';
import { ROLE_LABELS, ROLE_PERMISSIONS } from '../../access/permissions.js';
import type { Config } from '../../config/config.js';
import { TingjianError } from '../../domain/errors.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../auth/cookies.js';
import { access, principalOf } from '../auth/route-access.js';
import { rateLimit } from '../rate-limit.js';
import { meSchema } from './account-schemas.js';

/**
 * Signing in and out of the console. Login sets an HttpOnly, SameSite=Strict session cookie and
 * returns the CSRF token the console sends back on every change. Failed logins count toward the
 * account lock and are audited like successful ones.
 */
export const authRoutes = (deps: { accounts: AccountService; config: Config }): FastifyPluginAsyncZod => async (app) => {
  const secure = (protocol: string) => deps.config.cookieSecure === 'always' || (deps.config.cookieSecure === 'auto' && protocol === 'https');
  const me = async (userId: string, csrfToken: string | null, via: 'session' | 'token' | 'system', permissions: Iterable<string>) => {
    const a = await deps.accounts.get(userId);
    return { user: accountView(a, Date.now()), roleLabel: ROLE_LABELS[a.role], permissions: [...permissions].sort(), via, csrfToken };
  };

  app.post(
    '/api/v1/auth/login',
    {
      config: { ...access('public', 'auth.login', 'user'), ...rateLimit('login') },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a user name and password: sets the session cookie, returns the CSRF token',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
        response: { 200: meSchema },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const r = await deps.accounts.login(username, password, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
      req.auditActor = { userId: r.account?.id ?? null, username, role: r.account?.role ?? null, via: 'none' };
      if (!r.ok) {
        req.auditDetails = { reason: r.reason };
        // One message for unknown users and wrong passwords: no probing for names.
        // details.reason lets the console say it in the user's language.
        if (r.reason === 'locked') throw new TingjianError('UNAUTHENTICATED', `too many failed logins: the account is locked for ${deps.config.loginLockMinutes} minutes (an administrator can unlock it)`, { reason: 'locked', minutes: deps.config.loginLockMinutes });
        if (r.reason === 'disabled') throw new TingjianError('UNAUTHENTICATED', 'this account is disabled: ask an administrator', { reason: 'disabled' });
        throw new TingjianError('UNAUTHENTICATED', 'wrong user name or password', { reason: 'wrong' });
      }
      req.auditTarget = { type: 'user', id: r.account.id };
      void reply.header('set-cookie', sessionCookie(r.sessionId, { maxAgeSeconds: (r.expiresAt - Date.now()) / 1000, secure: secure(req.protocol) }));
      return me(r.account.id, r.csrfToken, 'session', ROLE_PERMISSIONS[r.account.role]);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: access('authenticated', 'auth.logout', 'user'), schema: { tags: ['auth'], summary: 'End this session', response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (req, reply) => {
      const sid = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (sid) await deps.accounts.logout(sid);
      void reply.header('set-cookie', clearedSessionCookie(secure(req.protocol)));
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/auth/me',
    { config: access('authenticated'), schema: { tags: ['auth'], summary: 'Who is signed in, with their permissions and CSRF token', response: { 200: meSchema } } },
    async (req) => {
      const p = principalOf(req);
      return me(p.userId, req.csrfToken ?? null, p.via, p.permissions);
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: access('authenticated', 'auth.password_change', 'user'),
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (signs you out everywhere)',
        body: z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }).strict(),
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      req.auditTarget = { type: 'user', id: p.userId };
      await deps.accounts.changeOwnPassword(p.userId, req.body.currentPassword, req.body.newPassword);
      void reply.header('set-cookie', clearedSessionCookie(secure(req.protocol)));
      return { ok: true as const };
    },
  );
};
