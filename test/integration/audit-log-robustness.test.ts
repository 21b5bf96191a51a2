import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { createAuditLog, SYSTEM_ACTOR } from '../../src/audit/audit-log.js';
import type { Database } from '../../src/ports/repositories.js';
import { auditEvent as event } from '../contract/audit-log.contract.js';
import { tempDir } from '../support/factories.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

/**
 * The audit log against what a client, a misconfigured host or a key change can throw at it: text
 * the database cannot store as given, an entry the database refuses, a master key configured after
 * entries were written, a clock far behind at purge. The same scenarios on SQLite and PostgreSQL.
 */
const DAY = 86_400_000;
const T = Date.UTC(2025, 0, 1);

function suite(name: string, available: boolean, open: () => Promise<{ db: Database; stop: () => Promise<void> }>) {
  describe(`audit log robustness on ${name}`, () => {
    /** A test on a database of its own: each starts from an empty chain. */
    const scenario = (title: string, fn: (db: Database) => Promise<void>) =>
      it(title, async (t) => {
        if (!needs(t, name, available, POSTGRES_INSTALL)) return;
        const { db, stop } = await open();
        try {
          await db.migrate();
          await fn(db);
        } finally {
          await db.close();
          await stop();
        }
      });

    scenario('a failed login whose user name holds a lone UTF-16 surrogate (JSON "\\ud800", any client can send it) is stored as U+FFFD and the chain verifies', async (db) => {
      const log = createAuditLog(db, { secret: randomBytes(32), retentionDays: 365 });
      await log.record(event());
      // What POST /api/v1/auth/login records for {"username":"\ud800admin", …}: the name tried.
      await log.record(event({ actor: { userId: null, username: '\ud800admin', role: null, via: 'none' }, action: 'auth.login', outcome: 'denied', targetType: null, targetId: null }));
      await log.record(event({ details: { tried: 'x\udc00', '\ud800': 1 } }));
      const report = await log.verify();
      // Hashed as stored: UTF-8 cannot hold a lone surrogate, so it is U+FFFD before hashing —
      // else any anonymous client could plant a false "changed".
      assert.deepEqual(report.problems, [], JSON.stringify(report.problems));
      const [login] = (await log.search({ action: 'auth.login' }, { limit: 1 })).items;
      assert.equal(login?.actorUsername, '\ufffdadmin');
      const [last] = (await log.search({ action: 'call.view' }, { limit: 1 })).items;
      assert.equal(last?.details, '{"tried":"x\ufffd","\ufffd":1}');
    });

    scenario('U+0000 in the user name tried at a failed login (PostgreSQL text refuses it) is stored as U+FFFD; the requests appended in the same group are unaffected', async (db) => {
      const log = createAuditLog(db, { secret: randomBytes(32), retentionDays: 365 });
      // The first record starts a flush; the two next wait and are written together, in one transaction.
      const first = log.record(event({ targetId: 'first' }));
      const bad = log.record(event({ actor: { userId: null, username: 'ad\u0000min', role: null, via: 'none' }, action: 'auth.login', outcome: 'denied' }));
      const innocent = log.record(event({ targetId: 'someone-else' }));
      await first;
      const [badResult, innocentResult] = await Promise.allSettled([bad, innocent]);
      assert.equal(innocentResult.status, 'fulfilled', innocentResult.status === 'rejected' ? String(innocentResult.reason) : '');
      assert.equal(badResult.status, 'fulfilled', 'a failed login is audited whatever name was tried');
      const [login] = (await log.search({ action: 'auth.login' }, { limit: 1 })).items;
      assert.equal(login?.actorUsername, 'ad\ufffdmin');
      assert.equal((await log.verify()).intact, true);
    });

    scenario('an entry the database refuses for any reason fails only its own request: the others of its group are written one by one', async (db) => {
      // The third record's time is NaN: both databases refuse it (NOT NULL / bigint).
      let n = 0;
      const log = createAuditLog(db, { secret: randomBytes(32), retentionDays: 365, clock: () => (++n === 3 ? Number.NaN : T) });
      const first = log.record(event({ targetId: 'first' }));
      const group = [log.record(event({ targetId: 'before-bad' })), log.record(event({ targetId: 'bad' })), log.record(event({ targetId: 'after-bad' }))];
      await first;
      const settled = await Promise.allSettled(group);
      assert.deepEqual(
        settled.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const written = (await log.search({ action: 'call.view' }, { limit: 10 })).items.map((e) => e.targetId).reverse();
      assert.deepEqual(written, ['first', 'before-bad', 'after-bad']);
      assert.equal((await log.verify()).intact, true);
    });

    scenario('turning encryption at rest on (as docs/security.md asks for production) keeps the entries written before it verifiable: the first writer with the key appends audit.rekey, once', async (db) => {
      // No master key yet: the public default key.
      const before = createAuditLog(db, { secret: null, retentionDays: 365 });
      for (let i = 0; i < 3; i++) await before.record(event({ targetId: `before-${i}` }));
      assert.equal((await before.verify()).intact, true);
      // A master key configured: from now on the key is derived from its stable secret, and
      // verification uses that one key for the whole chain.
      const secret = randomBytes(32);
      const after = createAuditLog(db, { secret, retentionDays: 365 });
      await after.record(event({ targetId: 'after' }));
      const report = await after.verify();
      assert.deepEqual(
        report.problems.map((p) => `${p.kind} ${p.seq}`),
        [],
        'nobody tampered with anything',
      );
      // Another process with the key (a restart) finds the head on its key: no second rekey.
      const restarted = createAuditLog(db, { secret, retentionDays: 365 });
      await restarted.record(event({ targetId: 'restarted' }));
      const rekeys = (await restarted.search({ action: 'audit.rekey' }, { limit: 10 })).items;
      assert.deepEqual(
        rekeys.map((e) => [e.seq, e.actorUsername, JSON.parse(e.details)]),
        [[4, 'system', { afterSeq: 3, previousKey: 'public default key' }]],
      );
      // A process still without the master key writing after the rekey: its entry is reported.
      await before.record(event({ targetId: 'misconfigured' }));
      await restarted.record(event({ targetId: 'later' }));
      const mixed = await restarted.verify();
      assert.deepEqual(
        mixed.problems.map((p) => `${p.kind} ${p.seq}`),
        ['changed 7'],
      );
    });

    scenario('a log on the public key verified by a process with the key gets its audit.rekey entry first, and verifies', async (db) => {
      const before = createAuditLog(db, { secret: null, retentionDays: 365 });
      for (let i = 0; i < 2; i++) await before.record(event({ targetId: `before-${i}` }));
      const report = await createAuditLog(db, { secret: randomBytes(32), retentionDays: 365 }).verify();
      assert.deepEqual([report.intact, report.entries, report.head.seq], [true, 3, 3]);
    });

    scenario('an entry stamped with a clock far behind (a CLI on a host with a wrong clock) does not make the purge delete entries younger than the retention', async (db) => {
      let now = T;
      const log = createAuditLog(db, { secret: randomBytes(32), retentionDays: 365, clock: () => now });
      for (let i = 0; i < 5; i++) await log.record(event({ targetId: `recent-${i}` }));
      now = T - 2 * 365 * DAY; // one process's clock is two years behind
      await log.record(event({ targetId: 'skewed' }));
      now = T + 2 * DAY;
      await log.record(event({ targetId: 'recent-after' }));
      const facts = await log.purgeExpired(SYSTEM_ACTOR, T + DAY);
      // "Entries are kept auditRetentionDays": the five recent entries are a day old, and the
      // purge stops at the first entry inside the retention.
      const left = (await log.search({ action: 'call.view' }, { limit: 100 })).items.map((e) => e.targetId).sort();
      assert.ok(left.includes('recent-0'), `the purge deleted ${facts.deleted} entries through seq ${facts.throughSeq}, a day-old ones among them; left: ${left.join(', ')}`);
      assert.equal(facts.deleted, 0);
      // Once those before it are past the retention too, the skewed entry goes with them; the entry after it stays.
      const later = await log.purgeExpired(SYSTEM_ACTOR, T + 366 * DAY);
      assert.deepEqual([later.deleted, later.throughSeq], [6, 6]);
      assert.equal((await log.verify()).intact, true);
    });
  });
}

suite(
  'SQLite',
  true,
  async () => {
    const tmp = tempDir();
    return { db: await openDatabase(`sqlite:${path.join(tmp.dir, 'tingjian.db')}`), stop: async () => tmp.cleanup() };
  },
);

let shared: ThrowawayPostgres | null = null;
suite('PostgreSQL', postgresAvailable(), async () => {
  shared ??= await startThrowawayPostgres();
  // A fresh schema per test: drop what an earlier test made.
  const db = await openDatabase(shared.url);
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: shared.url });
  await c.connect();
  await c.query('drop schema public cascade; create schema public');
  await c.end();
  return { db, stop: async () => undefined };
});
after(async () => {
  await shared?.stop();
});
