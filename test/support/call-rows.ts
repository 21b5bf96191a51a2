/**
 * What the database holds about one call, read straight from the tables (not through the
 * repositories under test): for every table with a call_id column, its rows for the call (and its
 * data key, keyed by object_id); and the
 * search rows (rules, topics, and SQLite's FTS5 index) no document owns any more. A test that
 * deletes a call expects all zeros — a table added later without ON DELETE CASCADE shows up here.
 */
export async function rowsOfCall(databaseUrl: string, callId: string): Promise<Record<string, number>> {
  return databaseUrl.startsWith('sqlite:') ? sqliteRows(databaseUrl.slice('sqlite:'.length), callId) : postgresRows(databaseUrl, callId);
}

const ORPHANS: Record<string, string> = {
  'search_doc_rules (orphaned)': 'select count(*) as n from search_doc_rules where doc_id not in (select doc_id from search_docs)',
  'search_doc_topics (orphaned)': 'select count(*) as n from search_doc_topics where doc_id not in (select doc_id from search_docs)',
};

async function sqliteRows(file: string, callId: string): Promise<Record<string, number>> {
  const { default: SQLite } = await import('better-sqlite3');
  const db = new SQLite(file, { readonly: true });
  try {
    const out: Record<string, number> = {};
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and sql not like 'CREATE VIRTUAL%'").all() as Array<{ name: string }>;
    for (const { name } of tables) {
      const cols = db.prepare(`pragma table_info("${name}")`).all() as Array<{ name: string }>;
      if (cols.some((c) => c.name === 'call_id')) out[name] = (db.prepare(`select count(*) as n from "${name}" where call_id = ?`).get(callId) as { n: number }).n;
      if (name === 'calls') out.calls = (db.prepare('select count(*) as n from calls where id = ?').get(callId) as { n: number }).n;
      if (name === 'data_keys') out.data_keys = (db.prepare('select count(*) as n from data_keys where object_id = ?').get(callId) as { n: number }).n;
    }
    for (const [label, q] of Object.entries(ORPHANS)) out[label] = (db.prepare(q).get() as { n: number }).n;
    // FTS5 rows without a search document (contentless: only rowids can be compared).
    out['search_fts (orphaned)'] = (db.prepare('select count(*) as n from search_fts where rowid not in (select doc_id from search_docs)').get() as { n: number }).n;
    return out;
  } finally {
    db.close();
  }
}

async function postgresRows(url: string, callId: string): Promise<Record<string, number>> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, number> = {};
    const { rows } = await c.query<{ table_name: string }>("select table_name from information_schema.columns where column_name = 'call_id' and table_schema = current_schema()");
    for (const { table_name } of rows) out[table_name] = Number((await c.query(`select count(*) as n from "${table_name}" where call_id = $1`, [callId])).rows[0].n);
    out.calls = Number((await c.query('select count(*) as n from calls where id = $1', [callId])).rows[0].n);
    out.data_keys = Number((await c.query('select count(*) as n from data_keys where object_id = $1', [callId])).rows[0].n);
    for (const [label, q] of Object.entries(ORPHANS)) out[label] = Number((await c.query(q)).rows[0].n);
    return out;
  } finally {
    await c.end();
  }
}
