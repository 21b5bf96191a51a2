import type { AuditActor } from '../audit/audit-event.js';

/** Why a call must not be deleted whatever its expiry (litigation, an investigation, a complaint). */
export interface LegalHold {
  reason: string;
  /** Who set it (a username, or `cli (<user>)`). */
  by: string;
  at: number;
}

/** A call's retention as stored. */
export interface CallRetention {
  callId: string;
  /** Epoch ms; null: never computed (a call stored before retention existed is kept until `retention apply`). */
  expiresAt: number | null;
  /** The policy rule that decided: a rule id, `default` or `misdial`. */
  policy: string | null;
  computedAt: number | null;
  legalHold: LegalHold | null;
}

export interface CallExpiry {
  callId: string;
  expiresAt: number;
  policy: string;
}

/** The audit entry a purge writes once a deleted call's files are gone. */
export interface PurgeAudit {
  action: string;
  actor: AuditActor;
}

/**
 * A call whose rows are deleted and whose files may still be on disk: the purge removes the
 * original (when no other recording uses it) and the decoded scratch copy, writes the audit
 * entry, then forgets the tombstone. Resumable: a crash leaves the tombstone for the next run.
 */
export interface PurgeTombstone {
  callId: string;
  blobKey: string | null;
  externalId: string | null;
  policy: string | null;
  expiresAt: number | null;
  purgedAt: number;
  audit: PurgeAudit | null;
}

/**
 * Retention rows (the call_retention side table). Thin: the policy, WORM and legal-hold rules are
 * src/retention's; this stores and finds.
 */
export interface RetentionRepository {
  get(callId: string): Promise<CallRetention | null>;
  /**
   * Insert or replace expiries; legal holds stay as they are, purged calls are left alone.
   * `neverShorten` (WORM): an expiry already later than the new one is kept, with its policy.
   */
  saveExpiries(rows: CallExpiry[], now: number, opts: { neverShorten: boolean }): Promise<void>;
  /** Calls with no expiry yet, in ascending id order after `afterId`. */
  callIdsWithoutExpiry(afterId: string | null, limit: number): Promise<string[]>;
  /** Put stored calls on hold (replacing an earlier hold's reason); returns the ids of those that exist. */
  setHold(callIds: readonly string[], hold: LegalHold): Promise<string[]>;
  /** Release holds; returns the ids that were held. */
  releaseHold(callIds: readonly string[]): Promise<string[]>;
  /** Expired, not held, not purged: by (expiresAt, callId) after `after`, at most `limit`. */
  listDue(now: number, after: { expiresAt: number; callId: string } | null, limit: number): Promise<CallRetention[]>;
  /** How many calls the purge would delete now, and how many expired ones a hold keeps. */
  countDue(now: number): Promise<{ due: number; heldExpired: number }>;
  /** Ids of the stored calls with this customer phone and/or these external ids (either matches). */
  callIdsOf(filter: { customerPhone?: string; externalIds?: readonly string[] }): Promise<string[]>;
  /**
   * Inside a transaction: the call's row, made if missing and locked (PostgreSQL FOR UPDATE), so
   * a hold set at the same moment waits for the deletion or wins before it. Null: no such call.
   */
  lockForDeletion(callId: string): Promise<CallRetention | null>;
  /** Inside the same transaction: delete the call and every row derived from it, leaving the tombstone. */
  deleteCall(tombstone: PurgeTombstone): Promise<void>;
  /** Tombstones whose files are not yet removed, oldest first. */
  tombstones(limit: number): Promise<PurgeTombstone[]>;
  /** Whether any stored recording still points at this blob. */
  blobReferenced(blobKey: string): Promise<boolean>;
  /**
   * The call whose deletion is still removing this blob (a tombstone naming it), or null: an
   * ingest of the same bytes must not reuse the file meanwhile (src/retention/blob-reuse.ts).
   */
  deletionOfBlob(blobKey: string): Promise<string | null>;
  /** The measured length of these calls' recordings (calls without one are left out). */
  recordingLengths(callIds: readonly string[]): Promise<Map<string, number>>;
  /** Drop a tombstone once its files are gone. */
  forget(callId: string): Promise<void>;
}
