/**
 * How fast the web console is over many stored calls (`npm run bench:console`).
 *
 * Targets (issue: the QA workbench), on this machine, from the browser's performance timing:
 * - with 10,000 calls stored, the calls page's first load under 1.5 s: navigation start → the
 *   table's first page of rows on screen (a fresh browser context: nothing cached, signed in);
 * - the detail of a 12-minute call interactive under 1 s: navigation start → transcript (~300
 *   sentences), waveform and scorecard on screen; then a click on a sentence seeks the player
 *   (reported: click → the audio element at the sentence's time).
 * Baseline in the same run: the same pages over a small database (--baseline-calls, 100), so the
 * ratio shows what 10,000 calls cost. The real server (SQLite, every route's authorisation and
 * audit write), the production build of the console, Debian's chromium through playwright-core.
 * The datasets go through the real pipeline once and are kept in bench/.work/ (see
 * console-data.bench-part.ts). Flags: --calls N (10000), --baseline-calls N (100), --rounds K (5),
 * --json.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { createAppContext } from '../src/app/app-context.js';
import { createLogger } from '../src/app/logger.js';
import { renderTable } from '../src/cli/text-table.js';
import { loadConfig } from '../src/config/config.js';
import { buildServer } from '../src/http/build-server.js';
import { CHROMIUM, CHROMIUM_INSTALL, openBrowser, type InPage } from '../test/support/console-browser.js';
import { consoleDataset, type ConsoleDataset } from './console-data.bench-part.js';
import { sentencePools } from './support/jddc-calls.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000' },
    'baseline-calls': { type: 'string', default: '100' },
    rounds: { type: 'string', default: '5' },
    jddc: { type: 'string', default: path.join(ROOT, '../shared/data/csds_jddc/test_key_utterances.txt') },
    json: { type: 'boolean', default: false },
  },
});

const BENCH_USER = { username: 'bench-manager', password: 'bench-Console-pass-42' };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Sample {
  ready: number;
  html: number;
  api: number;
  extra?: number;
}

interface Served {
  url: string;
  cookie: string;
  dataset: ConsoleDataset;
  close: () => Promise<void>;
}

async function serve(dataset: ConsoleDataset): Promise<Served> {
  const config = loadConfig({ env: {}, overrides: { dataDir: dataset.dataDir, logLevel: 'silent', retentionPurgeIntervalMinutes: 0 } });
  const ctx = await createAppContext(config, createLogger('silent'), { workers: false });
  if (!(await ctx.db.repos.accounts.findByUsername(BENCH_USER.username))) await ctx.accounts.createAccount({ username: BENCH_USER.username, role: 'qa_manager', password: BENCH_USER.password });
  const app = await buildServer(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  const url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BENCH_USER) });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  return {
    url,
    cookie,
    dataset,
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

/** A fresh context (empty cache) with the session cookie: a signed-in user opening the page. */
async function freshPage(browser: Browser, s: Served) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const [name, value] = s.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: s.url }]);
  return { context, page: await context.newPage() };
}

interface TimingEntry {
  name: string;
  duration: number;
  responseEnd: number;
}

/** In the page: when the HTML arrived, and how long the request to exactly this API path took. */
const timing = (page: Page, apiPath: string) =>
  page.evaluate((path) => {
    const perf = (globalThis as unknown as { performance: { getEntriesByType(t: string): TimingEntry[] } }).performance;
    const nav = perf.getEntriesByType('navigation')[0];
    const api = perf.getEntriesByType('resource').filter((r) => new URL(r.name).pathname === path);
    return { html: nav ? nav.responseEnd : 0, api: api.length ? Math.max(...api.map((r) => r.duration)) : 0 };
  }, apiPath);

async function callsPage(browser: Browser, s: Served): Promise<Sample> {
  const { context, page } = await freshPage(browser, s);
  try {
    const rows = Math.min(50, s.dataset.calls);
    await page.goto(`${s.url}/calls`);
    const ready = await (
      await page.waitForFunction(
        (n) => {
          const g = globalThis as unknown as InPage;
          return g.document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length >= n ? g.performance.now() : false;
        },
        rows,
        { polling: 'raf', timeout: 30_000 },
      )
    ).jsonValue();
    const t = await timing(page, '/api/v1/calls');
    return { ready: Number(ready), ...t };
  } finally {
    await context.close();
  }
}

async function detailPage(browser: Browser, s: Served): Promise<Sample> {
  const { context, page } = await freshPage(browser, s);
  try {
    await page.goto(`${s.url}/calls/${s.dataset.longCallId}`);
    const ready = await (
      await page.waitForFunction(
        (n) => {
          const g = globalThis as unknown as InPage;
          const d = g.document;
          return d.querySelectorAll('[data-testid^="segment-"]').length >= n && d.querySelector('[data-testid="waveform"][data-ready="true"]') && d.querySelector('[data-testid="scorecard"]') ? g.performance.now() : false;
        },
        s.dataset.longCallSegments,
        { polling: 'raf', timeout: 30_000 },
      )
    ).jsonValue();
    const t = await timing(page, `/api/v1/calls/${s.dataset.longCallId}`);
    // Responsiveness once ready: click a sentence near the end, time until the player is there.
    const target = page.getByTestId(`segment-${s.dataset.longCallSegments - 5}`);
    await target.scrollIntoViewIfNeeded();
    const startMs = Number(await target.getAttribute('data-start-ms'));
    const clickAt = await page.evaluate(() => (globalThis as unknown as InPage).performance.now());
    await target.click();
    const seeked = await (
      await page.waitForFunction(
        (ms) => {
          const g = globalThis as unknown as InPage;
          const a = g.document.querySelector('audio');
          return a && Math.abs((a.currentTime ?? 0) * 1000 - ms) < 300 ? g.performance.now() : false;
        },
        startMs,
        { polling: 'raf', timeout: 10_000 },
      )
    ).jsonValue();
    return { ready: Number(ready), ...t, extra: Number(seeked) - clickAt };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium is not installed (${CHROMIUM}): ${CHROMIUM_INSTALL}`);
  if (!existsSync(path.join(ROOT, 'dist/console/index.html'))) throw new Error('the console is not built: npm run build:console');
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const pools = sentencePools(args.jddc, ROOT);
  const big = await consoleDataset(ROOT, Number(args.calls), pools, log);
  const small = await consoleDataset(ROOT, Number(args['baseline-calls']), pools, log);
  const browser = await openBrowser();
  const servers = [await serve(small), await serve(big)];
  const results = new Map<string, Sample[]>();
  const add = (k: string, v: Sample) => results.set(k, [...(results.get(k) ?? []), v]);
  try {
    // Warm-up (the server's first queries, chromium's first launch), then interleaved rounds.
    for (const s of servers) {
      await callsPage(browser, s);
      await detailPage(browser, s);
    }
    const rounds = Number(args.rounds);
    for (let r = 0; r < rounds; r++) {
      for (const s of servers) {
        add(`calls:${s.dataset.calls}`, await callsPage(browser, s));
        add(`detail:${s.dataset.calls}`, await detailPage(browser, s));
      }
      log(`round ${r + 1}/${rounds}`);
    }
  } finally {
    await browser.close();
    for (const s of servers) await s.close();
  }
  const [sm, bg] = servers.map((s) => s.dataset.calls) as [number, number];
  const stat = (k: string, f: (x: Sample) => number) => median((results.get(k) ?? []).map(f));
  const rows = [
    { page: 'calls page first load (ms)', key: 'calls', target: 1500, f: (x: Sample) => x.ready },
    { page: '  of which GET /api/v1/calls', key: 'calls', target: null, f: (x: Sample) => x.api },
    { page: '12-min call detail interactive (ms)', key: 'detail', target: 1000, f: (x: Sample) => x.ready },
    { page: '  of which GET /api/v1/calls/:id', key: 'detail', target: null, f: (x: Sample) => x.api },
    { page: '  click a sentence → player there (ms)', key: 'detail', target: null, f: (x: Sample) => x.extra ?? 0 },
  ].map((r) => {
    const base = stat(`${r.key}:${sm}`, r.f);
    const val = stat(`${r.key}:${bg}`, r.f);
    const worst = Math.max(...(results.get(`${r.key}:${bg}`) ?? []).map(r.f));
    return { ...r, base, val, worst, ratio: base > 0 ? val / base : 0, met: r.target === null ? null : worst < r.target };
  });
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ baselineCalls: sm, calls: bg, rows: rows.map(({ f: _f, ...r }) => r) }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `\nconsole over ${bg.toLocaleString('en')} stored calls vs ${sm} (baseline), medians of ${args.rounds} fresh page loads each, 1280×800, chromium headless\n\n` +
      renderTable(
        ['', `${sm} calls`, `${bg.toLocaleString('en')} calls`, 'worst', 'ratio', 'target'],
        rows.map((r) => [r.page, r.base.toFixed(0), r.val.toFixed(0), r.worst.toFixed(0), `×${r.ratio.toFixed(2)}`, r.target === null ? '' : `< ${r.target} ${r.met ? 'met' : 'NOT met'}`]),
      ) +
      '\n',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
