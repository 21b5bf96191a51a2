/**
 * One thing that happened, as the audit log records it: who, what, when, from where, and whether
 * it was allowed. The AuditLog (src/audit/audit-log.ts) appends it to a hash chain.
 */
export const AUDIT_OUTCOMES = ['allowed', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditActor {
  /** null for someone not (yet) identified: a failed login, a request without credentials. */
  userId: string | null;
  /** The account name, or the name tried at login, or 'anonymous' / 'system'. */
  username: string;
  role: string | null;
  /** session, token, system (CLI, scheduled purge), or none. */
  via: 'session' | 'token' | 'system' | 'none';
}

export interface AuditEvent {
  actor: AuditActor;
  /**
   * Dotted verb, e.g. auth.login, auth.logout, call.view, call.audio, call.search, call.list,
   * call.delete, export.request, export.approve, export.download, rules.publish, user.create,
   * user.update, token.create, token.revoke, retention.purge, legal_hold.set, score.change.
   */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome: AuditOutcome;
  /** Client address (behind a trusted proxy: the forwarded one). */
  ip?: string | null;
  userAgent?: string | null;
  /** Small facts: the search query, the HTTP status, the reason of a denial. Never secrets. */
  details?: Record<string, unknown>;
}

/** Appends events. Implementations serialise appends so the chain has no forks, across processes too. */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
}
