import { test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { searchIndexContract } from '../contract/search-index.contract.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

async function run(url: string, statement: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(statement, params);
  await client.end();
}

if (postgresAvailable()) {
  searchIndexContract('PostgreSQL (tsvector)', async () => {
    const server = await startThrowawayPostgres();
    const db = await openDatabase(server.url);
    return {
      db,
      cleanup: () => server.stop(),
      deleteCall: (callId) => run(server.url, 'delete from calls where id = $1', [callId]),
      analyze: () => run(server.url, 'analyze'),
    };
  });
} else {
  test('search index contract: PostgreSQL', (t) => {
    needs(t, 'PostgreSQL', false, POSTGRES_INSTALL);
  });
}
