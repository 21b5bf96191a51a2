import type { Permission, Role } from './permissions.js';
import type { AccountFacts } from './principal.js';

/** A stored account. The password hash never leaves the accounts service. */
export interface Account extends AccountFacts {
  displayName: string | null;
  passwordHash: string | null;
  oidcSubject: string | null;
  disabled: boolean;
  /** Failed logins since the last success; reaching the limit locks the account. */
  failedLogins: number;
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

/** An account as the API shows it. */
export type AccountView = Omit<Account, 'passwordHash' | 'failedLogins' | 'teamIds' | 'businessLines'> & {
  teamIds: string[];
  businessLines: string[];
  hasPassword: boolean;
  locked: boolean;
};

export const accountView = (a: Account, now: number): AccountView => {
  const { passwordHash, failedLogins: _failed, ...rest } = a;
  return {
    ...rest,
    teamIds: [...a.teamIds],
    businessLines: [...a.businessLines],
    hasPassword: passwordHash !== null,
    locked: a.lockedUntil !== null && a.lockedUntil > now,
  };
};

export interface Session {
  /** sha256 of the cookie value; the value itself is only ever in the browser. */
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
  ip: string | null;
  userAgent: string | null;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** sha256 of the secret part of the token. */
  secretHash: string;
  /** What the token may do: a subset of its account role's permissions. */
  scopes: Permission[];
  createdAt: number;
  createdBy: string | null;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export type ApiTokenView = Omit<ApiToken, 'secretHash'>;
export const apiTokenView = ({ secretHash: _s, ...rest }: ApiToken): ApiTokenView => rest;

export type NewAccount = Pick<Account, 'id' | 'username' | 'displayName' | 'passwordHash' | 'role' | 'agentId' | 'teamIds' | 'businessLines' | 'oidcSubject'> & {
  createdAt: number;
};

/** The fields an administrator may change. */
export type AccountChanges = Partial<Pick<Account, 'displayName' | 'role' | 'agentId' | 'teamIds' | 'businessLines' | 'disabled' | 'oidcSubject'>>;

export type { Role };
