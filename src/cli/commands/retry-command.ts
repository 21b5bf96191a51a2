import { Command } from 'commander';
import { createAppContext } from '../../app/app-context.js';
import { TingjianError } from '../../domain/errors.js';
import { retryCall } from '../../pipeline/retry-call.js';
import { addGlobalOptions, cliConfig, type GlobalOptions, commandLogger } from '../cli-config.js';
import { waitWithProgress } from './ingest-command.js';

interface RetryOptions extends GlobalOptions {
  failed?: boolean;
  wait?: boolean;
  timeout: string;
}

export function retryCommand(): Command {
  return addGlobalOptions(
    new Command('retry')
      .description('run failed calls again from the stage that failed, once what failed them is fixed (a model folder, a missing program, a full disk)')
      .argument('[callIds...]', 'calls to retry')
      .option('--failed', 'every failed call')
      .option('--wait', 'run the pipeline here and wait for them to finish')
      .option('--timeout <seconds>', 'with --wait: give up after this long', '600'),
  ).action(async (ids: string[], opts: RetryOptions) => {
    if (ids.length === 0 && !opts.failed) throw new TingjianError('INVALID_REQUEST', 'name the calls to retry, or --failed for every failed call');
    const timeoutS = Number(opts.timeout);
    if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new TingjianError('INVALID_REQUEST', `--timeout must be a positive number of seconds, not "${opts.timeout}"`);
    const config = cliConfig(opts);
    const ctx = await createAppContext(config, commandLogger(config), { workers: opts.wait === true });
    try {
      const targets = [...ids];
      // Every failed call is listed before any is retried: retrying moves calls out of the list.
      let cursor: string | undefined;
      while (opts.failed) {
        const page = await ctx.db.repos.calls.list({ status: 'failed' }, { limit: 500, cursor });
        targets.push(...page.items.map((c) => c.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      const retried: string[] = [];
      for (const id of new Set(targets)) {
        try {
          const call = await retryCall(ctx.db, id, { maxAttempts: config.maxAttempts });
          const stage = Object.entries(call.stages).find(([, s]) => s.status === 'queued')?.[0];
          process.stdout.write(`retrying ${call.externalId ?? call.id} from ${stage}\n`);
          retried.push(id);
        } catch (e) {
          process.stderr.write(`  ✗ ${id}: ${e instanceof TingjianError ? `${e.code}: ${e.message}` : String(e)}\n`);
          process.exitCode = 1;
        }
      }
      if (retried.length === 0) {
        process.stdout.write('nothing to retry\n');
        return;
      }
      ctx.runner?.wake();
      if (opts.wait && (await waitWithProgress(ctx, retried, timeoutS * 1000)) > 0) process.exitCode = 1;
    } finally {
      await ctx.close();
    }
  });
}
