import type { z } from 'zod';
import type { accountSchema } from '../../../src/http/routes/account-schemas';
import { get, post } from './client';

/** An account as the API shows it (accountSchema in src/http/routes/account-schemas.ts). */
export type Account = z.infer<typeof accountSchema>;

/**
 * GET /api/v1/auth/me and POST /api/v1/auth/login (docs/security.md). Its schema (meSchema in
 * src/http/routes/auth-routes.ts) is not exported: the fields around the account are a copy.
 */
export interface Me {
  user: Account;
  roleLabel: string;
  permissions: string[];
  via: 'session' | 'token' | 'system';
  csrfToken: string | null;
}

/* GET /api/v1/auth/oidc: a copy, its schema is inline in src/http/routes/oidc-routes.ts. */
export interface OidcInfo {
  enabled: boolean;
  buttonLabel: string | null;
  loginUrl: string | null;
}

export const fetchMe = (signal?: AbortSignal) => get<Me>('/api/v1/auth/me', undefined, signal);
export const login = (username: string, password: string) => post<Me>('/api/v1/auth/login', { username, password });
export const logout = () => post<{ ok: true }>('/api/v1/auth/logout');
export const fetchOidc = () => get<OidcInfo>('/api/v1/auth/oidc');
