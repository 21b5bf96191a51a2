import type { Principal } from '../access/principal.js';
import type { AuditFilter, AuditRepository, ChainAppend, Database, Page } from '../ports/repositories.js';
import { auditKey, canonicalJson, chainEntry, verifyChain, type AuditEntry, type NewAuditEntry, type PurgeFacts, type VerifyReport } from './audit-chain.js';
import type { AuditActor, AuditEvent, AuditLog } from './audit-event.js';

/** Entries appended in one transaction at most (a burst beyond waits for the next flush). */
const MAX_GROUP = 500;
/** A user agent is the client's to choose: kept to this many characters. */
const MAX_USER_AGENT = 512;
/** Details are small facts; a larger text is cut (and marked so) rather than refusing to audit the request. */
const MAX_DETAILS = 8192;
const DAY_MS = 86_400_000;

/** The actor of a request by a signed-in principal. */
export const auditActorOf = (p: Principal): AuditActor => ({ userId: p.userId, username: p.username, role: p.role, via: p.via });

/** The process itself: the CLI, scheduled purges. */
export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system', role: null, via: 'system' };

export function toNewEntry(event: AuditEvent, at: number): NewAuditEntry {
  let details = canonicalJson(event.details ?? {});
  if (details.length > MAX_DETAILS) details = canonicalJson({ truncated: true, length: details.length, start: details.slice(0, MAX_DETAILS - 100) });
  return {
    at,
    actorUserId: event.actor.userId,
    actorUsername: event.actor.username,
    actorRole: event.actor.role,
    actorVia: event.actor.via,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    outcome: event.outcome,
    ip: event.ip ?? null,
    userAgent: event.userAgent ? event.userAgent.slice(0, MAX_USER_AGENT) : null,
    details,
  };
}

interface Waiting {
  entry: NewAuditEntry;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * The audit log: records events on the hash chain, searches, verifies and purges it.
 *
 * record() resolves once the entry is committed. Appends that arrive while one is being written
 * wait and are then written together in one transaction (one lock, one commit for the group):
 * under load a request waits for at most one commit ahead of its own. Across processes the
 * repository's lock keeps the chain one line.
 */
export class ChainedAuditLog implements AuditLog {
  private readonly chain: ChainAppend;
  private waiting: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly repo: AuditRepository,
    private readonly key: Buffer,
    private readonly opts: { retentionDays: number; clock?: () => number },
  ) {
    this.chain = (head, entry) => chainEntry(key, head, entry);
  }

  private now(): number {
    return (this.opts.clock ?? Date.now)();
  }

  record(event: AuditEvent): Promise<void> {
    const entry = toNewEntry(event, this.now());
    return new Promise((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, MAX_GROUP);
        try {
          await this.repo.appendMany(
            group.map((w) => w.entry),
            this.chain,
          );
          for (const w of group) w.resolve();
        } catch (e) {
          for (const w of group) w.reject(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Newest first; filters as AuditRepository.page. */
  search(filter: AuditFilter, page: { limit: number; cursor?: string | undefined }): Promise<Page<AuditEntry>> {
    return this.repo.page(filter, page);
  }

  /** Every matching entry, oldest first, read a page at a time (exports of any size). */
  async *entries(filter: AuditFilter, pageSize = 1000): AsyncIterable<AuditEntry[]> {
    let cursor: string | undefined;
    do {
      const page = await this.repo.page(filter, { limit: pageSize, cursor, order: 'oldest' });
      if (page.items.length > 0) yield page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  /**
   * Verify the whole chain from its anchor. A purge between reading the anchor and the first
   * entries looks like a cut head; then it runs once more from the new anchor.
   */
  async verify(opts: { onProgress?: (entries: number) => void; maxProblems?: number } = {}): Promise<VerifyReport> {
    for (let attempt = 0; ; attempt++) {
      const anchor = await this.repo.anchor();
      const report = await verifyChain(this.repo.stream(anchor.seq, 1000), anchor, this.key, opts);
      const headCut = report.problems.some((p) => p.kind === 'truncated-head' || p.kind === 'anchor-unexplained');
      if (!headCut || attempt > 0) return report;
      const now = await this.repo.anchor();
      if (now.seq === anchor.seq && now.hash === anchor.hash) return report;
    }
  }

  /**
   * Delete entries older than the retention (at least a year), keep the chain verifiable (the
   * anchor moves to the last deleted entry) and record an audit.purge entry saying how many and
   * through which seq — in one transaction.
   */
  async purgeExpired(actor: AuditActor = SYSTEM_ACTOR, now = this.now()): Promise<PurgeFacts> {
    const before = now - this.opts.retentionDays * DAY_MS;
    const { facts } = await this.repo.purgeBefore(
      before,
      (f) =>
        toNewEntry(
          {
            actor,
            action: 'audit.purge',
            targetType: 'audit_log',
            outcome: 'allowed',
            details: { ...f, retentionDays: this.opts.retentionDays },
          },
          now,
        ),
      this.chain,
    );
    return facts;
  }
}

/**
 * The audit log of a database. `secret`: a key of the master keyring that never rotates (see
 * auditKey()); null without a master key — the public default key.
 */
export function createAuditLog(db: Database, opts: { secret: Buffer | null; retentionDays: number; clock?: () => number }): ChainedAuditLog {
  return new ChainedAuditLog(db.repos.audit, auditKey(opts.secret), { retentionDays: opts.retentionDays, ...(opts.clock ? { clock: opts.clock } : {}) });
}
