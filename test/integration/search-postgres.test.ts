import { test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { searchIndexContract } from '../contract/search-index.contract.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

if (postgresAvailable()) {
  searchIndexContract('PostgreSQL (tsvector)', async () => {
    const server = await startThrowawayPostgres();
    const db = await openDatabase(server.url);
    return {
      db,
      cleanup: () => server.stop(),
      async deleteCall(callId) {
        const client = new pg.Client({ connectionString: server.url });
        await client.connect();
        await client.query('delete from calls where id = $1', [callId]);
        await client.end();
      },
    };
  });
} else {
  test('search index contract: PostgreSQL', (t) => {
    needs(t, 'PostgreSQL', false, POSTGRES_INSTALL);
  });
}
