import { randomUUID } from 'node:crypto';
import { TingjianError, notFound } from '../domain/errors.js';
import type { Database } from '../ports/repositories.js';
import type { Account, AccountChanges, ApiToken, ApiTokenView, Session } from './account.js';
import { apiTokenView } from './account.js';
import { checkPasswordPolicy, dummyHash, hashPassword, verifyPassword } from './password.js';
import { ROLE_PERMISSIONS, type Permission, type Role } from './permissions.js';
import { principalOf, type Principal } from './principal.js';
import { generatePassword, randomSecret, safeEqual, sha256Hex } from './secrets.js';

export interface AuthSettings {
  /** A session unused this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, used or not. */
  sessionMaxMs: number;
  /** Failed logins in a row that lock an account… */
  maxFailedLogins: number;
  /** …for this long. */
  lockMs: number;
}

export interface Client {
  ip: string | null;
  userAgent: string | null;
}

export type LoginResult =
  | { ok: true; account: Account; sessionId: string; csrfToken: string; expiresAt: number }
  | { ok: false; reason: 'unknown-user' | 'bad-password' | 'locked' | 'disabled' | 'no-password'; account: Account | null };

export interface NewAccountInput {
  username: string;
  password?: string | undefined;
  role: Role;
  displayName?: string | null | undefined;
  agentId?: string | null | undefined;
  teamIds?: string[] | undefined;
  businessLines?: string[] | undefined;
  oidcSubject?: string | null | undefined;
}

const USERNAME = /^[\p{L}\p{N}._@-]{2,64}$/u;
/** `tj_<token id>_<secret>`: the id finds the row, the secret is compared by its hash. */
const TOKEN_FORMAT = /^tj_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
/** A session's last-seen time is written at most this often (not on every request). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Accounts and proof of identity: passwords (argon2id, lockout), console sessions, API tokens.
 * Secrets (session ids, token secrets) are returned once and stored only as sha256.
 */
export class AccountService {
  constructor(
    private readonly db: Database,
    private readonly settings: AuthSettings,
    private readonly now: () => number = Date.now,
  ) {}

  private get repo() {
    return this.db.repos.accounts;
  }

  async get(id: string): Promise<Account> {
    const a = await this.repo.get(id);
    if (!a) throw notFound('user', id);
    return a;
  }

  list(): Promise<Account[]> {
    return this.repo.list();
  }

  async createAccount(input: NewAccountInput): Promise<Account> {
    if (!USERNAME.test(input.username)) {
      throw new TingjianError('INVALID_REQUEST', `username "${input.username}": 2–64 letters, digits or . _ @ -`, { problems: ['username'] });
    }
    if (input.password !== undefined) checkPasswordPolicy(input.password, input.username);
    if (await this.repo.findByUsername(input.username)) throw new TingjianError('CONFLICT', `user ${input.username} already exists`);
    const id = randomUUID();
    await this.repo.insert({
      id,
      username: input.username,
      displayName: input.displayName ?? null,
      passwordHash: input.password !== undefined ? await hashPassword(input.password) : null,
      role: input.role,
      agentId: input.agentId ?? null,
      teamIds: input.teamIds ?? [],
      businessLines: input.businessLines ?? [],
      oidcSubject: input.oidcSubject ?? null,
      createdAt: this.now(),
    });
    return this.get(id);
  }

  /**
   * A change of role, scope or status signs the user out everywhere: a session must not keep the
   * rights of an account that no longer has them.
   */
  async updateAccount(id: string, changes: AccountChanges, opts: { unlock?: boolean } = {}): Promise<Account> {
    await this.get(id);
    await this.repo.update(id, changes, this.now());
    if (opts.unlock) await this.repo.recordSuccessfulLogin(id, this.now());
    await this.repo.deleteSessionsOf(id);
    return this.get(id);
  }

  async setPassword(id: string, password: string): Promise<void> {
    const a = await this.get(id);
    checkPasswordPolicy(password, a.username);
    await this.repo.setPasswordHash(id, await hashPassword(password), this.now());
    await this.repo.deleteSessionsOf(id);
  }

  /**
   * A wrong current password counts toward the lock like a failed login (a stolen session must not
   * be a way to guess the password), and a lock it sets ends the account's sessions.
   */
  async changeOwnPassword(id: string, current: string, next: string): Promise<void> {
    const a = await this.get(id);
    const now = this.now();
    if (a.lockedUntil !== null && a.lockedUntil > now) throw new TingjianError('FORBIDDEN', 'the account is locked after too many wrong passwords: ask an administrator');
    if (!a.passwordHash || !(await verifyPassword(a.passwordHash, current))) {
      const { lockedUntil } = await this.repo.countFailedLogin(a.id, now, this.settings.maxFailedLogins, this.settings.lockMs);
      if (lockedUntil !== null) await this.repo.deleteSessionsOf(a.id);
      throw new TingjianError('FORBIDDEN', lockedUntil !== null ? 'the current password is wrong; too many wrong passwords: the account is locked and signed out' : 'the current password is wrong');
    }
    await this.setPassword(id, next);
  }

  /** The first administrator, when there is no account at all: its generated password is returned once. */
  async ensureFirstAdmin(username = 'admin'): Promise<{ username: string; password: string } | null> {
    if ((await this.repo.count()) > 0) return null;
    const password = generatePassword();
    await this.createAccount({ username, password, role: 'admin', displayName: '系统管理员' });
    return { username, password };
  }

  async login(username: string, password: string, client: Client): Promise<LoginResult> {
    const now = this.now();
    const a = await this.repo.findByUsername(username);
    // Every path verifies one argon2 hash (a dummy one when there is none to check), so the time
    // taken does not tell unknown, disabled, locked or single-sign-on-only accounts apart.
    const right = await verifyPassword(a?.passwordHash ?? (await dummyHash()), password);
    if (!a) return { ok: false, reason: 'unknown-user', account: null };
    // Locked: refused whatever the password, so guessing on cannot unlock it.
    if (a.lockedUntil !== null && a.lockedUntil > now) return { ok: false, reason: 'locked', account: a };
    if (!a.passwordHash) return { ok: false, reason: 'no-password', account: a };
    // Only someone who knows the password learns that the account is disabled.
    if (a.disabled) return { ok: false, reason: right ? 'disabled' : 'bad-password', account: a };
    if (!right) {
      const { lockedUntil } = await this.repo.countFailedLogin(a.id, now, this.settings.maxFailedLogins, this.settings.lockMs);
      return { ok: false, reason: lockedUntil !== null ? 'locked' : 'bad-password', account: a };
    }
    await this.repo.recordSuccessfulLogin(a.id, now);
    return { ok: true, account: a, ...(await this.startSession(a, client)) };
  }

  async startSession(a: Account, client: Client): Promise<{ sessionId: string; csrfToken: string; expiresAt: number }> {
    const now = this.now();
    const sessionId = randomSecret();
    const csrfToken = randomSecret();
    const expiresAt = Math.min(now + this.settings.sessionIdleMs, now + this.settings.sessionMaxMs);
    // Expired sessions are otherwise deleted only when presented again: each sign-in sweeps them,
    // so sessions nobody returns to do not pile up.
    await this.repo.deleteExpiredSessions(now);
    await this.repo.insertSession({ idHash: sha256Hex(sessionId), userId: a.id, csrfToken, createdAt: now, expiresAt, lastSeenAt: now, ip: client.ip, userAgent: client.userAgent?.slice(0, 300) ?? null });
    return { sessionId, csrfToken, expiresAt };
  }

  /** The principal of a session cookie, or null (unknown, expired, account disabled). Slides the idle expiry. */
  async authenticateSession(sessionId: string): Promise<{ principal: Principal; session: Session } | null> {
    if (sessionId.length > 100) return null;
    const idHash = sha256Hex(sessionId);
    const s = await this.repo.getSession(idHash);
    const now = this.now();
    if (!s) return null;
    if (s.expiresAt <= now) {
      await this.repo.deleteSession(idHash);
      return null;
    }
    const a = await this.repo.get(s.userId);
    if (!a || a.disabled) return null;
    if (now - s.lastSeenAt >= TOUCH_EVERY_MS) {
      const expiresAt = Math.min(now + this.settings.sessionIdleMs, s.createdAt + this.settings.sessionMaxMs);
      await this.repo.touchSession(idHash, now, expiresAt);
    }
    return { principal: principalOf(a, 'session'), session: s };
  }

  async logout(sessionId: string): Promise<void> {
    await this.repo.deleteSession(sha256Hex(sessionId));
  }

  /**
   * A token for integrations, shown once. Scopes default to the account role's permissions and
   * can only narrow them.
   */
  async createToken(userId: string, opts: { name: string; scopes?: Permission[] | undefined; expiresAt?: number | null | undefined }, createdBy: string | null): Promise<{ token: string; view: ApiTokenView }> {
    const a = await this.get(userId);
    const rolePerms = ROLE_PERMISSIONS[a.role];
    const scopes = opts.scopes ?? [...rolePerms];
    const beyond = scopes.filter((p) => !rolePerms.has(p));
    if (beyond.length) {
      throw new TingjianError('INVALID_REQUEST', `scopes ${beyond.join(', ')} are not permissions of role ${a.role}: a token can only narrow its account's rights`, { problems: beyond });
    }
    const now = this.now();
    if (opts.expiresAt != null && opts.expiresAt <= now) throw new TingjianError('INVALID_REQUEST', 'expiresAt is in the past');
    const id = randomSecret(12).replace(/[-_]/g, '').padEnd(16, '0').slice(0, 16);
    const secret = randomSecret();
    const t: ApiToken = { id, userId, name: opts.name, secretHash: sha256Hex(secret), scopes, createdAt: now, createdBy, expiresAt: opts.expiresAt ?? null, revokedAt: null, lastUsedAt: null };
    await this.repo.insertToken(t);
    return { token: `tj_${id}_${secret}`, view: apiTokenView(t) };
  }

  async authenticateToken(raw: string): Promise<Principal | null> {
    const m = TOKEN_FORMAT.exec(raw);
    if (!m) return null;
    const t = await this.repo.getToken(m[1]!);
    const now = this.now();
    if (!t || t.revokedAt !== null || (t.expiresAt !== null && t.expiresAt <= now)) return null;
    if (!safeEqual(t.secretHash, sha256Hex(m[2]!))) return null;
    const a = await this.repo.get(t.userId);
    if (!a || a.disabled) return null;
    if (t.lastUsedAt === null || now - t.lastUsedAt >= TOUCH_EVERY_MS) await this.repo.touchToken(t.id, now);
    return principalOf(a, 'token', { id: t.id, scopes: t.scopes });
  }

  async listTokens(userId: string): Promise<ApiTokenView[]> {
    return (await this.repo.listTokens(userId)).map(apiTokenView);
  }

  async revokeToken(id: string): Promise<ApiTokenView> {
    const t = await this.repo.getToken(id);
    if (!t) throw notFound('token', id);
    await this.repo.revokeToken(id, this.now());
    return apiTokenView((await this.repo.getToken(id))!);
  }

  async getToken(id: string): Promise<ApiTokenView> {
    const t = await this.repo.getToken(id);
    if (!t) throw notFound('token', id);
    return apiTokenView(t);
  }
}
