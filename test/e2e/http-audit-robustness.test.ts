import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { AppContext } from '../../src/app/app-context.js';
import { buildServer } from '../../src/http/build-server.js';
import { testApp } from '../support/factories.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

/**
 * The audit log over HTTP against an anonymous client sending text the database cannot store as
 * given: a lone surrogate in the user name tried at login, U+0000 in a URL. The log records it
 * (as U+FFFD) and still verifies. test/integration/audit-log-robustness.test.ts has the details.
 */
async function server(app: AppContext) {
  const s = await buildServer(app);
  await s.ready();
  const a = await app.accounts.createAccount({ username: 'audit.wang', role: 'auditor' });
  const { token } = await app.accounts.createToken(a.id, { name: 'review' }, null);
  return { s, auditor: { authorization: `Bearer ${token}` } };
}

// The raw JSON text a client sends: JSON.stringify would escape it the same way.
const loginBody = (escapedName: string) => `{"username":"${escapedName}","password":"wrong-password-1"}`;

describe('audit log over HTTP: text the database cannot store as given', () => {
  test('SQLite: after an anonymous failed login with user name "\\ud800x", GET /api/v1/audit/verify reports the untouched log intact', async () => {
    const app = await testApp();
    const { s, auditor } = await server(app);
    try {
      const login = await s.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: loginBody('\\ud800x') });
      assert.equal(login.statusCode, 401, login.body);
      const res = await s.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor });
      const report = res.json<{ intact: boolean; problems: Array<{ kind: string; seq: number; message: string }> }>();
      assert.deepEqual([report.intact, report.problems], [true, []], 'nobody changed the audit log');
      const logins = await s.inject({ method: 'GET', url: '/api/v1/audit?action=auth.login', headers: auditor });
      assert.deepEqual(
        logins.json<{ items: Array<{ actor: { username: string } }> }>().items.map((e) => e.actor.username),
        ['\ufffdx'],
      );
    } finally {
      await s.close();
      await app.close();
    }
  });

  let pg: ThrowawayPostgres | null = null;
  after(async () => {
    await pg?.stop();
  });
  test('PostgreSQL: an anonymous GET /api/v1/calls/x%00y is refused 401 and recorded as a denied call.view', async (t) => {
    if (!needs(t, 'PostgreSQL', postgresAvailable(), POSTGRES_INSTALL)) return;
    pg = await startThrowawayPostgres();
    const app = await testApp({ config: { databaseUrl: pg.url } });
    const { s, auditor } = await server(app);
    try {
      const res = await s.inject({ method: 'GET', url: '/api/v1/calls/x%00y' });
      const search = await s.inject({ method: 'GET', url: '/api/v1/audit?action=call.view', headers: auditor });
      const entries = search.json<{ items: Array<{ outcome: string; targetId: string | null }> }>().items;
      // "Denied requests are recorded like allowed ones": the target id (from the URL) holds
      // U+0000, which PostgreSQL text refuses; it is recorded as U+FFFD.
      assert.deepEqual([res.statusCode, entries.map((e) => [e.outcome, e.targetId])], [401, [['denied', 'x\ufffdy']]], res.body);
      const verify = await s.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor });
      assert.equal(verify.json<{ intact: boolean }>().intact, true, verify.body);
    } finally {
      await s.close();
      await app.close();
    }
  });
});
