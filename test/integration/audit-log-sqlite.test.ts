import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { auditLogContract } from '../contract/audit-log.contract.js';
import { tempDir } from '../support/factories.js';

auditLogContract('SQLite (embedded default)', async () => {
  const tmp = tempDir();
  const url = `sqlite:${path.join(tmp.dir, 'tingjian.db')}`;
  const db = await openDatabase(url);
  return {
    db,
    url,
    async exec(sql, params = []) {
      const conn = new SQLite(path.join(tmp.dir, 'tingjian.db'));
      try {
        const stmt = conn.prepare(sql);
        return stmt.reader ? (stmt.all(...params) as Array<Record<string, unknown>>) : (stmt.run(...params), []);
      } finally {
        conn.close();
      }
    },
    cleanup: async () => tmp.cleanup(),
  };
});
