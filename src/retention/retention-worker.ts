import type { Logger } from 'pino';
import type { AuditActor } from '../audit/audit-event.js';
import { SYSTEM_ACTOR } from '../audit/audit-log.js';
import type { RetentionService } from './retention-service.js';

const DAY_MS = 86_400_000;


/**
 * The long-running server's scheduled purge: every `intervalMs` it deletes the calls that have
 * expired and are not on legal hold. The first run comes one interval after start, not at once:
 * a restart (or an upgrade that brings a new policy) leaves time to look before anything goes.
 * Several servers may run it; each call's deletion locks its row, so a call is deleted once.
 * It also applies the audit log's retention, once a day.
 */
export class RetentionPurgeWorker {
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;

  private lastAuditPurge = 0;

  constructor(
    private readonly retention: RetentionService,
    private readonly log: Logger,
    private readonly intervalMs: number,
    /** The audit log's own retention (at least a year), applied at most once a day: each run leaves an audit.purge entry. */
    private readonly audit?: { purgeExpired(actor: AuditActor): Promise<{ deleted: number; throughSeq: number }> },
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.intervalMs);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = null;
      if (this.stopped) return;
      try {
        const r = await this.retention.purge({ actor: SYSTEM_ACTOR, shouldStop: () => this.stopped });
        if (r.purged || r.failed.length || r.locked || r.resumed) {
          this.log.info({ purged: r.purged, due: r.due, heldExpired: r.heldExpired, locked: r.locked, failed: r.failed.length, resumed: r.resumed }, 'retention purge');
        }
      } catch (e) {
        this.log.error({ err: e }, 'retention purge failed; the next run tries again');
      }
      if (this.audit && Date.now() - this.lastAuditPurge >= DAY_MS) {
        try {
          const f = await this.audit.purgeExpired(SYSTEM_ACTOR);
          this.lastAuditPurge = Date.now();
          if (f.deleted) this.log.info({ deleted: f.deleted, throughSeq: f.throughSeq }, 'audit log entries past their retention purged');
        } catch (e) {
          this.log.error({ err: e }, 'audit log purge failed; the next run tries again');
        }
      }
    }
  }
}
