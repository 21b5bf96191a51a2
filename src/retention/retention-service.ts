import type { AuditActor } from '../audit/audit-event.js';
import { notFound, TingjianError } from '../domain/errors.js';
import type { LegalHold } from '../ports/retention-repository.js';
import { applyPolicy, retainOriginal } from './apply-policy.js';
import { expiryOf, type Expiry, type RetentionFacts } from './expiry.js';
import { purgedCall, purgeExpired, removeCall, type DeletionDeps, type PurgedCall, type PurgeOptions, type PurgeReport } from './purge.js';
import type { RetentionPolicy } from './retention-policy.js';

export interface RetentionServiceDeps extends DeletionDeps {
  policy: RetentionPolicy;
}

/** A call's retention as the API shows it. */
export interface CallRetentionView {
  callId: string;
  /** ISO 8601; null: not computed (stored before retention existed: kept until `tingjian retention apply`). */
  expiresAt: string | null;
  policy: string | null;
  expired: boolean;
  legalHold: { reason: string; by: string; at: string } | null;
  worm: boolean;
  /** WORM: the time the store keeps the original until, when it keeps it. */
  recordingRetainedUntil: string | null;
}

export interface DeleteCallOptions {
  /** Who asked: the actor of the `call.delete` entry, kept in the tombstone until it is written. */
  auditAs: AuditActor;
  now?: number;
  /**
   * The caller records the `call.delete` entry itself (the HTTP audit hook), then calls
   * settleDeletion(). Until then the tombstone keeps the entry: a request that fails or dies
   * before its own entry is durable still gets one, from the next purge.
   */
  callerAudits?: boolean;
}

export interface DeletedCall extends PurgedCall {
  recordingDeleted: boolean;
}

export interface HoldFilter {
  callIds?: readonly string[];
  customerPhone?: string;
  externalIds?: readonly string[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const MAX_REASON = 500;

/**
 * Retention as the API and the CLI use it: the policy's expiry per call, legal holds, deleting a
 * call, purging expired ones. The scheduled purge (retention-worker.ts) calls purge().
 */
export class RetentionService {
  constructor(private readonly deps: RetentionServiceDeps) {}

  get policy(): RetentionPolicy {
    return this.deps.policy;
  }

  get worm(): boolean {
    return this.deps.worm;
  }

  /** A new call's expiry under the policy (the ingest service stores it with the call). */
  expiryOf(call: RetentionFacts): Expiry {
    return expiryOf(call, this.deps.policy);
  }

  /** WORM: lock a newly stored call's original in the store until its expiry. */
  async retainOriginal(callId: string): Promise<void> {
    if (this.deps.worm) await retainOriginal(this.deps, callId);
  }

  async get(callId: string, now = Date.now()): Promise<CallRetentionView> {
    const { repos } = this.deps.db;
    if (!(await repos.calls.get(callId))) throw notFound('call', callId);
    const [ret, rec] = await Promise.all([repos.retention.get(callId), repos.recordings.getByCallId(callId)]);
    const expiresAt = ret?.expiresAt ?? null;
    const hold = ret?.legalHold ?? null;
    return {
      callId,
      expiresAt: iso(expiresAt),
      policy: ret?.policy ?? null,
      expired: expiresAt !== null && expiresAt <= now,
      legalHold: hold ? { reason: hold.reason, by: hold.by, at: iso(hold.at)! } : null,
      worm: this.deps.worm,
      recordingRetainedUntil: rec ? iso(await this.deps.blobs.retainedUntil(rec.blobKey)) : null,
    };
  }

  /** Every stored call's expiry computed again (after a policy change). */
  apply(opts: { now?: number; onProgress?: (done: number) => void } = {}): Promise<number> {
    return applyPolicy(this.deps, opts);
  }

  /**
   * Put calls on legal hold: by id, by customer phone, by external ids (all given are combined).
   * A held call is never purged or deleted. `auditAs`: record a `legal_hold.set` entry per call
   * (the CLI; over HTTP the route's audit hook records the request).
   */
  async hold(filter: HoldFilter, reason: string, by: string, opts: { auditAs?: AuditActor; now?: number } = {}): Promise<{ held: string[]; missing: string[] }> {
    const why = reason.trim();
    if (!why) throw new TingjianError('INVALID_REQUEST', 'a legal hold needs a reason (the case, the ticket, who asked): give --reason or "reason"');
    if (why.length > MAX_REASON) throw new TingjianError('INVALID_REQUEST', `the reason has ${why.length} characters; at most ${MAX_REASON}`);
    const ids = await this.idsOf(filter);
    const hold: LegalHold = { reason: why, by, at: opts.now ?? Date.now() };
    const held = await this.deps.db.repos.retention.setHold(ids, hold);
    await this.auditEach(held, 'legal_hold.set', opts.auditAs, { reason: why });
    const found = new Set(held);
    return { held, missing: (filter.callIds ?? []).filter((id) => !found.has(id)) };
  }

  /** Release holds; the calls become purgeable again by their (unchanged) expiry. */
  async release(filter: HoldFilter, opts: { auditAs?: AuditActor } = {}): Promise<{ released: string[]; notHeld: string[] }> {
    const ids = await this.idsOf(filter);
    const released = await this.deps.db.repos.retention.releaseHold(ids);
    await this.auditEach(released, 'legal_hold.release', opts.auditAs, {});
    const done = new Set(released);
    return { released, notHeld: ids.filter((id) => !done.has(id)) };
  }

  /**
   * Delete one call now, as the purge would, and record a `call.delete` entry by `auditAs` once it
   * is gone. LEGAL_HOLD while held; in WORM mode WORM_LOCKED before its expiry, whoever asks.
   */
  async deleteCall(callId: string, opts: DeleteCallOptions): Promise<DeletedCall> {
    const audit = { action: 'call.delete', actor: opts.auditAs };
    const done = await removeCall(this.deps, callId, { mode: 'delete', now: opts.now ?? Date.now(), audit, callerAudits: opts.callerAudits === true });
    // mode 'delete' throws rather than return null.
    return { ...purgedCall(done!.tombstone), recordingDeleted: done!.recordingDeleted };
  }

  /** A deletion whose caller recorded its entry (DeleteCallOptions.callerAudits): its tombstone goes. */
  async settleDeletion(callId: string): Promise<void> {
    await this.deps.db.repos.retention.forget(callId);
  }

  purge(opts: PurgeOptions): Promise<PurgeReport> {
    return purgeExpired(this.deps, opts);
  }

  private async idsOf(filter: HoldFilter): Promise<string[]> {
    const ids = new Set(filter.callIds ?? []);
    if (filter.customerPhone || filter.externalIds?.length) {
      const found = await this.deps.db.repos.retention.callIdsOf({
        ...(filter.customerPhone ? { customerPhone: filter.customerPhone } : {}),
        ...(filter.externalIds ? { externalIds: filter.externalIds } : {}),
      });
      for (const id of found) ids.add(id);
    }
    if (ids.size === 0 && !filter.customerPhone && !filter.externalIds?.length) {
      throw new TingjianError('INVALID_REQUEST', 'name the calls: call ids, a customer phone or external ids');
    }
    return [...ids];
  }

  private async auditEach(callIds: string[], action: string, actor: AuditActor | undefined, details: Record<string, unknown>): Promise<void> {
    if (!actor) return;
    for (const id of callIds) await this.deps.audit.record({ actor, action, targetType: 'call', targetId: id, outcome: 'allowed', details });
  }
}
