import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { auditKey, entryHash, type AuditEntry } from '../../src/audit/audit-chain.js';
import { runCli, said } from '../support/cli.js';
import { tempDir } from '../support/factories.js';

// `tingjian audit` on a real data folder (SQLite) with a master key: the commands record their
// own entries (purge, export), verify passes, and after tampering in the database it exits 1
// naming each problem — an entry re-hashed with the public default key included.

const work = tempDir('tingjian-cli-audit-');
after(() => work.cleanup());
const dataDir = path.join(work.dir, 'data');
const env = { TINGJIAN_MASTER_KEY: randomBytes(32).toString('base64') };
const cli = (args: string[]) => runCli(['audit', ...args], { dataDir, cwd: work.dir, env, timeoutMs: 60_000 });
const sqlite = () => new SQLite(path.join(dataDir, 'tingjian.db'));

describe('tingjian audit', () => {
  test('purge and export are recorded; verify exits 0 on an intact chain; the export carries the hashes', async () => {
    for (const _ of [1, 2]) {
      const purge = await cli(['purge']);
      assert.equal(purge.code, 0, said(purge));
      assert.match(purge.stdout, /^nothing to purge: no audit entry older than 1095 days/);
    }
    const out = path.join(work.dir, 'audit.jsonl');
    const exported = await cli(['export', '--action', 'audit.', '--out', out]);
    assert.equal(exported.code, 0, said(exported));
    assert.match(exported.stderr, /exported 2 audit entries to /);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    assert.deepEqual(
      lines.map((e) => [e.seq, e.action, e.actorUsername]),
      [
        [1, 'audit.purge', 'system'],
        [2, 'audit.purge', 'system'],
      ],
    );
    assert.equal(lines[1]!.prevHash, lines[0]!.hash);
    assert.match(lines[1]!.hash, /^[0-9a-f]{64}$/);

    const csv = await cli(['export', '--format', 'csv', '--action', 'audit.export']);
    assert.equal(csv.code, 0, said(csv));
    const rows = csv.stdout.trim().split('\r\n');
    assert.equal(rows[0], 'seq,time,at,actorUserId,actorUsername,actorRole,actorVia,action,targetType,targetId,outcome,ip,userAgent,details,prevHash,hash');
    assert.equal(rows.length, 2, csv.stdout);
    assert.match(rows[1]!, /^3,.*,audit\.export,audit_log,,allowed,/);

    const verify = await cli(['verify']);
    assert.equal(verify.code, 0, said(verify));
    assert.match(verify.stdout, /^4 entries, chain intact \(anchor seq 0, head seq 4 [0-9a-f]{16}\)/);
  });

  test('after tampering in the database verify exits 1 and lists each problem with its seq', async () => {
    const db = sqlite();
    try {
      db.prepare('update audit_log set actor_username = ? where seq = 2').run('mallory');
      // Re-hashed with the public default key: only the master-key-derived key verifies.
      const row = db.prepare('select * from audit_log where seq = 3').get() as Record<string, string | number | null>;
      const e = {
        seq: 3,
        at: Number(row.at),
        actorUserId: null,
        actorUsername: 'system',
        actorRole: null,
        actorVia: 'system',
        action: 'audit.export',
        targetType: 'audit_log',
        targetId: null,
        outcome: 'denied',
        ip: null,
        userAgent: null,
        details: String(row.details),
      };
      db.prepare('update audit_log set outcome = ?, hash = ? where seq = 3').run('denied', entryHash(auditKey(null), String(row.prev_hash), e));
      db.prepare('delete from audit_log where seq = 1').run();
    } finally {
      db.close();
    }
    const r = await cli(['verify']);
    assert.equal(r.code, 1, said(r));
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^3 entries, 3 problems/);
    assert.match(lines[1]!, /^ {2}seq 1 {2}truncated-head: /);
    assert.match(lines[2]!, /^ {2}seq 2 {2}changed: seq 2 \(audit\.purge\) was changed/);
    assert.match(lines[3]!, /^ {2}seq 3 {2}changed: /);

    const json = await cli(['verify', '--json']);
    assert.equal(json.code, 1, said(json));
    const report = JSON.parse(json.stdout) as { intact: boolean; problems: Array<{ kind: string; seq: number }> };
    assert.deepEqual(
      report.problems.map((p) => [p.kind, p.seq]),
      [
        ['truncated-head', 1],
        ['changed', 2],
        ['changed', 3],
      ],
    );
  });

  test('bad input: an unknown format, a bad date', async () => {
    const format = await cli(['export', '--format', 'xml']);
    assert.notEqual(format.code, 0);
    assert.match(format.stderr, /Allowed choices are jsonl, csv/);
    const date = await cli(['export', '--from', 'yesterday']);
    assert.equal(date.code, 2, said(date));
    assert.match(date.stderr, /INVALID_REQUEST: --from must be an ISO date/);
  });
});
