import type { Account, AccountChanges, ApiToken, NewAccount, Session } from '../access/account.js';

/** Accounts, sessions, API tokens and inspectors' call assignments (src/access/). */
export interface AccountRepository {
  insert(a: NewAccount): Promise<void>;
  get(id: string): Promise<Account | null>;
  findByUsername(username: string): Promise<Account | null>;
  findByOidcSubject(subject: string): Promise<Account | null>;
  list(): Promise<Account[]>;
  count(): Promise<number>;
  update(id: string, changes: AccountChanges, now: number): Promise<void>;
  setPasswordHash(id: string, hash: string, now: number): Promise<void>;
  /**
   * Count a wrong password in one statement (concurrent failures each count; a lock that ran out
   * starts a fresh count); at `maxFailures` the account is locked until now + lockMs and the count
   * starts again. Returns the lock, if this failure set one.
   */
  countFailedLogin(id: string, now: number, maxFailures: number, lockMs: number): Promise<{ lockedUntil: number | null }>;
  recordSuccessfulLogin(id: string, now: number): Promise<void>;

  insertSession(s: Session): Promise<void>;
  getSession(idHash: string): Promise<Session | null>;
  touchSession(idHash: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Sign someone out everywhere (password reset, role change, disabling). */
  deleteSessionsOf(userId: string): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;

  insertToken(t: ApiToken): Promise<void>;
  getToken(id: string): Promise<ApiToken | null>;
  listTokens(userId: string): Promise<ApiToken[]>;
  revokeToken(id: string, now: number): Promise<void>;
  touchToken(id: string, now: number): Promise<void>;

  assign(callId: string, userId: string, by: string | null, now: number): Promise<void>;
  unassign(callId: string, userId: string): Promise<void>;
  isAssigned(callId: string, userId: string): Promise<boolean>;
  assigneesOf(callId: string): Promise<string[]>;
}
