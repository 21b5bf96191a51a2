import { test } from 'node:test';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { savedFilterContract } from '../contract/saved-filter-repository.contract.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

if (postgresAvailable()) {
  savedFilterContract('PostgreSQL', async () => {
    const pg = await startThrowawayPostgres();
    const db = await openDatabase(pg.url);
    return { db, cleanup: () => pg.stop() };
  });
} else {
  test('saved filter repository contract: PostgreSQL', (t) => {
    needs(t, 'PostgreSQL', false, POSTGRES_INSTALL);
  });
}
