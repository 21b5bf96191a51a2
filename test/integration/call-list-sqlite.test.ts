import path from 'node:path';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { callListContract } from '../contract/call-list.contract.js';
import { tempDir } from '../support/factories.js';

callListContract('SQLite (embedded default)', async () => {
  const tmp = tempDir();
  const db = await openDatabase(`sqlite:${path.join(tmp.dir, 'tingjian.db')}`);
  return { db, cleanup: async () => tmp.cleanup() };
});
