import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountView } from '../../access/account.js';
import type { AccountService } from '../../access/account-service.js';
import { TingjianError } from '../../domain/errors.js';
import type { Database } from '../../ports/repositories.js';
import { access, principalOf } from '../auth/route-access.js';
import { callInScopeOf } from '../auth/scoped-call.js';
import { accountChangesBody, accountSchema, newAccountBody, newTokenBody, tokenSchema } from './account-schemas.js';
import { idParams } from './call-read-routes.js';

const userParams = z.object({ id: z.string().min(1).max(100) });

/**
 * Accounts, their roles and data scopes, their API tokens, and which calls are assigned to which
 * inspector. Every change is audited (user.*, token.*, call.assign) and a change of role, scope
 * or status signs the user out everywhere.
 */
export const userRoutes = (deps: { accounts: AccountService; db: Database }): FastifyPluginAsyncZod => async (app) => {
  const { accounts } = deps;
  const view = (a: Parameters<typeof accountView>[0]) => accountView(a, Date.now());

  app.get(
    '/api/v1/users',
    { config: access('users:manage'), schema: { tags: ['users'], summary: 'Every account', response: { 200: z.object({ items: z.array(accountSchema) }) } } },
    async () => ({ items: (await accounts.list()).map(view) }),
  );

  app.post(
    '/api/v1/users',
    {
      config: access('users:manage', 'user.create', 'user'),
      schema: { tags: ['users'], summary: 'Create an account with a role and data scope', body: newAccountBody, response: { 201: accountSchema } },
    },
    async (req, reply) => {
      const a = await accounts.createAccount(req.body);
      req.auditTarget = { type: 'user', id: a.id };
      req.auditDetails = { username: a.username, role: a.role, agentId: a.agentId, teamIds: a.teamIds, businessLines: a.businessLines };
      return reply.code(201).send(view(a));
    },
  );

  app.get(
    '/api/v1/users/:id',
    { config: access('users:manage'), schema: { tags: ['users'], summary: 'One account', params: userParams, response: { 200: accountSchema } } },
    async (req) => view(await accounts.get(req.params.id)),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: access('users:manage', 'user.update', 'user'),
      schema: { tags: ['users'], summary: 'Change role, data scope, disable or unlock an account (signs it out everywhere)', params: userParams, body: accountChangesBody, response: { 200: accountSchema } },
    },
    async (req) => {
      const { unlock, ...changes } = req.body;
      if (req.params.id === principalOf(req).userId && (changes.role !== undefined || changes.disabled === true)) {
        throw new TingjianError('INVALID_REQUEST', 'you cannot change your own role or disable yourself: ask another administrator');
      }
      const before = await accounts.get(req.params.id);
      const a = await accounts.updateAccount(req.params.id, changes, { unlock: unlock === true });
      req.auditDetails = { username: a.username, changes: req.body, before: { role: before.role, disabled: before.disabled, agentId: before.agentId, teamIds: before.teamIds, businessLines: before.businessLines } };
      return view(a);
    },
  );

  app.post(
    '/api/v1/users/:id/password',
    {
      config: access('users:manage', 'user.password_reset', 'user'),
      schema: { tags: ['users'], summary: "Set an account's password (signs it out everywhere)", params: userParams, body: z.object({ password: z.string().min(1).max(256) }).strict(), response: { 200: z.object({ ok: z.literal(true) }) } },
    },
    async (req) => {
      await accounts.setPassword(req.params.id, req.body.password);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/users/:id/tokens',
    { config: access('users:manage'), schema: { tags: ['users'], summary: "An account's API tokens (never their secrets)", params: userParams, response: { 200: z.object({ items: z.array(tokenSchema) }) } } },
    async (req) => ({ items: await accounts.listTokens(req.params.id) }),
  );

  app.post(
    '/api/v1/users/:id/tokens',
    {
      config: access('users:manage', 'token.create', 'user'),
      schema: {
        tags: ['users'],
        summary: 'Create an API token for an account; the token is shown once',
        params: userParams,
        body: newTokenBody,
        response: { 201: z.object({ token: z.string().describe('send as Authorization: Bearer <token>; it cannot be shown again'), info: tokenSchema }) },
      },
    },
    async (req, reply) => {
      const expiresAt = req.body.expiresAt === undefined ? null : Date.parse(req.body.expiresAt);
      if (Number.isNaN(expiresAt)) throw new TingjianError('INVALID_REQUEST', 'expiresAt: not a date, use ISO 8601');
      const r = await accounts.createToken(req.params.id, { name: req.body.name, scopes: req.body.scopes, expiresAt }, principalOf(req).userId);
      req.auditDetails = { tokenId: r.view.id, name: r.view.name, scopes: r.view.scopes };
      return reply.code(201).send({ token: r.token, info: r.view });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    { config: access('users:manage', 'token.revoke', 'token'), schema: { tags: ['users'], summary: 'Revoke an API token at once', params: userParams, response: { 200: tokenSchema } } },
    async (req) => accounts.revokeToken(req.params.id),
  );

  app.get(
    '/api/v1/inspectors',
    {
      config: access('calls:assign'),
      schema: {
        tags: ['users'],
        summary: 'The enabled inspectors, in user name order: whom calls can be assigned to',
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string().nullable(), businessLines: z.array(z.string()) })) }) },
      },
    },
    async () => ({
      items: (await accounts.list())
        .filter((a) => a.role === 'inspector' && !a.disabled)
        .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0))
        .map((a) => ({ id: a.id, username: a.username, displayName: a.displayName, businessLines: [...a.businessLines] })),
    }),
  );

  const assignParams = idParams.extend({ userId: z.string().min(1).max(100) });
  app.put(
    '/api/v1/calls/:id/assignees/:userId',
    {
      config: access('calls:assign', 'call.assign'),
      schema: { tags: ['users'], summary: 'Assign a call to an inspector (it joins their data scope)', params: assignParams, response: { 200: z.object({ assignees: z.array(z.string()) }) } },
    },
    async (req) => {
      await callInScopeOf(req, deps.db, req.params.id);
      const u = await accounts.get(req.params.userId);
      req.auditDetails = { userId: u.id, username: u.username };
      await deps.db.repos.accounts.assign(req.params.id, u.id, principalOf(req).userId, Date.now());
      return { assignees: await deps.db.repos.accounts.assigneesOf(req.params.id) };
    },
  );

  app.delete(
    '/api/v1/calls/:id/assignees/:userId',
    {
      config: access('calls:assign', 'call.unassign'),
      schema: { tags: ['users'], summary: 'Take a call back from an inspector', params: assignParams, response: { 200: z.object({ assignees: z.array(z.string()) }) } },
    },
    async (req) => {
      await callInScopeOf(req, deps.db, req.params.id);
      req.auditDetails = { userId: req.params.userId };
      await deps.db.repos.accounts.unassign(req.params.id, req.params.userId);
      return { assignees: await deps.db.repos.accounts.assigneesOf(req.params.id) };
    },
  );
};
