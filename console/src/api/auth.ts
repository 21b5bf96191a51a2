import { get, post } from './client';

/** GET /api/v1/auth/me and POST /api/v1/auth/login (docs/security.md). */
export interface Me {
  user: {
    id: string;
    username: string;
    displayName: string | null;
    role: 'admin' | 'qa_manager' | 'inspector' | 'team_lead' | 'agent' | 'auditor' | 'integration';
    agentId: string | null;
    teamIds: string[];
    businessLines: string[];
  };
  roleLabel: string;
  permissions: string[];
  via: 'session' | 'token' | 'system';
  csrfToken: string | null;
}

export interface OidcInfo {
  enabled: boolean;
  buttonLabel: string | null;
  loginUrl: string | null;
}

export const fetchMe = (signal?: AbortSignal) => get<Me>('/api/v1/auth/me', undefined, signal);
export const login = (username: string, password: string) => post<Me>('/api/v1/auth/login', { username, password });
export const logout = () => post<{ ok: true }>('/api/v1/auth/logout');
export const fetchOidc = () => get<OidcInfo>('/api/v1/auth/oidc');
