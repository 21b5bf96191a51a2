import type { Database, SearchFilters } from '../src/ports/repositories.js';
import { normalizeText } from '../src/rules/text/normalize-text.js';
import { seededRandom } from '../src/enrich/topics/seeded-random.js';
import { indexTokens, parseQuery } from '../src/search/search-tokens.js';
import { AGENTS, BUSINESS_LINES, callGenerator, RULES, YEAR_MS, type Corpus } from './search-corpus.bench-part.js';

/**
 * Part of bench:search: the query classes (words drawn from the first calls of the corpus by how
 * many of them hold each), the filters each is combined with, and timing the port's search().
 */

/** One page, as the API asks for by default. */
export const PAGE = { limit: 20, offset: 0 };
const START = Date.UTC(2024, 0, 1);

export interface QueryClass {
  name: string;
  /** Very common words are held to 500 ms, the others to 100 ms. */
  common: boolean;
  words: string[];
}

/** Query words drawn from the first calls of the corpus (the same calls the run indexes first), by how many of them hold each. */
export function queryClasses(corpus: Corpus, rand: () => number, n: number, q: number, start: number): QueryClass[] {
  const sample = Math.min(n, 20_000);
  const next = callGenerator(corpus, n, start);
  const df = new Map<string, number>();
  const hanRuns: string[] = [];
  for (let i = 0; i < sample; i++) {
    const c = next(i);
    for (const t of new Set(indexTokens(c.segments))) if (/^\p{Script=Han}{2}$/u.test(t)) df.set(t, (df.get(t) ?? 0) + 1);
    if (i % 20 === 0) for (const s of c.segments) hanRuns.push(...(normalizeText(s).match(/\p{Script=Han}{4,}/gu) ?? []));
  }
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const byDf = [...df].sort((a, b) => b[1] - a[1]);
  const rare = byDf.filter(([, n]) => n >= 2 && n <= 6).map(([t]) => t);
  const common = byDf.slice(0, 12).map(([t]) => t);
  const slice = (len: number) => {
    const runs = hanRuns.filter((r) => r.length >= len);
    const r = pick(runs);
    const at = Math.floor(rand() * (r.length - len + 1));
    return r.slice(at, at + len);
  };
  return [
    { name: '2 chars, rare', common: false, words: Array.from({ length: q }, () => pick(rare)) },
    { name: `2 chars, very common (${common.slice(0, 3).join(' ')} …)`, common: true, words: Array.from({ length: q }, (_, i) => common[i % common.length]!) },
    { name: '4 chars', common: false, words: Array.from({ length: q }, () => slice(4)) },
    { name: 'phrase 6–10 chars', common: false, words: Array.from({ length: q }, () => slice(6 + Math.floor(rand() * 5))) },
  ];
}

export interface FilterKind {
  name: string;
  make: (rand: () => number) => SearchFilters;
  /** The baseline's table has no rule rows. */
  inBaseline?: false;
}

export const FILTERS: FilterKind[] = [
  { name: 'no filter', make: () => ({}) },
  { name: 'agent', make: (rand) => ({ agentId: `A${1000 + Math.floor(rand() * AGENTS)}` }) },
  {
    name: 'business line + 30 days',
    make: (rand) => {
      const from = START + Math.floor(rand() * (YEAR_MS - 30 * 86_400_000));
      return { businessLine: BUSINESS_LINES[Math.floor(rand() * BUSINESS_LINES.length)]!, from, to: from + 30 * 86_400_000 };
    },
  },
  { name: 'rule that hit', make: (rand) => ({ ruleId: RULES[Math.floor(rand() * RULES.length)]! }), inBaseline: false },
];

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export interface Cell {
  query: string;
  filter: string;
  p50: number;
  p95: number;
  p99: number;
  meanTotal: number;
  capped: number;
  target: number;
}

export async function measure(db: Database, classes: QueryClass[], label: string, progress: (line: string) => void): Promise<Cell[]> {
  const cells: Cell[] = [];
  const rand = seededRandom(99);
  // Warm the caches a little, as a server that has been answering does.
  for (const w of classes.flatMap((c) => c.words.slice(0, 3))) await db.repos.search.search({ terms: parseQuery(w) }, {}, PAGE);
  const rows: Array<{ name: string; common: boolean; words: Array<string | null> }> = [...classes, { name: 'filters only', common: false, words: Array.from({ length: classes[0]!.words.length }, () => null) }];
  for (const c of rows) {
    for (const f of FILTERS) {
      if (c.words[0] === null && f.name === 'no filter') continue;
      const times: number[] = [];
      let totals = 0;
      let capped = 0;
      for (const w of c.words) {
        const filters = f.make(rand);
        const t0 = performance.now();
        const r = await db.repos.search.search({ terms: w === null ? [] : parseQuery(w) }, filters, PAGE);
        times.push(performance.now() - t0);
        totals += r.total;
        if (r.totalCapped) capped++;
      }
      times.sort((a, b) => a - b);
      const round = (x: number) => Math.round(x * 10) / 10;
      cells.push({ query: c.name, filter: f.name, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), p99: round(percentile(times, 99)), meanTotal: Math.round(totals / c.words.length), capped, target: c.common ? 500 : 100 });
      progress(`${label}: measured ${c.name} / ${f.name}`);
    }
  }
  return cells;
}

