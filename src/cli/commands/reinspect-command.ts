import { Command } from 'commander';
import { TingjianError } from '../../domain/errors.js';
import { queueReinspection, REINSPECTION_LEASE_MS, runReinspection } from '../../inspect/reinspection/reinspection-runner.js';
import { newWorkerId } from '../../platform/process-identity.js';
import type { ReinspectionJob } from '../../ports/repositories.js';
import { addGlobalOptions, type GlobalOptions } from '../cli-config.js';
import { progressBar } from '../progress-bar.js';
import { addFilterOptions, filterFrom, positiveInt, withApp, type FilterOptions } from './rules-command.js';

interface ReinspectOptions extends GlobalOptions, FilterOptions {
  version?: string;
  resume?: string;
  wait: boolean;
}

const FINAL = new Set(['done', 'failed', 'cancelled']);

/**
 * `tingjian reinspect --version V [filter]`: judge stored calls again with a published version (no
 * re-transcription). The job is stored, so this process works on it with a progress bar, and if
 * it is stopped `--resume <id>` (or a running `serve`) carries on from the last stored batch.
 */
export function reinspectCommand(): Command {
  return addFilterOptions(
    addGlobalOptions(
      new Command('reinspect')
        .description('re-inspect stored calls with a published rule set version, as a resumable background job with progress')
        .option('--version <n>', 'the published rule set version to judge with')
        .option('--resume <id>', 'carry on with a stopped re-inspection job')
        .option('--no-wait', 'queue the job and return (a running `tingjian serve` works on it)'),
    ),
  ).action(async (opts: ReinspectOptions) => {
    if ((opts.version === undefined) === (opts.resume === undefined)) throw new TingjianError('INVALID_REQUEST', 'give --version V (a new re-inspection) or --resume ID (carry on with one)');
    const message = await withApp(opts, async (ctx) => {
      const db = ctx.db;
      let job: ReinspectionJob | null = opts.resume !== undefined ? await db.repos.reinspections.get(positiveInt('--resume', opts.resume)) : await queueReinspection(db, positiveInt('--version', opts.version!), filterFrom(opts));
      if (!job) throw new TingjianError('NOT_FOUND', `re-inspection job ${opts.resume} does not exist`);
      // A failed or cancelled job goes back to the queue and on from its cursor.
      if (opts.resume !== undefined && (job.status === 'failed' || job.status === 'cancelled') && (await db.repos.reinspections.requeue(job.id, Date.now()))) job = (await db.repos.reinspections.get(job.id))!;
      if (!opts.wait) return `queued re-inspection job ${job.id}: version ${job.ruleSetVersion}, ${job.total} calls`;
      const id = job.id;
      const workerId = newWorkerId();
      const bar = progressBar(`reinspect #${id}`, job.total);
      bar.update(job.done);
      while (job && !FINAL.has(job.status)) {
        // Work on whatever is due (our job, or an older one ahead of it); if another process holds ours, watch it.
        const claimed = await db.repos.reinspections.claim(workerId, Date.now(), REINSPECTION_LEASE_MS);
        if (claimed) await runReinspection(db, claimed, workerId, { onProgress: (p) => claimed.id === id && bar.update(p.done, `${p.hitCalls} with hits`) });
        else await new Promise((r) => setTimeout(r, 500));
        job = await db.repos.reinspections.get(id);
        if (job) bar.update(job.done, `${job.hitCalls} with hits`);
      }
      bar.done();
      if (!job) throw new TingjianError('NOT_FOUND', `re-inspection job ${id} disappeared`);
      if (job.status === 'failed') throw new TingjianError('INTERNAL', `re-inspection job ${id} failed after ${job.done} calls: ${job.error ?? 'unknown error'}; fix it and run \`tingjian reinspect --resume ${id}\``);
      return `re-inspection job ${id} ${job.status}: ${job.done} of ${job.total} calls judged with version ${job.ruleSetVersion}, ${job.hitCalls} with at least one hit`;
    });
    process.stdout.write(`${message}\n`);
  });
}
