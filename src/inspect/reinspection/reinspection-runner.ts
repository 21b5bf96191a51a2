import type { Logger } from 'pino';
import { TingjianError } from '../../domain/errors.js';
import type { Inspection } from '../../domain/inspection.js';
import type { Database, ReinspectionFilter, ReinspectionJob } from '../../ports/repositories.js';
import { publishedRuleSets } from '../../rules/published-rule-sets.js';
import { inspectionFacets } from '../../search/search-document.js';
import { judgeCall } from '../judge/judge-call.js';
import { storedCallBatches } from '../stored-calls.js';

export const REINSPECTION_BATCH = 250;
export const REINSPECTION_LEASE_MS = 60_000;

/**
 * Queues a re-inspection of stored calls with a published version: the calls' transcripts and
 * signals are judged again (no re-transcription) and the results stored beside the old ones.
 */
export async function queueReinspection(db: Database, version: number, filter: ReinspectionFilter, now = Date.now()): Promise<ReinspectionJob> {
  const row = await db.repos.ruleSets.get(version);
  if (!row) throw new TingjianError('NOT_FOUND', `rule set version ${version} does not exist; list them with \`tingjian rules versions\``, { version });
  if (row.status !== 'published') throw new TingjianError('CONFLICT', `rule set version ${version} is a draft: publish it first (\`tingjian rules publish --version ${version}\`), so stored results only ever come from published versions`, { version });
  const total = await db.repos.calls.countForReinspection(filter);
  return db.repos.reinspections.create({ ruleSetVersion: version, filter, total, now });
}

/**
 * Runs a claimed job from its cursor to the end, a batch at a time: judge, store the batch in one
 * transaction, then record progress (done, calls with hits, cursor) and renew the lease. Resumable:
 * after a crash the job is claimed again once its lease runs out and goes on after the cursor (a
 * batch stored but not yet recorded is judged again — the same result, replaced in place).
 * Stops when the job is cancelled (progress() returns false) or shouldStop() says so (shutdown).
 */
export async function runReinspection(
  db: Database,
  job: ReinspectionJob,
  workerId: string,
  opts: { leaseMs?: number; batch?: number; onProgress?: (job: { done: number; total: number; hitCalls: number }) => void; shouldStop?: () => boolean } = {},
): Promise<'done' | 'failed' | 'stopped'> {
  const leaseMs = opts.leaseMs ?? REINSPECTION_LEASE_MS;
  let done = job.done;
  let hitCalls = job.hitCalls;
  try {
    const rules = await publishedRuleSets(db).version(job.ruleSetVersion);
    for await (const batch of storedCallBatches(db, job.filter, { after: job.cursor, batch: opts.batch ?? REINSPECTION_BATCH })) {
      const rows = batch.map((sc) => ({ callId: sc.call.id, inspection: judgeCall(rules, sc) as Inspection & { ruleSetVersion: number } }));
      const now = Date.now();
      // The search index's score and rule filters follow the stored results, in the same transaction.
      await db.transaction(async (r) => {
        await r.inspections.saveMany(rows, now);
        await r.search.updateInspections(rows.map((x) => ({ callId: x.callId, ...inspectionFacets(x.inspection), ruleSetVersion: job.ruleSetVersion })));
      });
      done += batch.length;
      hitCalls += rows.filter((r) => r.inspection.results.some((x) => x.outcome === 'hit')).length;
      const held = await db.repos.reinspections.progress(job.id, workerId, { done, hitCalls, cursor: batch[batch.length - 1]!.call.id, lockedUntil: now + leaseMs, now });
      if (!held) return 'stopped';
      opts.onProgress?.({ done, total: Math.max(job.total, done), hitCalls });
      // Shutting down: leave the job running; its lease runs out and a worker resumes after the cursor.
      if (opts.shouldStop?.()) return 'stopped';
    }
    await db.repos.reinspections.finish(job.id, workerId, 'done', null, Date.now());
    return 'done';
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await db.repos.reinspections.finish(job.id, workerId, 'failed', message, Date.now()).catch(() => undefined);
    return 'failed';
  }
}

/** The background worker in `serve`: claims queued (or abandoned) re-inspections and runs them. */
export class ReinspectionWorker {
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly workerId: string,
    private readonly opts: { pollMs?: number; leaseMs?: number } = {},
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const job = await this.db.repos.reinspections.claim(this.workerId, Date.now(), this.opts.leaseMs ?? REINSPECTION_LEASE_MS).catch((e: unknown) => {
        this.log.error({ err: e }, 'claiming a re-inspection failed');
        return null;
      });
      if (job) {
        this.log.info({ job: job.id, version: job.ruleSetVersion, from: job.cursor }, 're-inspection started');
        const end = await runReinspection(this.db, job, this.workerId, { shouldStop: () => this.stopped, ...(this.opts.leaseMs ? { leaseMs: this.opts.leaseMs } : {}) });
        this.log.info({ job: job.id, end }, 're-inspection ended');
        continue;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.opts.pollMs ?? 1000);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }
}
