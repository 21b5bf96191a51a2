import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { allows, MATRIX_COLUMNS, parseRouteMatrix, type MatrixColumn } from '../../src/access/access-matrix.js';
import { ROLES, type Role } from '../../src/access/permissions.js';
import { buildServer } from '../../src/http/build-server.js';
import { REPO_ROOT } from '../support/cli.js';
import { testApp } from '../support/factories.js';
import { accountWithToken } from '../support/http-harness.js';

/**
 * Every route × every role, against the table in docs/security.md: the table must list exactly
 * the server's routes with what they need, and the running server must let each role through
 * (anything but 401/403) or refuse it (403; 401 without credentials) exactly as the table says.
 */
const app = await testApp();
const server = await buildServer(app);
await server.ready();
after(async () => {
  await server.close();
  await app.close();
});

const scopeOf: Record<Role, { agentId?: string; teamIds?: string[]; businessLines?: string[] }> = {
  admin: {},
  qa_manager: {},
  inspector: { businessLines: ['电商'] },
  team_lead: { teamIds: ['T1'] },
  agent: { agentId: 'A1' },
  auditor: {},
  integration: {},
};
const headersOf = new Map<MatrixColumn, Record<string, string>>([['anonymous', {}]]);
for (const role of ROLES) {
  headersOf.set(role, (await accountWithToken(app, { username: `matrix-${role}`, role, ...scopeOf[role] })).headers);
}

const documented = parseRouteMatrix(readFileSync(path.join(REPO_ROOT, 'docs/security.md'), 'utf8'));
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe('route × role matrix (docs/security.md)', () => {
  test('the documented table lists exactly the server’s routes, with the same needs and audit actions', () => {
    const actual = new Map(server.accessTable.map((r) => [key(r), r]));
    const doc = new Map(documented.map((r) => [key(r), r]));
    const missing = [...actual.keys()].filter((k) => !doc.has(k));
    const stale = [...doc.keys()].filter((k) => !actual.has(k));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'run npm run docs:access');
    for (const [k, r] of actual) {
      const d = doc.get(k)!;
      assert.deepEqual({ need: d.need, audit: d.audit }, { need: r.need, audit: r.audit }, `${k}: run npm run docs:access`);
      for (const c of MATRIX_COLUMNS) assert.equal(d.allowed[c], allows(r.need, c), `${k} × ${c} in the table`);
    }
  });

  test('the server allows and denies every route × role as the table says', async () => {
    const wrong: string[] = [];
    for (const r of documented) {
      const url = r.url.replace(/:(\w+)/g, (_m, name: string) => (name === 'version' ? '999999' : `no-such-${name}`));
      const body = ['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined;
      for (const who of MATRIX_COLUMNS) {
        const res = await server.inject({ method: r.method as 'GET', url, headers: headersOf.get(who)!, ...(body ? { payload: body } : {}) });
        const expected = r.allowed[who];
        const denied = res.statusCode === 401 || res.statusCode === 403;
        if (expected && denied) wrong.push(`${key(r)} × ${who}: expected allowed, got ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (!expected) {
          const want = who === 'anonymous' ? 401 : 403;
          if (res.statusCode !== want) wrong.push(`${key(r)} × ${who}: expected ${want}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  test('a route registered without an access declaration stops the server from starting', async () => {
    const Fastify = (await import('fastify')).default;
    const { installAuthorization } = await import('../../src/http/auth/authorization.js');
    const bare = Fastify();
    installAuthorization(bare, { accounts: app.accounts, audit: app.audit });
    assert.throws(() => bare.get('/api/v1/forgotten', async () => 'open'), /declares no access/);
    await bare.close();
  });
});
