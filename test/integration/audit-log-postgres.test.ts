import { test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { auditLogContract } from '../contract/audit-log.contract.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

if (postgresAvailable()) {
  auditLogContract('PostgreSQL', async () => {
    const server = await startThrowawayPostgres();
    const db = await openDatabase(server.url);
    return {
      db,
      url: server.url,
      async exec(sql, params = []) {
        const client = new pg.Client({ connectionString: server.url });
        await client.connect();
        try {
          let n = 0;
          return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as Array<Record<string, unknown>>;
        } finally {
          await client.end();
        }
      },
      cleanup: () => server.stop(),
    };
  });
} else {
  test('audit log contract: PostgreSQL', (t) => {
    needs(t, 'PostgreSQL', false, POSTGRES_INSTALL);
  });
}
