import type { Logger } from 'pino';
import type { AuditActor, AuditLog } from '../audit/audit-event.js';
import { notFound, TingjianError, isTingjianError } from '../domain/errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { DecodedAudioStore } from '../ports/decoded-audio-store.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { CallRetention, PurgeAudit, PurgeTombstone } from '../ports/retention-repository.js';

/** What deleting a call touches: its rows, its original, its decoded scratch copy, the audit log. */
export interface DeletionDeps {
  db: Database;
  blobs: BlobStore;
  decoded: DecodedAudioStore;
  audit: AuditLog;
  /** WORM mode: nothing is deleted before it expires. */
  worm: boolean;
  log?: Logger;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const wormLocked = (callId: string, expiresAt: number | null) =>
  new TingjianError(
    'WORM_LOCKED',
    expiresAt === null
      ? `call ${callId} has no computed expiry and WORM mode is on: nothing is deleted before it expires (run \`tingjian retention apply\` to compute it)`
      : `call ${callId} is kept until ${iso(expiresAt)} (WORM mode): no one can delete or change it before then, admins included`,
    { callId, expiresAt: iso(expiresAt) },
  );

export const legalHold = (callId: string, r: CallRetention) =>
  new TingjianError('LEGAL_HOLD', `call ${callId} is on legal hold (${r.legalHold!.reason}, set by ${r.legalHold!.by}): release the hold before deleting it`, {
    callId,
    reason: r.legalHold!.reason,
    heldBy: r.legalHold!.by,
  });

/**
 * Delete one call and everything derived from it. `purge`: only if it is still expired and not
 * held when its row is locked (a hold set a moment ago wins; null is returned). `delete`: on
 * request — refused with LEGAL_HOLD while held and, in WORM mode, with WORM_LOCKED before expiry.
 *
 * The rows go in one transaction that leaves a tombstone; the files and the audit entry follow
 * (finishTombstone), so a crash in between leaves work the next purge completes. A recording the
 * store retains (WORM, S3 Object Lock) is refused before any row goes: rows are never deleted
 * while their original has to stay.
 */
export async function removeCall(
  deps: DeletionDeps,
  callId: string,
  opts: RemoveOptions,
): Promise<{ tombstone: PurgeTombstone; recordingDeleted: boolean } | null> {
  const rec = await deps.db.repos.recordings.getByCallId(callId);
  const lockedUntil = rec ? await deps.blobs.retainedUntil(rec.blobKey) : null;
  const tombstone = await retryingDeadlocks(() => deps.db.transaction((r) => deleteRows(r, callId, deps.worm, lockedUntil, opts)));
  if (!tombstone) return null;
  return { tombstone, recordingDeleted: await finishTombstone(deps, tombstone, { callerAudits: opts.callerAudits === true }) };
}

interface RemoveOptions {
  mode: 'purge' | 'delete';
  now: number;
  /** The entry written once the call is gone; kept in the tombstone until it is. */
  audit: PurgeAudit;
  /** The caller writes the entry itself, then forgets the tombstone (see finishTombstone). */
  callerAudits?: boolean;
}

/** The deletion's transaction: lock, check the hold and WORM, delete the rows, leave the tombstone. */
async function deleteRows(
  r: Repositories,
  callId: string,
  worm: boolean,
  lockedUntil: number | null,
  opts: RemoveOptions,
): Promise<PurgeTombstone | null> {
  const ret = await r.retention.lockForDeletion(callId);
  if (!ret) {
    if (opts.mode === 'purge') return null;
    throw notFound('call', callId);
  }
  const expired = ret.expiresAt !== null && ret.expiresAt <= opts.now;
  if (opts.mode === 'purge' && (!expired || ret.legalHold)) return null;
  if (ret.legalHold) throw legalHold(callId, ret);
  if (worm && !expired) throw wormLocked(callId, ret.expiresAt);
  if (lockedUntil !== null && lockedUntil > Date.now()) throw wormLocked(callId, lockedUntil);
  const call = await r.calls.get(callId);
  const recording = await r.recordings.getByCallId(callId);
  const t: PurgeTombstone = {
    callId,
    blobKey: recording?.blobKey ?? null,
    externalId: call?.externalId ?? null,
    policy: ret.policy,
    expiresAt: ret.expiresAt,
    purgedAt: opts.now,
    audit: opts.audit,
  };
  await r.retention.deleteCall(t);
  // Encryption at rest: without its data key, what the call's rows were encrypted with cannot be
  // read again — in backups either.
  await r.dataKeys.delete(callId);
  return t;
}

/**
 * PostgreSQL may still pick the deletion as a deadlock's victim (a re-inspection writing the same
 * call's results at that moment): the transaction rolled back whole, so it is simply run again.
 */
async function retryingDeadlocks<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw e;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

/**
 * The files of a deleted call, then its audit entry, then the tombstone; returns whether the
 * original was removed. The original goes only when no other recording points at it (content
 * addressing could share one; sha256 is unique per recording today, but a blob is never removed
 * on that assumption alone). A new call ingested with the same bytes meanwhile neither keeps the
 * file this removes nor commits a recording between the check and the removal: while the
 * tombstone names the blob, the ingest waits, and its transaction refuses (blob-reuse.ts).
 *
 * `callerAudits` (a deletion over HTTP, whose audit hook records the request): the files go, the
 * entry is left to the caller and the tombstone kept — with its entry — until the caller's is
 * durable and it calls forget(); a request that fails or dies before then leaves the entry to the
 * next purge, so there is never a deletion without one.
 */
export async function finishTombstone(deps: DeletionDeps, t: PurgeTombstone, opts: { callerAudits?: boolean } = {}): Promise<boolean> {
  const repo = deps.db.repos.retention;
  const blobDeleted = t.blobKey !== null && !(await repo.blobReferenced(t.blobKey));
  if (blobDeleted) await deps.blobs.delete(t.blobKey!);
  await deps.decoded.delete(t.callId);
  if (opts.callerAudits) return blobDeleted;
  if (t.audit) {
    await deps.audit.record({
      actor: t.audit.actor,
      action: t.audit.action,
      targetType: 'call',
      targetId: t.callId,
      outcome: 'allowed',
      details: { policy: t.policy, expiresAt: iso(t.expiresAt), externalId: t.externalId, recordingDeleted: blobDeleted },
    });
  }
  await repo.forget(t.callId);
  return blobDeleted;
}

/** Tombstones an earlier run left (a crash, a store that refused): finished now where possible. */
export async function finishTombstones(deps: DeletionDeps): Promise<number> {
  let finished = 0;
  for (;;) {
    const page = await deps.db.repos.retention.tombstones(200);
    let failed = 0;
    for (const t of page) {
      try {
        await finishTombstone(deps, t);
        finished++;
      } catch (e) {
        failed++;
        deps.log?.warn({ err: e, callId: t.callId }, 'removing the files of a deleted call failed; the next purge tries again');
      }
    }
    // Stop at the last page, or when a page holds failures (they would come back first again).
    if (page.length < 200 || failed > 0) return finished;
  }
}

export interface PurgedCall {
  callId: string;
  externalId: string | null;
  policy: string | null;
  expiresAt: string | null;
}

export const purgedCall = (t: PurgeTombstone): PurgedCall => ({ callId: t.callId, externalId: t.externalId, policy: t.policy, expiresAt: iso(t.expiresAt) });

export interface PurgeReport {
  dryRun: boolean;
  /** Calls expired and not held when the run started. */
  due: number;
  /** Purged (or, in a dry run, that would be). */
  purged: number;
  /** Expired calls a legal hold keeps. */
  heldExpired: number;
  /** Expired calls whose original the store still retains (WORM): kept until it allows. */
  locked: number;
  failed: Array<{ callId: string; error: string }>;
  /** Deletions of earlier runs whose files were removed now. */
  resumed: number;
  /** The first calls purged (at most 1,000). */
  calls: PurgedCall[];
}

export interface PurgeOptions {
  dryRun?: boolean;
  /** Default: now. */
  now?: number;
  batchSize?: number;
  /** Recorded as the actor of each call's audit entry (the scheduled purge: the system). */
  actor: AuditActor;
  onProgress?: (done: number, due: number) => void;
  /** Checked between calls: a stopping server ends the run; the next run carries on. */
  shouldStop?: () => boolean;
}

const MAX_LISTED = 1000;

/**
 * Deletes every call that is expired and not on legal hold, in expiry order, in batches, one
 * transaction per call; each leaves a `retention.purge` audit entry. Resumable: a run that stops
 * leaves the rest for the next, and deletions whose files were not removed are finished first.
 */
export async function purgeExpired(deps: DeletionDeps, opts: PurgeOptions): Promise<PurgeReport> {
  const now = opts.now ?? Date.now();
  const dryRun = opts.dryRun === true;
  const repo = deps.db.repos.retention;
  const resumed = dryRun ? 0 : await finishTombstones(deps);
  const { due, heldExpired } = await repo.countDue(now);
  const report: PurgeReport = { dryRun, due, purged: 0, heldExpired, locked: 0, failed: [], resumed, calls: [] };
  const audit: PurgeAudit = { action: 'retention.purge', actor: opts.actor };
  let cursor: { expiresAt: number; callId: string } | null = null;
  let seen = 0;
  while (!opts.shouldStop?.()) {
    const batch = await repo.listDue(now, cursor, opts.batchSize ?? 200);
    if (batch.length === 0) break;
    for (const r of batch) {
      if (opts.shouldStop?.()) break;
      cursor = { expiresAt: r.expiresAt!, callId: r.callId };
      const done = dryRun ? await dryRunEntry(deps, r) : await purgeOne(deps, r.callId, now, audit, report);
      if (done) {
        report.purged++;
        if (report.calls.length < MAX_LISTED) report.calls.push(done);
      }
      opts.onProgress?.(++seen, due);
    }
  }
  return report;
}

async function dryRunEntry(deps: DeletionDeps, r: CallRetention): Promise<PurgedCall> {
  const call = await deps.db.repos.calls.get(r.callId);
  return { callId: r.callId, externalId: call?.externalId ?? null, policy: r.policy, expiresAt: iso(r.expiresAt) };
}

async function purgeOne(deps: DeletionDeps, callId: string, now: number, audit: PurgeAudit, report: PurgeReport): Promise<PurgedCall | null> {
  try {
    const done = await removeCall(deps, callId, { mode: 'purge', now, audit });
    return done ? purgedCall(done.tombstone) : null;
  } catch (e) {
    if (isTingjianError(e) && e.code === 'WORM_LOCKED') report.locked++;
    else {
      report.failed.push({ callId, error: e instanceof Error ? e.message : String(e) });
      deps.log?.error({ err: e, callId }, 'purging an expired call failed');
    }
    return null;
  }
}
