import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { AuditEntry } from '../../src/audit/audit-chain.js';
import { buildServer } from '../../src/http/build-server.js';
import { testApp } from '../support/factories.js';
import { accountWithToken } from '../support/http-harness.js';

/**
 * The audit routes on a real server (SQLite): only auditors read the log; a denied attempt is
 * itself in it; search pages newest first; exports stream every entry with its hashes; verify
 * reports an intact chain. Entries are written as each response is sent, so a request sees the
 * ones before it.
 */
const app = await testApp();
const server = await buildServer(app);
await server.ready();
after(async () => {
  await server.close();
  await app.close();
});

const bearer = async (username: string, role: 'auditor' | 'admin') => (await accountWithToken(app, { username, role })).headers;
const auditor = await bearer('audit.wang', 'auditor');
const admin = await bearer('admin.zhao', 'admin');

interface SearchPage {
  items: Array<{ seq: number; action: string; outcome: string; actor: { username: string; role: string | null; via: string }; details: Record<string, unknown>; hash: string }>;
  nextCursor: string | null;
}

describe('audit routes', () => {
  test('an admin is refused, and the refusal is recorded; the auditor finds it, newest first, in pages', async () => {
    const refused = await server.inject({ method: 'GET', url: '/api/v1/audit', headers: admin });
    assert.equal(refused.statusCode, 403, refused.body);

    const mine = await server.inject({ method: 'GET', url: '/api/v1/audit?actor=admin.zhao&action=audit.', headers: auditor });
    assert.equal(mine.statusCode, 200, mine.body);
    const page = mine.json<SearchPage>();
    assert.deepEqual(
      page.items.map((e) => [e.action, e.outcome, e.actor.username, e.actor.role, e.actor.via, e.details.status]),
      [['audit.search', 'denied', 'admin.zhao', 'admin', 'token', 403]],
    );

    const first = (await server.inject({ method: 'GET', url: '/api/v1/audit?limit=1', headers: auditor })).json<SearchPage>();
    assert.equal(first.items.length, 1);
    assert.ok(first.nextCursor);
    const second = (await server.inject({ method: 'GET', url: `/api/v1/audit?limit=1&cursor=${first.nextCursor}`, headers: auditor })).json<SearchPage>();
    assert.ok(second.items[0]!.seq < first.items[0]!.seq);
  });

  test('export streams every entry with its hashes, chained; CSV has the same columns', async () => {
    const res = await server.inject({ method: 'GET', url: '/api/v1/audit/export?format=jsonl', headers: auditor });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /application\/x-ndjson/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="tingjian-audit-\d{4}-\d{2}-\d{2}\.jsonl"/);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    assert.ok(lines.length >= 4, res.body);
    assert.equal(lines[0]!.prevHash, '0'.repeat(64));
    lines.forEach((e, i) => {
      assert.equal(e.seq, i + 1);
      if (i > 0) assert.equal(e.prevHash, lines[i - 1]!.hash);
    });

    const csv = await server.inject({ method: 'GET', url: '/api/v1/audit/export?format=csv&action=audit.search', headers: auditor });
    assert.equal(csv.statusCode, 200, csv.body);
    const rows = csv.body.trim().split('\r\n');
    assert.equal(rows[0], 'seq,time,at,actorUserId,actorUsername,actorRole,actorVia,action,targetType,targetId,outcome,ip,userAgent,details,prevHash,hash');
    assert.ok(rows.slice(1).every((r) => r.includes(',audit.search,')));
  });

  test('verify reports an intact chain; a bad filter is a 400 naming it', async () => {
    const res = await server.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor });
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json<{ intact: boolean; entries: number; problems: unknown[]; anchor: { seq: number } }>();
    assert.deepEqual([report.intact, report.problems, report.anchor.seq], [true, [], 0]);
    assert.ok(report.entries >= 6);

    const bad = await server.inject({ method: 'GET', url: '/api/v1/audit?action=Call%20View', headers: auditor });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(bad.body, /action/);
  });
});
