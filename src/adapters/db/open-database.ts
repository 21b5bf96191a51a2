import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { TingjianError } from '../../domain/errors.js';
import type { Database } from '../../ports/repositories.js';
import { KyselyDatabase } from './kysely-database.js';
import type { DatabaseSchema } from './schema.js';

/**
 * The one place that picks the database technology from the URL. Drivers are imported lazily so
 * an embedded install never loads `pg` and a PostgreSQL deployment never opens SQLite.
 * @example await openDatabase('sqlite:./data/tingjian.db')
 */
export async function openDatabase(url: string): Promise<Database> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  throw new TingjianError('CONFIG_INVALID', `unsupported database URL ${url}: use sqlite:<file> or postgres://…`);
}

async function openSqlite(file: string): Promise<Database> {
  const { default: SQLite } = await import('better-sqlite3');
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const conn = new SQLite(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = NORMAL');
  conn.pragma('busy_timeout = 15000');
  conn.pragma('foreign_keys = ON');
  return new KyselyDatabase(new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: conn }) }), 'sqlite');
}

async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import('pg');
  const INT8 = 20;
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Epoch-ms columns are bigint; they fit a JS number exactly until the year 287396.
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  return new KyselyDatabase(new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
}
