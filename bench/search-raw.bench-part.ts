import { statSync } from 'node:fs';
import type { SearchFilters } from '../src/ports/repositories.js';
import type { BenchCall } from './search-corpus.bench-part.js';

/**
 * Part of bench:search: what the bench does beside the SearchIndex port, over a connection of its
 * own: the calls rows the documents need (bulk, not timed as index build), statistics after the
 * load, sizes, and the LIKE baseline's table and queries.
 */
export interface RawConnection {
  version: string;
  insertCalls(calls: BenchCall[]): Promise<void>;
  /** What a database does after a bulk load: a WAL checkpoint (SQLite), ANALYZE (PostgreSQL). */
  afterLoad(): Promise<void>;
  sizes(): Promise<Array<[string, number]>>;
  createLikeTable(): Promise<void>;
  insertLikeRows(rows: LikeRow[]): Promise<void>;
  /** Doc ids whose text holds the word, with the filters, newest first, up to the cap + 1. */
  likeSearch(word: string, f: SearchFilters): Promise<number>;
  dropLikeTable(): Promise<void>;
  close(): Promise<void>;
}

export interface LikeRow {
  docId: number;
  at: number;
  agentId: string;
  businessLine: string;
  text: string;
}

const CAP = 1001;
const likePattern = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The filters the bench uses, as SQL with positional parameters from `first`. */
function likeFilters(f: SearchFilters, param: (i: number) => string, first: number): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (cond: (p: string) => string, v: unknown) => {
    params.push(v);
    parts.push(cond(param(first + params.length - 1)));
  };
  if (f.agentId !== undefined) add((p) => `agent_id = ${p}`, f.agentId);
  if (f.businessLine !== undefined) add((p) => `business_line = ${p}`, f.businessLine);
  if (f.from !== undefined) add((p) => `at >= ${p}`, f.from);
  if (f.to !== undefined) add((p) => `at < ${p}`, f.to);
  return { sql: parts.map((p) => ` and ${p}`).join(''), params };
}

export async function rawConnection(kind: 'sqlite' | 'postgres', url: string): Promise<RawConnection> {
  return kind === 'sqlite' ? sqliteConnection(url.slice('sqlite:'.length)) : postgresConnection(url);
}

async function sqliteConnection(file: string): Promise<RawConnection> {
  const { default: SQLite } = await import('better-sqlite3');
  const conn = new SQLite(file);
  conn.pragma('busy_timeout = 15000');
  const insertCall = conn.prepare(
    `insert into calls (id, channel, direction, started_at, occurred_at, duration_ms, agent_id, team_id, business_line, customer_tags, language, extra, status, stages, created_at, updated_at)
     values (?, 'phone', 'inbound', ?, ?, 360000, ?, ?, ?, '[]', 'zh-CN', '{}', 'done', '{}', ?, ?)`,
  );
  const insertCalls = conn.transaction((calls: BenchCall[]) => {
    for (const c of calls) insertCall.run(c.id, c.at, c.at, c.agentId, c.teamId, c.businessLine, c.at, c.at);
  });
  const version = (conn.prepare('select sqlite_version() as v').get() as { v: string }).v;
  return {
    version,
    insertCalls: async (calls) => insertCalls(calls),
    afterLoad: async () => {
      conn.pragma('wal_checkpoint(TRUNCATE)');
    },
    async sizes() {
      const out: Array<[string, number]> = [['file (all tables)', statSync(file).size]];
      try {
        const rows = conn.prepare('select name, sum(pgsize) as bytes from dbstat group by name').all() as Array<{ name: string; bytes: number }>;
        const sum = (test: (n: string) => boolean) => rows.filter((r) => test(r.name)).reduce((n, r) => n + r.bytes, 0);
        out.push(['FTS5 index (search_fts)', sum((n) => n.startsWith('search_fts'))]);
        out.push(['search_docs and its indexes', sum((n) => n === 'search_docs' || n.startsWith('search_docs_') || n === 'sqlite_autoindex_search_docs_1')]);
        out.push(['rule and topic rows', sum((n) => n.startsWith('search_doc_rules') || n.startsWith('search_doc_topics') || n.startsWith('sqlite_autoindex_search_doc_'))]);
        out.push(['calls (the bench’s minimal rows)', sum((n) => n === 'calls' || n.startsWith('calls_') || n.startsWith('sqlite_autoindex_calls'))]);
      } catch {
        out.push(['(no dbstat in this SQLite build: no breakdown)', 0]);
      }
      return out;
    },
    createLikeTable: async () => {
      conn.exec('create table bench_like (doc_id integer primary key, at integer not null, agent_id text, business_line text, text text not null)');
    },
    insertLikeRows: async (rows) => {
      const st = conn.prepare('insert into bench_like values (?, ?, ?, ?, ?)');
      conn.transaction(() => {
        for (const r of rows) st.run(r.docId, r.at, r.agentId, r.businessLine, r.text);
      })();
    },
    likeSearch: async (word, f) => {
      const filters = likeFilters(f, () => '?', 0);
      const rows = conn.prepare(`select doc_id from bench_like where text like ? escape '\\'${filters.sql} order by doc_id desc limit ${CAP}`).all(likePattern(word), ...filters.params);
      return rows.length;
    },
    dropLikeTable: async () => {
      conn.exec('drop table bench_like');
    },
    close: async () => {
      conn.close();
    },
  };
}

async function postgresConnection(url: string): Promise<RawConnection> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const version = ((await client.query('show server_version')).rows[0] as { server_version: string }).server_version;
  const size = async (q: string) => Number(((await client.query(q)).rows[0] as { n: string }).n);
  return {
    version,
    insertCalls: async (calls) => {
      await client.query(
        `insert into calls (id, channel, direction, started_at, occurred_at, duration_ms, agent_id, team_id, business_line, customer_tags, language, extra, status, stages, created_at, updated_at)
         select id, 'phone', 'inbound', at, at, 360000, agent, team, line, '[]', 'zh-CN', '{}', 'done', '{}', at, at
         from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[]) as t(id, at, agent, team, line)`,
        [calls.map((c) => c.id), calls.map((c) => c.at), calls.map((c) => c.agentId), calls.map((c) => c.teamId), calls.map((c) => c.businessLine)],
      );
    },
    afterLoad: async () => {
      await client.query('vacuum analyze search_docs');
      await client.query('analyze');
    },
    async sizes() {
      const gin = await size(`select pg_relation_size('search_docs_tsv') as n`);
      return [
        ['search_docs heap + TOAST (with the tsvector)', await size(`select pg_table_size('search_docs') as n`)],
        ['GIN index on the tsvector', gin],
        ['other indexes of search_docs', (await size(`select pg_indexes_size('search_docs') as n`)) - gin],
        ['rule and topic rows', await size(`select pg_total_relation_size('search_doc_rules') + pg_total_relation_size('search_doc_topics') as n`)],
        ['search in all', await size(`select pg_total_relation_size('search_docs') + pg_total_relation_size('search_doc_rules') + pg_total_relation_size('search_doc_topics') as n`)],
        ['calls (the bench’s minimal rows)', await size(`select pg_total_relation_size('calls') as n`)],
      ];
    },
    createLikeTable: async () => {
      await client.query('create table bench_like (doc_id bigint primary key, at bigint not null, agent_id text, business_line text, text text not null)');
    },
    insertLikeRows: async (rows) => {
      await client.query('insert into bench_like select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[])', [
        rows.map((r) => r.docId),
        rows.map((r) => r.at),
        rows.map((r) => r.agentId),
        rows.map((r) => r.businessLine),
        rows.map((r) => r.text),
      ]);
    },
    likeSearch: async (word, f) => {
      const filters = likeFilters(f, (i) => `$${i + 2}`, 0);
      const r = await client.query(`select doc_id from bench_like where text like $1${filters.sql} order by doc_id desc limit ${CAP}`, [likePattern(word), ...filters.params]);
      return r.rowCount ?? 0;
    },
    dropLikeTable: async () => {
      await client.query('drop table bench_like');
    },
    close: () => client.end(),
  };
}
