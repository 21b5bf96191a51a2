import type { Principal } from '../access/principal.js';
import type { AuditFilter, AuditRepository, ChainAppend, Database, Page } from '../ports/repositories.js';
import {
  auditKey,
  canonicalJson,
  chainEntry,
  hashedWith,
  isPublicKey,
  REKEY_ACTION,
  storableText,
  verifyChain,
  type AuditEntry,
  type NewAuditEntry,
  type PurgeFacts,
  type VerifyReport,
} from './audit-chain.js';
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

const text = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : storableText(s));

/**
 * The entry an event becomes. Every text is storableText() — the fields and the strings inside
 * details — before it is hashed: a name tried at login is the client's to choose, and a lone
 * surrogate or U+0000 in it must neither change in the database (a false "changed") nor make the
 * database refuse the insert.
 */
export function toNewEntry(event: AuditEvent, at: number): NewAuditEntry {
  let details = canonicalJson(event.details ?? {});
  if (details.length > MAX_DETAILS) details = canonicalJson({ truncated: true, length: details.length, start: details.slice(0, MAX_DETAILS - 100) });
  return {
    at,
    actorUserId: text(event.actor.userId),
    actorUsername: storableText(event.actor.username),
    actorRole: text(event.actor.role),
    actorVia: storableText(event.actor.via),
    action: storableText(event.action),
    targetType: text(event.targetType),
    targetId: text(event.targetId),
    outcome: storableText(event.outcome),
    ip: text(event.ip),
    userAgent: event.userAgent ? storableText(event.userAgent.slice(0, MAX_USER_AGENT)) : null,
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
  /** Whether this process has made sure the chain is not left on the public key (see rekeyed()); at once when its key is the public one. */
  private rekeyDone: boolean;
  private rekeying: Promise<void> | null = null;

  constructor(
    private readonly repo: AuditRepository,
    private readonly key: Buffer,
    private readonly opts: { retentionDays: number; clock?: () => number },
  ) {
    this.chain = (head, entry) => chainEntry(key, head, entry);
    this.rekeyDone = isPublicKey(key);
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
      while (this.waiting.length > 0) await this.write(this.waiting.splice(0, MAX_GROUP));
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Appends a group in one transaction. When that fails, each entry is tried on its own, so one
   * entry the database refuses fails only its own request, not the others' written with it.
   */
  private async write(group: Waiting[]): Promise<void> {
    try {
      await this.rekeyed();
      await this.repo.appendMany(
        group.map((w) => w.entry),
        this.chain,
      );
      for (const w of group) w.resolve();
    } catch (e) {
      if (group.length === 1) group[0]!.reject(e);
      else for (const w of group) await this.write([w]);
    }
  }

  /**
   * A process holding the audit key, before its first write (or verification), looks at the
   * chain's head: when it was hashed with the public default key (the log was written before a
   * master key was configured), it appends an audit.rekey entry hashed with its key. That entry
   * seals the entries before it (ChainVerifier): from it on only the audit key is valid. Two
   * processes starting at once may both append one; a second is harmless.
   */
  private rekeyed(): Promise<void> {
    if (this.rekeyDone) return Promise.resolve();
    this.rekeying ??= this.sealPublicHead().then(
      () => {
        this.rekeyDone = true;
      },
      (e: unknown) => {
        this.rekeying = null; // tried again with the next write
        throw e;
      },
    );
    return this.rekeying;
  }

  private async sealPublicHead(): Promise<void> {
    const head = await this.repo.head();
    let last: AuditEntry | undefined;
    for await (const batch of this.repo.stream(head.seq - 1, 1)) {
      last = batch[0];
      break;
    }
    if (last === undefined || last.seq !== head.seq || hashedWith(this.key, last) || !hashedWith(auditKey(null), last)) return;
    const details = { afterSeq: head.seq, previousKey: 'public default key' };
    await this.repo.append(toNewEntry({ actor: SYSTEM_ACTOR, action: REKEY_ACTION, targetType: 'audit_log', outcome: 'allowed', details }, this.now()), this.chain);
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
    // A log still on the public key gets its audit.rekey entry first, so a master key just configured
    // is no false alarm. Where it cannot be written (a read-only copy), the report says the run is unsealed.
    await this.rekeyed().catch(() => undefined);
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
    await this.rekeyed();
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
