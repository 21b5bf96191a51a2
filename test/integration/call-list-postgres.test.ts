import { test } from 'node:test';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { callListContract } from '../contract/call-list.contract.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

if (postgresAvailable()) {
  callListContract('PostgreSQL', async () => {
    const pg = await startThrowawayPostgres();
    const db = await openDatabase(pg.url);
    return { db, cleanup: () => pg.stop() };
  });
} else {
  test('calls list contract: PostgreSQL', (t) => {
    needs(t, 'PostgreSQL', false, POSTGRES_INSTALL);
  });
}
