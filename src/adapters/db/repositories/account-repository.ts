import { sql, type Kysely, type Selectable } from 'kysely';
import type { Account, AccountChanges, ApiToken, NewAccount, Session } from '../../../access/account.js';
import type { Permission, Role } from '../../../access/permissions.js';
import type { AccountRepository } from '../../../ports/repositories.js';
import type { ApiTokensTable, DatabaseSchema, SessionsTable, UsersTable } from '../schema.js';

const toAccount = (r: Selectable<UsersTable>): Account => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  role: r.role as Role,
  agentId: r.agent_id,
  teamIds: JSON.parse(r.team_ids) as string[],
  businessLines: JSON.parse(r.business_lines) as string[],
  oidcSubject: r.oidc_subject,
  disabled: r.disabled === 1,
  failedLogins: r.failed_logins,
  lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const toSession = (r: Selectable<SessionsTable>): Session => ({
  idHash: r.id_hash,
  userId: r.user_id,
  csrfToken: r.csrf_token,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  lastSeenAt: Number(r.last_seen_at),
  ip: r.ip,
  userAgent: r.user_agent,
});

const num = (v: number | null): number | null => (v === null ? null : Number(v));
const toToken = (r: Selectable<ApiTokensTable>): ApiToken => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  secretHash: r.secret_hash,
  scopes: JSON.parse(r.scopes) as Permission[],
  createdAt: Number(r.created_at),
  createdBy: r.created_by,
  expiresAt: num(r.expires_at),
  revokedAt: num(r.revoked_at),
  lastUsedAt: num(r.last_used_at),
});

export class KyselyAccountRepository implements AccountRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async insert(a: NewAccount): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        id: a.id,
        username: a.username,
        display_name: a.displayName,
        password_hash: a.passwordHash,
        role: a.role,
        agent_id: a.agentId,
        team_ids: JSON.stringify(a.teamIds),
        business_lines: JSON.stringify(a.businessLines),
        oidc_subject: a.oidcSubject,
        disabled: 0,
        failed_logins: 0,
        locked_until: null,
        created_at: a.createdAt,
        updated_at: a.createdAt,
      })
      .execute();
  }

  async get(id: string): Promise<Account | null> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  async findByUsername(username: string): Promise<Account | null> {
    const r = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  async findByOidcSubject(subject: string): Promise<Account | null> {
    const r = await this.db.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  async list(): Promise<Account[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('username').execute()).map(toAccount);
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async update(id: string, c: AccountChanges, now: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({
        ...(c.displayName !== undefined ? { display_name: c.displayName } : {}),
        ...(c.role !== undefined ? { role: c.role } : {}),
        ...(c.agentId !== undefined ? { agent_id: c.agentId } : {}),
        ...(c.teamIds !== undefined ? { team_ids: JSON.stringify(c.teamIds) } : {}),
        ...(c.businessLines !== undefined ? { business_lines: JSON.stringify(c.businessLines) } : {}),
        ...(c.disabled !== undefined ? { disabled: c.disabled ? 1 : 0 } : {}),
        ...(c.oidcSubject !== undefined ? { oidc_subject: c.oidcSubject } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async setPasswordHash(id: string, hash: string, now: number): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: now }).where('id', '=', id).execute();
  }

  async countFailedLogin(id: string, now: number, maxFailures: number, lockMs: number): Promise<{ lockedUntil: number | null }> {
    const lapsed = sql<boolean>`locked_until is not null and locked_until <= ${now}`;
    const r = await this.db
      .updateTable('users')
      .set({
        failed_logins: sql<number>`case when ${lapsed} then 1 else failed_logins + 1 end`,
        locked_until: sql<number | null>`case when ${lapsed} then null else locked_until end`,
        updated_at: now,
      })
      .where('id', '=', id)
      .returning('failed_logins')
      .executeTakeFirst();
    if (!r || r.failed_logins < maxFailures) return { lockedUntil: null };
    const lockedUntil = now + lockMs;
    // Whoever reaches the limit first locks; a racing failure past it only renews the same lock.
    await this.db.updateTable('users').set({ failed_logins: 0, locked_until: lockedUntil, updated_at: now }).where('id', '=', id).execute();
    return { lockedUntil };
  }

  async recordSuccessfulLogin(id: string, now: number): Promise<void> {
    await this.db.updateTable('users').set({ failed_logins: 0, locked_until: null, updated_at: now }).where('id', '=', id).execute();
  }

  async insertSession(s: Session): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: s.idHash,
        user_id: s.userId,
        csrf_token: s.csrfToken,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
        last_seen_at: s.lastSeenAt,
        ip: s.ip,
        user_agent: s.userAgent,
      })
      .execute();
  }

  async getSession(idHash: string): Promise<Session | null> {
    const r = await this.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    return r ? toSession(r) : null;
  }

  async touchSession(idHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id_hash', '=', idHash).execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async insertToken(t: ApiToken): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: t.id,
        user_id: t.userId,
        name: t.name,
        secret_hash: t.secretHash,
        scopes: JSON.stringify(t.scopes),
        created_at: t.createdAt,
        created_by: t.createdBy,
        expires_at: t.expiresAt,
        revoked_at: t.revokedAt,
        last_used_at: t.lastUsedAt,
      })
      .execute();
  }

  async getToken(id: string): Promise<ApiToken | null> {
    const r = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toToken(r) : null;
  }

  async listTokens(userId: string): Promise<ApiToken[]> {
    return (await this.db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at').execute()).map(toToken);
  }

  async revokeToken(id: string, now: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async touchToken(id: string, now: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  async assign(callId: string, userId: string, by: string | null, now: number): Promise<void> {
    await this.db
      .insertInto('call_assignments')
      .values({ call_id: callId, user_id: userId, assigned_at: now, assigned_by: by })
      .onConflict((oc) => oc.columns(['user_id', 'call_id']).doNothing())
      .execute();
  }

  async unassign(callId: string, userId: string): Promise<void> {
    await this.db.deleteFrom('call_assignments').where('call_id', '=', callId).where('user_id', '=', userId).execute();
  }

  async isAssigned(callId: string, userId: string): Promise<boolean> {
    const r = await this.db.selectFrom('call_assignments').select('call_id').where('user_id', '=', userId).where('call_id', '=', callId).executeTakeFirst();
    return r !== undefined;
  }

  async assigneesOf(callId: string): Promise<string[]> {
    return (await this.db.selectFrom('call_assignments').select('user_id').where('call_id', '=', callId).orderBy('user_id').execute()).map((r) => r.user_id);
  }
}
