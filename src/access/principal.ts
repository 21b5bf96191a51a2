import type { Permission, Role } from './permissions.js';
import { ROLE_PERMISSIONS } from './permissions.js';

/**
 * Which calls a principal may see. `all` for admins and QA managers; an agent their own calls; a
 * team lead their teams'; an inspector the business lines and the calls assigned to them; `none`
 * for roles that read no calls (auditor).
 */
export type DataScope =
  | { kind: 'all' }
  | { kind: 'agent'; agentId: string }
  | { kind: 'teams'; teamIds: readonly string[] }
  | { kind: 'inspector'; userId: string; businessLines: readonly string[] }
  | { kind: 'none' };

/** An account as authorisation needs it (src/access/accounts holds the stored form). */
export interface AccountFacts {
  id: string;
  username: string;
  role: Role;
  /** The agent id in call metadata this account is (role agent). */
  agentId: string | null;
  /** Teams a team lead leads. */
  teamIds: readonly string[];
  /** Business lines an inspector inspects. */
  businessLines: readonly string[];
}

/** Who is making a request, and what they may do. Built once per request, then only read. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  scope: DataScope;
  /** How they proved it: a console session, an API token, or the process itself (CLI). */
  via: 'session' | 'token' | 'system';
  tokenId?: string;
}

export function scopeOf(a: AccountFacts): DataScope {
  switch (a.role) {
    case 'admin':
    case 'qa_manager':
    case 'integration':
      return { kind: 'all' };
    case 'agent':
      // An agent account not linked to an agent id sees nothing rather than everything.
      return a.agentId ? { kind: 'agent', agentId: a.agentId } : { kind: 'none' };
    case 'team_lead':
      return { kind: 'teams', teamIds: a.teamIds };
    case 'inspector':
      return { kind: 'inspector', userId: a.id, businessLines: a.businessLines };
    case 'auditor':
      return { kind: 'none' };
  }
}

/**
 * The principal of an account; `tokenScopes` (an API token's) narrows the role's permissions,
 * never widens them.
 */
export function principalOf(a: AccountFacts, via: Principal['via'], token?: { id: string; scopes: readonly Permission[] }): Principal {
  const rolePerms = ROLE_PERMISSIONS[a.role];
  const permissions = token ? new Set(token.scopes.filter((p) => rolePerms.has(p))) : rolePerms;
  return {
    userId: a.id,
    username: a.username,
    role: a.role,
    permissions,
    scope: scopeOf(a),
    via,
    ...(token ? { tokenId: token.id } : {}),
  };
}
