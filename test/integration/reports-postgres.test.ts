import { test } from 'node:test';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { reportContract } from '../contract/report-repository.contract.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

if (postgresAvailable()) {
  reportContract('PostgreSQL', async () => {
    const server = await startThrowawayPostgres();
    const db = await openDatabase(server.url);
    return { db, cleanup: () => server.stop() };
  });
} else {
  test('reports: PostgreSQL', (t) => {
    needs(t, 'PostgreSQL', false, POSTGRES_INSTALL);
  });
}
