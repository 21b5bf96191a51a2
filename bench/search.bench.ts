/**
 * Full-text search over transcripts (`npm run bench:search`).
 *
 * Targets (issue 检索): over 1,000,000 calls, p95 ≤ 100 ms for selective queries and ≤ 500 ms for
 * very common words (totals capped), on SQLite (FTS5) and PostgreSQL (tsvector + GIN).
 *
 * A generated corpus (./search-corpus.bench-part.ts: ~20 utterances a call from JDDC clauses,
 * random agents, business lines, times over a year, scores, rules, topics) is bulk-loaded through
 * the SearchIndex port's upsertMany, into a temp SQLite file and a throwaway PostgreSQL cluster
 * (test/support/postgres.ts: initdb here, or a fresh database on TINGJIAN_BENCH_PG_URL /
 * TINGJIAN_TEST_PG_URL; skipped with a message when there is none). Printed: index build time
 * and size, then p50/p95/p99 latency of the port's search() (one page of 20 and the capped
 * total; the API then reads those 20 transcripts for snippets) per query class — two characters
 * rare and very common, four characters, a phrase of 6–10 — each alone, with an agent, with a
 * business line + 30 days, and with a rule that hit (rules hit from ~20% of calls to ~0.3%); and
 * filters alone.
 *
 * Baseline, in the same run: LIKE '%…%' over the same normalised text (a table of the first
 * --baseline-calls calls: a scan of all 1,000,000 would take minutes per database), the same
 * filters, newest first, up to the cap. Its times are measured on that subset and extrapolated
 * linearly to --calls (a LIKE finds rare words only by reading every row), and said so.
 *
 * Flags: --calls N (1000000), --db sqlite,postgres, --queries Q per cell (30), --baseline-calls
 * (100000), --batch (2000 calls per upsertMany), --jddc <file>, --json, --keep (leave the
 * databases, print where: to look at plans; remove them yourself). Progress goes to stderr.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/adapters/db/open-database.js';
import { renderTable } from '../src/cli/text-table.js';
import type { Database } from '../src/ports/repositories.js';
import { normalizeText } from '../src/rules/text/normalize-text.js';
import { indexTokens } from '../src/search/search-tokens.js';
import { postgresAvailable, startThrowawayPostgres } from '../test/support/postgres.js';
import { tempDir } from '../test/support/factories.js';
import { seededRandom } from '../src/enrich/topics/seeded-random.js';
import { callGenerator, loadCorpus, type BenchCall, type Corpus } from './search-corpus.bench-part.js';
import { FILTERS, measure, PAGE, percentile, queryClasses, type Cell, type QueryClass } from './search-queries.bench-part.js';
import { rawConnection, type RawConnection } from './search-raw.bench-part.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000000' },
    db: { type: 'string', default: 'sqlite,postgres' },
    queries: { type: 'string', default: '30' },
    'baseline-calls': { type: 'string', default: '100000' },
    batch: { type: 'string', default: '2000' },
    jddc: { type: 'string', default: path.join(ROOT, '../shared/data/csds_jddc/test_key_utterances.txt') },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.calls);
const Q = Number(args.queries);
const BASELINE = Math.min(N, Number(args['baseline-calls']));
const BATCH = Number(args.batch);
const START = Date.UTC(2024, 0, 1);
/**
 * The throwaway cluster set up as a server of this size would be (the defaults are for a small
 * machine: 128 MB of shared buffers would hold 3% of the index): a quarter of memory, at most 4 GB,
 * for shared buffers, planner costs for an SSD.
 */
const PG_SETTINGS = {
  shared_buffers: `${Math.min(4096, Math.floor(os.totalmem() / 4 / 1024 / 1024))}MB`,
  effective_cache_size: `${Math.floor(os.totalmem() / 2 / 1024 / 1024)}MB`,
  work_mem: '32MB',
  random_page_cost: '1.1',
};

const progress = (line: string) => process.stderr.write(`\r${line.padEnd(100)}`);
const fmt = (n: number) => n.toLocaleString('en-US');
const mb = (bytes: number) => `${fmt(Math.round(bytes / 1024 / 1024))} MB`;

// ---------------------------------------------------------------------------------------------
// loading

interface LoadReport {
  calls: number;
  /** Seconds: tokenising the transcripts, and upsertMany (the database's part). */
  tokenizeS: number;
  upsertS: number;
  callsRowsS: number;
  sizes: Array<[string, number]>;
}

async function load(db: Database, raw: RawConnection, corpus: Corpus, label: string): Promise<LoadReport> {
  const next = callGenerator(corpus, N, START);
  let tokenize = 0;
  let upsert = 0;
  let callsRows = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    const batch: BenchCall[] = [];
    for (let k = i; k < Math.min(N, i + BATCH); k++) batch.push(next(k));
    let t = performance.now();
    await raw.insertCalls(batch);
    callsRows += performance.now() - t;
    t = performance.now();
    for (const c of batch) c.doc.tokens = indexTokens(c.segments);
    tokenize += performance.now() - t;
    t = performance.now();
    await db.repos.search.upsertMany(batch.map((c) => c.doc));
    upsert += performance.now() - t;
    const done = Math.min(N, i + BATCH);
    const rate = done / ((performance.now() - t0) / 1000);
    progress(`${label}: ${fmt(done)} / ${fmt(N)} calls indexed (${fmt(Math.round(rate))} calls/s, about ${Math.round((N - done) / rate)} s left)`);
  }
  await raw.afterLoad();
  return { calls: N, tokenizeS: Math.round(tokenize / 100) / 10, upsertS: Math.round(upsert / 100) / 10, callsRowsS: Math.round(callsRows / 100) / 10, sizes: await raw.sizes() };
}

// ---------------------------------------------------------------------------------------------
// baseline

interface BaselineCell {
  query: string;
  filter: string;
  p50: number;
  p95: number;
  extrapolatedP50: number;
  extrapolatedP95: number;
}

async function baseline(raw: RawConnection, corpus: Corpus, classes: QueryClass[], label: string): Promise<BaselineCell[]> {
  const next = callGenerator(corpus, N, START);
  await raw.createLikeTable();
  for (let i = 0; i < BASELINE; i += BATCH) {
    const batch: BenchCall[] = [];
    for (let k = i; k < Math.min(BASELINE, i + BATCH); k++) batch.push(next(k));
    await raw.insertLikeRows(batch.map((c) => ({ docId: k0(c), at: c.at, agentId: c.agentId, businessLine: c.businessLine, text: c.segments.map(normalizeText).join('\n') })));
    progress(`${label}: baseline table ${fmt(Math.min(BASELINE, i + BATCH))} / ${fmt(BASELINE)} calls`);
  }
  const rand = seededRandom(7);
  const out: BaselineCell[] = [];
  const scale = N / BASELINE;
  for (const c of classes) {
    for (const f of FILTERS.filter((x) => x.inBaseline !== false)) {
      const times: number[] = [];
      // A third of the cell's words: each is a scan.
      for (const w of c.words.slice(0, Math.max(3, Math.ceil(c.words.length / 3)))) {
        const filters = f.make(rand);
        const t0 = performance.now();
        await raw.likeSearch(normalizeText(w), filters);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      const p95 = percentile(times, 95);
      out.push({ query: c.name, filter: f.name, p50: Math.round(p50), p95: Math.round(p95), extrapolatedP50: Math.round(p50 * scale), extrapolatedP95: Math.round(p95 * scale) });
      progress(`${label}: baseline ${c.name} / ${f.name}`);
    }
  }
  await raw.dropLikeTable();
  return out;
}

/** The baseline table's key: the call's number, so "newest first" is the same order as the index's. */
const k0 = (c: BenchCall) => Number(c.id.slice('bench-'.length));

// ---------------------------------------------------------------------------------------------

interface Report {
  database: string;
  settings: string;
  load: LoadReport;
  cells: Cell[];
  baseline: BaselineCell[];
}

async function runOn(kind: 'sqlite' | 'postgres', corpus: Corpus, classes: QueryClass[]): Promise<Report | string> {
  let url: string;
  let stop: () => Promise<void>;
  if (kind === 'sqlite') {
    const tmp = tempDir('tingjian-bench-search-');
    url = `sqlite:${path.join(tmp.dir, 'bench.db')}`;
    stop = async () => tmp.cleanup();
  } else {
    if (process.env.TINGJIAN_BENCH_PG_URL) process.env.TINGJIAN_TEST_PG_URL = process.env.TINGJIAN_BENCH_PG_URL;
    if (!postgresAvailable()) return 'PostgreSQL skipped: no initdb on this machine and no TINGJIAN_BENCH_PG_URL (apt-get install -y postgresql, or point TINGJIAN_BENCH_PG_URL at a server)';
    const pg = await startThrowawayPostgres({ settings: PG_SETTINGS });
    url = pg.url;
    stop = () => pg.stop();
  }
  const db = await openDatabase(url);
  await db.migrate();
  const raw = await rawConnection(kind, url);
  try {
    const settings = kind === 'sqlite' ? 'defaults (WAL, synchronous=NORMAL, as open-database.ts opens it)' : process.env.TINGJIAN_TEST_PG_URL ? 'the server’s own' : Object.entries(PG_SETTINGS).map(([k, v]) => `${k}=${v}`).join(', ');
    const loaded = await load(db, raw, corpus, kind);
    const cells = await measure(db, classes, kind, progress);
    const base = await baseline(raw, corpus, classes, kind);
    return { database: kind === 'sqlite' ? `SQLite ${raw.version} (FTS5)` : `PostgreSQL ${raw.version} (tsvector + GIN)`, settings, load: loaded, cells, baseline: base };
  } finally {
    await raw.close();
    await db.close();
    if (args.keep) process.stderr.write(`\n${kind}: kept for a look at it: ${url}\n`);
    else await stop();
  }
}

function render(r: Report): string {
  const l = r.load;
  const lines = [
    `## ${r.database}; settings: ${r.settings}`,
    `${fmt(l.calls)} calls: index build ${Math.round(l.tokenizeS + l.upsertS)} s (tokenising ${l.tokenizeS} s, upsertMany ${l.upsertS} s, ${fmt(Math.round(l.calls / (l.tokenizeS + l.upsertS)))} calls/s); the calls rows themselves ${l.callsRowsS} s, not counted`,
    renderTable(['size', ''], l.sizes.map(([k, v]) => [k, mb(v)])),
    '',
    renderTable(
      ['query', 'filter', 'p50 ms', 'p95 ms', 'p99 ms', 'target p95', 'mean total', 'capped'],
      r.cells.map((c) => [c.query, c.filter, String(c.p50), String(c.p95), String(c.p99), `${c.p95 <= c.target ? '✓' : '✗'} ≤ ${c.target}`, fmt(c.meanTotal), `${c.capped}/${Q}`]),
    ),
    '',
    `baseline: LIKE '%…%' over the same text, measured on the first ${fmt(BASELINE)} calls${BASELINE < N ? `, extrapolated ×${Math.round(N / BASELINE)} to ${fmt(N)}` : ''}`,
    renderTable(
      ['query', 'filter', `p50 ms (${fmt(BASELINE)})`, `p95 ms (${fmt(BASELINE)})`, `p50 ms (${fmt(N)}, extrapolated)`, `p95 ms (${fmt(N)}, extrapolated)`],
      r.baseline.map((b) => [b.query, b.filter, fmt(b.p50), fmt(b.p95), fmt(b.extrapolatedP50), fmt(b.extrapolatedP95)]),
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const corpus = loadCorpus(args.jddc, ROOT);
  const classes = queryClasses(corpus, seededRandom(42), N, Q, START);
  const header = `bench:search — ${fmt(N)} calls from ${corpus.source}; ${Q} queries a cell, page of ${PAGE.limit}; ${os.cpus().length} CPUs, node ${process.version}`;
  const reports: Array<Report | string> = [];
  for (const kind of args.db.split(',') as Array<'sqlite' | 'postgres'>) reports.push(await runOn(kind, corpus, classes));
  process.stderr.write('\n');
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ header, reports }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${header}\n\n${reports.map((r) => (typeof r === 'string' ? r : render(r))).join('\n\n')}\n`);
}

await main();
