import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../../access/permissions.js';

const iso = z.string().describe('ISO 8601');

/** An account as the API shows it (no password hash, no failure counter). */
export const accountSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
  agentId: z.string().nullable().describe('role agent: the agent id in call metadata; the agent sees only these calls'),
  teamIds: z.array(z.string()).describe('role team_lead: the teams whose calls they see'),
  businessLines: z.array(z.string()).describe('role inspector: the business lines whose calls they see (plus calls assigned to them)'),
  oidcSubject: z.string().nullable(),
  disabled: z.boolean(),
  locked: z.boolean(),
  hasPassword: z.boolean(),
  lockedUntil: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const tokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(PERMISSIONS)),
  createdAt: z.number(),
  createdBy: z.string().nullable(),
  expiresAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
  lastUsedAt: z.number().nullable(),
});

const scopeFields = {
  displayName: z.string().max(100).nullable().optional(),
  agentId: z.string().min(1).max(200).nullable().optional(),
  teamIds: z.array(z.string().min(1).max(200)).max(500).optional(),
  businessLines: z.array(z.string().min(1).max(200)).max(500).optional(),
  oidcSubject: z.string().min(1).max(300).nullable().optional(),
};

export const newAccountBody = z
  .object({
    username: z.string().min(2).max(64),
    password: z.string().min(1).max(256).optional().describe('omit for accounts that sign in with single sign-on only'),
    role: z.enum(ROLES),
    ...scopeFields,
  })
  .strict();

export const accountChangesBody = z
  .object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional(), unlock: z.literal(true).optional().describe('clear a lock after failed logins'), ...scopeFields })
  .strict();

export const newTokenBody = z
  .object({
    name: z.string().min(1).max(100),
    scopes: z.array(z.enum(PERMISSIONS)).min(1).optional().describe("default: every permission of the account's role"),
    expiresAt: iso.optional().describe('default: never'),
  })
  .strict();

/** GET /api/v1/auth/me and POST /api/v1/auth/login: who is signed in. */
export const meSchema = z.object({
  user: accountSchema,
  roleLabel: z.string().describe('the role in Chinese, for the console'),
  permissions: z.array(z.string()),
  via: z.enum(['session', 'token', 'system']),
  csrfToken: z.string().nullable().describe('send it as X-CSRF-Token with every POST/PUT/PATCH/DELETE made with the session cookie'),
});

/** GET /api/v1/auth/oidc: whether single sign-on is on, and its button. */
export const oidcInfoSchema = z.object({
  enabled: z.boolean(),
  buttonLabel: z.string().nullable(),
  loginUrl: z.string().nullable().describe('send the browser here (add ?returnTo=/a/path to come back to it)'),
});
