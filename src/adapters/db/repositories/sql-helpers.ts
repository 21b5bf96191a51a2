import { sql, type Expression, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../schema.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Runs fn in one transaction and hands it the handle to write through: a new transaction for a
 * repository made outside one, the caller's own inside Database.transaction().
 */
export type Atomic = <T>(fn: (db: Kysely<DatabaseSchema>) => Promise<T>) => Promise<T>;

/**
 * Ids in one IN list, or rows in one multi-row INSERT: far below SQLite's 32766 bound parameters
 * and PostgreSQL's 65535 for the widest rows written here (8 columns).
 */
export const BATCH = 500;

export function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A list of strings as one bound parameter (a JSON array), for `x in <list>` of any length: an
 * IN list of parameters would hit the drivers' limits with a large filter.
 */
export function stringList(dialect: Dialect, values: readonly string[]): Expression<string> {
  const json = JSON.stringify(values);
  return dialect === 'postgres' ? sql<string>`(select jsonb_array_elements_text(cast(${json} as jsonb)))` : sql<string>`(select value from json_each(${json}))`;
}

/**
 * Insert a row numbered one past the table's highest `version`, and return that number: 1, 2,
 * 3… without gaps or duplicates, also when processes append at the same time. The number is taken
 * in the INSERT itself (max + 1): one statement under SQLite's write lock; on PostgreSQL behind a
 * table lock that only appenders take (readers are not blocked), since two statements reading the
 * same max would otherwise collide. A sequence would leave gaps on rollback.
 */
export async function appendNumbered(
  db: Kysely<DatabaseSchema>,
  dialect: Dialect,
  table: 'correction_dictionaries' | 'rule_set_versions',
  values: { text: Record<string, string | null>; epoch: Record<string, number | null> },
): Promise<number> {
  if (dialect === 'postgres' && !db.isTransaction) {
    // The lock lasts until the transaction ends: open one when the caller has not.
    return db.transaction().execute((trx) => appendNumbered(trx, dialect, table, values));
  }
  if (dialect === 'postgres') await sql`lock table ${sql.table(table)} in share row exclusive mode`.execute(db);
  const bigint = sql.raw(dialect === 'postgres' ? 'bigint' : 'integer');
  // Casts: PostgreSQL types a bare parameter in a SELECT list as text.
  const columns = [
    ...Object.entries(values.text).map(([name, v]) => [name, sql`cast(${v} as text)`] as const),
    ...Object.entries(values.epoch).map(([name, v]) => [name, sql`cast(${v} as ${bigint})`] as const),
  ];
  const { rows } = await sql<{ version: number | string }>`
    insert into ${sql.table(table)} (version, ${sql.join(columns.map(([name]) => sql.ref(name)))})
    select coalesce(max(version), 0) + 1, ${sql.join(columns.map(([, value]) => value))} from ${sql.table(table)}
    returning version`.execute(db);
  return Number(rows[0]!.version);
}
