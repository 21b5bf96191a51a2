import { Command } from 'commander';
import { TingjianError } from '../../domain/errors.js';
import { SEARCH_TOTAL_CAP, type SearchFilters } from '../../ports/repositories.js';
import { SearchService, type SearchResponse } from '../../search/search-service.js';
import { addGlobalOptions, type GlobalOptions } from '../cli-config.js';
import { renderTable } from '../text-table.js';
import { addFilterOptions, filterFrom, highlight, withApp, type FilterOptions } from './rules-command.js';

interface SearchOptions extends GlobalOptions, FilterOptions {
  rule?: string;
  topic?: string;
  minScore?: string;
  maxScore?: string;
  sentiment?: string;
  limit: string;
  offset: string;
  json?: boolean;
}

function numberFlag(flag: string, v: string, min: number, max: number, integer = false): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new TingjianError('INVALID_REQUEST', `${flag} must be a ${integer ? 'whole ' : ''}number from ${min} to ${max}, not "${v}"`);
  }
  return n;
}

/** The command's flags as search filters (the calls filter of the other commands, and the analysis' ones). */
function searchFilters(opts: SearchOptions): SearchFilters {
  const f: SearchFilters = filterFrom(opts);
  if (opts.rule) f.ruleId = opts.rule;
  if (opts.topic) f.topic = opts.topic;
  if (opts.minScore !== undefined) f.minScore = numberFlag('--min-score', opts.minScore, 0, 100);
  if (opts.maxScore !== undefined) f.maxScore = numberFlag('--max-score', opts.maxScore, 0, 100);
  if (opts.sentiment !== undefined) {
    if (opts.sentiment === 'positive' || opts.sentiment === 'neutral' || opts.sentiment === 'negative') f.sentiment = opts.sentiment;
    else f.maxSentiment = numberFlag('--sentiment', opts.sentiment, -1, 1);
  }
  return f;
}

/** 83500 → 1:23.5 */
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${((ms % 60_000) / 1000).toFixed(1).padStart(4, '0')}`;
const SPEAKER = { agent: '客服', customer: '客户', unknown: '？' } as const;

export function renderSearch(r: SearchResponse, offset: number): string {
  const count = r.totalCapped ? `more than ${SEARCH_TOTAL_CAP}` : String(r.total);
  if (r.items.length === 0) return r.total > 0 ? `no calls on this page (${count} match)` : 'no calls found';
  const rows: string[][] = [];
  for (const i of r.items) {
    const call = [new Date(i.at).toISOString().replace('T', ' ').slice(0, 19), i.externalId ?? i.callId, i.agentId ?? '', i.businessLine ?? '', i.scorePercent === null ? '' : String(i.scorePercent)];
    if (i.snippets.length === 0) rows.push([...call, '', '']);
    i.snippets.forEach((s, n) => rows.push([...(n === 0 ? call : call.map(() => '')), clock(s.startMs), `${SPEAKER[s.speaker]}：${highlight(s.text, s.highlights)}`]));
    if (i.matchedSegments > i.snippets.length) rows.push([...call.map(() => ''), '', `… ${i.matchedSegments - i.snippets.length} more sentences`]);
  }
  const shown = `${offset + 1}–${offset + r.items.length}`;
  return `${renderTable(['time (UTC)', 'call', 'agent', 'business line', 'score', 'at', 'sentence'], rows)}\ncalls ${shown} of ${count}${r.terms.length ? `; words: ${r.terms.join(' ')}` : ''}`;
}

/**
 * `tingjian search <words> [filters]`: calls by what was said, newest first, each with the
 * sentences that say it (【】 marks the words) and where they are in the audio; the same service
 * as GET /api/v1/search.
 */
export function searchCommand(): Command {
  return addFilterOptions(
    addGlobalOptions(
      new Command('search')
        .description('find calls by what was said (Chinese: 2+ characters a word, traditional or simplified; several words: all of them), with filters')
        .argument('[words...]', 'words to find; none: list calls by the filters alone')
        .option('--rule <id>', 'only calls where this rule (module.rule) hit in the latest inspection')
        .option('--topic <id>', 'only calls with this topic, e.g. logistics-delay')
        .option('--min-score <n>', 'latest inspection score percent at least')
        .option('--max-score <n>', 'latest inspection score percent at most')
        .option('--sentiment <label|n>', "the customer's sentiment: positive, neutral, negative, or at most a number -1..1")
        .option('--limit <n>', 'calls per page (1–100)', '20')
        .option('--offset <n>', `skip this many calls (at most ${SEARCH_TOTAL_CAP})`, '0')
        .option('--json', 'print the result as JSON (the API response)'),
    ),
  ).action(async (words: string[], opts: SearchOptions) => {
    const limit = numberFlag('--limit', opts.limit, 1, 100, true);
    const offset = numberFlag('--offset', opts.offset, 0, SEARCH_TOTAL_CAP, true);
    const filters = searchFilters(opts);
    const r = await withApp(opts, (ctx) => new SearchService(ctx.db).search({ q: words.join(' '), filters, limit, offset }));
    process.stdout.write(opts.json ? `${JSON.stringify({ ...r, items: r.items.map((i) => ({ ...i, at: new Date(i.at).toISOString() })), limit, offset }, null, 2)}\n` : `${renderSearch(r, offset)}\n`);
  });
}
