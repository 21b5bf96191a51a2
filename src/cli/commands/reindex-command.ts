import { Command } from 'commander';
import { reindexCalls } from '../../search/reindex-calls.js';
import { addGlobalOptions, type GlobalOptions } from '../cli-config.js';
import { progressBar } from '../progress-bar.js';
import { addFilterOptions, filterFrom, withApp, type FilterOptions } from './rules-command.js';

/**
 * `tingjian reindex [filters]`: the search documents of stored calls written again — for calls
 * stored before search existed (an upgrade), or to repair the index. New calls need nothing:
 * the pipeline's index stage writes theirs.
 */
export function reindexCommand(): Command {
  return addFilterOptions(
    addGlobalOptions(new Command('reindex').description('write the search documents of stored calls again (calls stored before an upgrade that added search, or an index to repair)')),
  ).action(async (opts: GlobalOptions & FilterOptions) => {
    const filter = filterFrom(opts);
    const n = await withApp(opts, async (ctx) => {
      const bar = progressBar('reindex', await ctx.db.repos.calls.countForReinspection(filter));
      const done = await reindexCalls(ctx.db, { filter, onProgress: (k) => bar.update(k) });
      bar.done();
      return done;
    });
    process.stdout.write(`reindexed ${n} calls\n`);
  });
}
