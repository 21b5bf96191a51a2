import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { searchIndexContract } from '../contract/search-index.contract.js';
import { tempDir } from '../support/factories.js';

searchIndexContract('SQLite (FTS5)', async () => {
  const tmp = tempDir();
  const file = path.join(tmp.dir, 'tingjian.db');
  const db = await openDatabase(`sqlite:${file}`);
  return {
    db,
    cleanup: async () => tmp.cleanup(),
    async deleteCall(callId) {
      const conn = new SQLite(file);
      conn.pragma('foreign_keys = ON');
      conn.prepare('delete from calls where id = ?').run(callId);
      conn.close();
    },
    async analyze() {
      const conn = new SQLite(file);
      conn.exec('analyze');
      conn.close();
    },
  };
});
