import { repositoryContract } from '../contract/repositories.contract.js';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { tempDir } from '../support/factories.js';
import path from 'node:path';

repositoryContract('SQLite (embedded default)', async () => {
  const tmp = tempDir();
  const db = await openDatabase(`sqlite:${path.join(tmp.dir, 'tingjian.db')}`);
  return { db, cleanup: async () => tmp.cleanup() };
});
