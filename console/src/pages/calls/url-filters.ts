import type { Query } from '../../api/client';
import type { CallSort } from '../../api/call-list';
import { SEARCH_FILTER_KEYS } from '../../api/call-search';

/**
 * The calls page keeps its whole state in the query string, so a link, a reload or a dashboard
 * drill-down (/calls?rule=general.greeting&from=2025-09-15) shows the same list. The filter names
 * are those of GET /api/v1/calls. A date without a time (YYYY-MM-DD) is a whole day of the browser's
 * calendar, the one the table's times are shown in and the dashboard counts its days in: `from` is
 * its start, `to` includes it (the API's `to` is exclusive, so it gets the next day's start).
 */
export const FILTER_KEYS = ['from', 'to', 'agentId', 'teamId', 'businessLine', 'status', 'minScore', 'maxScore', 'band', 'rule', 'sentiment', 'topic', 'minDurationMs', 'maxDurationMs', 'fatal'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;
export const SEARCH_PAGE_SIZE = 20;
const SORTS: readonly CallSort[] = ['startedAt', 'duration', 'score'];

export interface ListView {
  filters: Filters;
  /** Search words; non-empty switches the page to search results. */
  q: string;
  sort: CallSort;
  order: 'asc' | 'desc';
  /** 1-based. */
  page: number;
  pageSize: number;
}

const positiveInt = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

export function readView(params: URLSearchParams): ListView {
  const filters: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v) filters[k] = v;
  }
  const sort = params.get('sort') as CallSort | null;
  const size = positiveInt(params.get('size'), DEFAULT_PAGE_SIZE);
  return {
    filters,
    q: params.get('q')?.trim() ?? '',
    sort: sort && SORTS.includes(sort) ? sort : 'startedAt',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    page: positiveInt(params.get('page'), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

/** The query string of a view; defaults are left out so links stay short. */
export function writeView(v: ListView): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (v.filters[k]) p.set(k, v.filters[k]!);
  if (v.q) p.set('q', v.q);
  if (v.sort !== 'startedAt' || v.order !== 'desc') {
    p.set('sort', v.sort);
    p.set('order', v.order);
  }
  if (v.page > 1) p.set('page', String(v.page));
  if (v.pageSize !== DEFAULT_PAGE_SIZE) p.set('size', String(v.pageSize));
  return p;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A filter time as the API takes it: whole days become the instants their local days start (see
 * above; a time without an offset would be read in the server's default offset); others pass.
 */
export function apiTime(v: string, end: 'from' | 'to'): string {
  const m = DATE_ONLY.exec(v);
  if (!m) return v;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (end === 'to' ? 1 : 0)).toISOString();
}

function apiFilters(f: Filters, keys: readonly string[]): Query {
  const q: Query = {};
  for (const [k, v] of Object.entries(f)) {
    if (!keys.includes(k) || !v) continue;
    q[k] = k === 'from' || k === 'to' ? apiTime(v, k) : v;
  }
  return q;
}

/** GET /api/v1/calls query of a view. */
export function listQuery(v: ListView): Query {
  return { ...apiFilters(v.filters, FILTER_KEYS), sort: v.sort, order: v.order, limit: v.pageSize, offset: (v.page - 1) * v.pageSize };
}

// Checked by the type: every filter of the list is one search takes (a new one must be added to both).
const searchTakesEveryFilter: ReadonlyArray<(typeof SEARCH_FILTER_KEYS)[number]> = FILTER_KEYS;

/** GET /api/v1/search query of a view: the same filters as the list (search takes every one). */
export function searchQuery(v: ListView): Query {
  return { q: v.q, ...apiFilters(v.filters, searchTakesEveryFilter), limit: SEARCH_PAGE_SIZE, offset: (v.page - 1) * SEARCH_PAGE_SIZE };
}

/** What a saved filter keeps: the filters, search words and sort, not the page. */
export function savedQuery(v: ListView): Record<string, string> {
  return Object.fromEntries(writeView({ ...v, page: 1, pageSize: DEFAULT_PAGE_SIZE }).entries());
}

export const hasFilters = (v: ListView) => v.q !== '' || Object.keys(v.filters).length > 0;
