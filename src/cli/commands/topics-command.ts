import { Command } from 'commander';
import { TingjianError } from '../../domain/errors.js';
import { discoverStoredTopics, type StoredTopicsReport } from '../../insights/discover-stored-topics.js';
import { addGlobalOptions, type GlobalOptions } from '../cli-config.js';
import { progressBar } from '../progress-bar.js';
import { renderTable } from '../text-table.js';
import { addFilterOptions, filterFrom, positiveInt, withApp, type FilterOptions } from './rules-command.js';

interface DiscoverOptions extends GlobalOptions, FilterOptions {
  period?: string;
  k?: string;
  limit?: string;
  json?: boolean;
}

/** Clusters as a table: keywords, calls, coverage by the taxonomy, the latest periods' counts, an example. */
export function renderTopics(r: StoredTopicsReport): string {
  if (!r.topics.length) return `${r.calls} calls read, ${r.callsWithCustomerSpeech} with customer speech: no topic found (too few calls or sentences)`;
  const rows = r.topics.map((t) => [
    t.id,
    t.keywords.slice(0, 5).join(' '),
    String(t.size),
    t.emerging ? 'emerging' : (t.taxonomyTopic ?? ''),
    t.counts
      .slice(-4)
      .map((c) => `${c.period.slice(5)}:${c.calls}`)
      .join(' '),
    (t.examples[0] ?? '').slice(0, 30),
  ]);
  return `${r.calls} calls read, ${r.callsWithCustomerSpeech} with customer speech, ${r.topics.length} topics (${r.topics.filter((t) => t.emerging).length} emerging)\n${renderTable(['topic', 'keywords', 'calls', 'taxonomy', 'latest periods', 'example'], rows)}`;
}

function discoverCommand(): Command {
  return addFilterOptions(
    addGlobalOptions(
      new Command('discover')
        .description('find topics nobody labelled in stored calls: clusters of customer sentences with their keywords and examples, counted per day or week; `emerging` where the taxonomy has no topic for them')
        .option('--period <unit>', 'day or week', 'day')
        .option('--k <n>', 'clusters to form (default √(sentences / 5))')
        .option('--limit <n>', 'calls to read at most (default 5000)')
        .option('--json', 'print the clusters as JSON'),
    ),
  ).action(async (opts: DiscoverOptions) => {
    if (opts.period !== 'day' && opts.period !== 'week') throw new TingjianError('INVALID_REQUEST', `--period must be day or week, not "${opts.period}"`);
    const period = opts.period;
    const limit = opts.limit ? positiveInt('--limit', opts.limit) : 5000;
    const k = opts.k ? positiveInt('--k', opts.k) : undefined;
    const report = await withApp(opts, async (ctx) => {
      const filter = filterFrom(opts);
      const bar = opts.json ? null : progressBar('reading calls', Math.min(limit, await ctx.db.repos.calls.countForReinspection(filter)));
      const r = await discoverStoredTopics(ctx.db, ctx.media.text(), { filter, limit, period, k, utcOffset: ctx.config.defaultUtcOffset, onProgress: (n) => bar?.update(n) });
      bar?.done();
      return r;
    });
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderTopics(report)}\n`);
  });
}

function listCommand(): Command {
  return addGlobalOptions(new Command('list').description('the topic taxonomy the enrich stage assigns (TINGJIAN_TOPIC_TAXONOMY or templates/topics/default.yaml)')).action(async (opts: GlobalOptions) => {
    const rows = await withApp(opts, async (ctx) => ctx.media.text().taxonomy.topics.map((t) => [t.id, t.name, String(t.keywords.length), t.description ?? '']));
    process.stdout.write(`${renderTable(['topic', 'name', 'keywords', 'description'], rows)}\n`);
  });
}

export function topicsCommand(): Command {
  return new Command('topics').description('topics: the taxonomy, and discovery of new ones in stored calls').addCommand(listCommand()).addCommand(discoverCommand());
}
