import type { z } from 'zod';
import type { accountSchema, meSchema, oidcInfoSchema } from '../../../src/http/routes/account-schemas';
import { get, post } from './client';

/** An account as the API shows it (accountSchema in src/http/routes/account-schemas.ts). */
export type Account = z.infer<typeof accountSchema>;

/** GET /api/v1/auth/me and POST /api/v1/auth/login (docs/security.md). */
export type Me = z.infer<typeof meSchema>;

/** GET /api/v1/auth/oidc. */
export type OidcInfo = z.infer<typeof oidcInfoSchema>;

export const fetchMe = (signal?: AbortSignal) => get<Me>('/api/v1/auth/me', undefined, signal);
export const login = (username: string, password: string) => post<Me>('/api/v1/auth/login', { username, password });
export const logout = () => post<{ ok: true }>('/api/v1/auth/logout');
export const fetchOidc = () => get<OidcInfo>('/api/v1/auth/oidc');
