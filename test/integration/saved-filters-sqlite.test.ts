import path from 'node:path';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { savedFilterContract } from '../contract/saved-filter-repository.contract.js';
import { tempDir } from '../support/factories.js';

savedFilterContract('SQLite (embedded default)', async () => {
  const tmp = tempDir();
  const db = await openDatabase(`sqlite:${path.join(tmp.dir, 'tingjian.db')}`);
  return { db, cleanup: async () => tmp.cleanup() };
});
