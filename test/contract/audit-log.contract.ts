import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { auditKey, entryHash, type AuditEntry } from '../../src/audit/audit-chain.js';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { createAuditLog, SYSTEM_ACTOR } from '../../src/audit/audit-log.js';
import type { AuditFilter, Database } from '../../src/ports/repositories.js';
import { appendFromAnotherProcess } from '../support/audit-appender.js';

/** A database for the audit contract, a second connection to it (another process), and raw SQL to tamper with. */
export interface AuditTestDatabase {
  db: Database;
  /** The database's URL, for another process to open. */
  url: string;
  /** Raw SQL outside Tingjian, `?` placeholders. */
  exec(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  cleanup(): Promise<void>;
}

const DAY = 86_400_000;
const T = Date.UTC(2025, 0, 1);

/** A signed-in user viewing a call, with `over` changed. */
export const auditEvent = (over: Partial<AuditEvent> = {}): AuditEvent => ({
  actor: { userId: 'u-1', username: 'qa.li', role: 'qa_manager', via: 'session' },
  action: 'call.view',
  targetType: 'call',
  targetId: 'call-1',
  outcome: 'allowed',
  ip: '10.1.2.3',
  userAgent: 'Mozilla/5.0',
  details: { status: 200 },
  ...over,
});

/**
 * The audit log contract, on real SQLite and PostgreSQL: appends (concurrent, from two
 * connections) keep one chain, search filters and pages, purge keeps the chain verifiable, and
 * every kind of tampering done directly in the database is reported with its seq.
 */
export function auditLogContract(name: string, open: () => Promise<AuditTestDatabase>): void {
  describe(`audit log contract: ${name}`, () => {
    let t: AuditTestDatabase;
    const secret = randomBytes(32);
    let now = T;
    const logOf = (db: Database) => createAuditLog(db, { secret, retentionDays: 365, clock: () => now });
    const event = auditEvent;
    const all = async (filter: AuditFilter): Promise<AuditEntry[]> => {
      const out: AuditEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await t.db.repos.audit.page(filter, { limit: 2, cursor });
        out.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    };

    before(async () => {
      t = await open();
      await t.db.migrate();
    });
    after(async () => {
      await t.db.close();
      await t.cleanup();
    });

    it('purges entries past the retention: the anchor moves to the last one, the chain still verifies, the purge is recorded', async () => {
      const log = logOf(t.db);
      now = T - 400 * DAY;
      for (let i = 0; i < 3; i++) await log.record(event({ targetId: `old-${i}` }));
      now = T;
      await log.record(event({ targetId: 'recent-1' }));
      await log.record(event({ targetId: 'recent-2' }));
      const third = (await all({ targetId: 'old-2' }))[0]!;

      const facts = await log.purgeExpired(SYSTEM_ACTOR, T);
      assert.deepEqual(facts, { deleted: 3, throughSeq: 3, anchorHash: third.hash, before: T - 365 * DAY });
      assert.deepEqual(await t.db.repos.audit.anchor(), { seq: 3, hash: third.hash });
      assert.deepEqual(await all({ action: 'call.view', to: T - 300 * DAY }), []);

      const [purge] = await all({ action: 'audit.purge' });
      assert.equal(purge?.seq, 6);
      assert.equal(purge.actorUsername, 'system');
      assert.deepEqual(JSON.parse(purge.details), { ...facts, retentionDays: 365 });

      const report = await log.verify();
      assert.deepEqual([report.intact, report.entries, report.problems], [true, 3, []]);

      // Nothing more to purge: the anchor stays, the (empty) purge is recorded all the same.
      assert.equal((await log.purgeExpired(SYSTEM_ACTOR, T)).deleted, 0);
      assert.equal((await t.db.repos.audit.anchor()).seq, 3);
      assert.equal((await log.verify()).intact, true);
    });

    it('keeps one unbroken chain under 50 parallel records here and 50 from another process at once', async () => {
      const log = logOf(t.db);
      const headBefore = await t.db.repos.audit.head();
      await appendFromAnotherProcess(t.url, secret, 50, 'b', async () => {
        await Promise.all(Array.from({ length: 50 }, (_, i) => log.record(event({ targetId: `a-${i}` }))));
      });
      const report = await log.verify();
      assert.deepEqual(report.problems, []);
      assert.equal(report.head.seq, headBefore.seq + 100);
      const seqs: number[] = [];
      for await (const batch of t.db.repos.audit.stream(headBefore.seq, 7)) seqs.push(...batch.map((e) => e.seq));
      assert.deepEqual(
        seqs,
        Array.from({ length: 100 }, (_, i) => headBefore.seq + 1 + i),
      );
      assert.equal((await all({ actor: 'other.process' })).length, 50);
    });

    it('searches newest first by time, actor, action (exact or prefix), target and outcome, in cursor pages', async () => {
      const log = logOf(t.db);
      const actor = { userId: 'u-9', username: 'search.user', role: 'inspector', via: 'token' as const };
      const steps: Array<[number, Partial<AuditEvent>]> = [
        [T + 1000, { action: 'call.view', targetId: 'c-1' }],
        [T + 2000, { action: 'call.audio', targetId: 'c-1', details: { range: 'bytes=0-', 中文: '录音' } }],
        [T + 3000, { action: 'call.view', targetId: 'c-2', outcome: 'denied' }],
        [T + 4000, { action: 'rules.publish', targetType: 'rule_set', targetId: '7' }],
        [T + 5000, { action: 'callx.view', targetId: 'c-3' }],
      ];
      for (const [at, over] of steps) {
        now = at;
        await log.record(event({ actor, ...over }));
      }
      const mine = await all({ actor: 'search.user' });
      assert.deepEqual(
        mine.map((e) => e.action),
        ['callx.view', 'rules.publish', 'call.view', 'call.audio', 'call.view'],
      );
      assert.ok(mine.every((e, i) => i === 0 || e.seq < mine[i - 1]!.seq));
      assert.deepEqual(mine[3]!.details, '{"range":"bytes=0-","中文":"录音"}');
      assert.deepEqual([mine[0]!.actorUserId, mine[0]!.actorRole, mine[0]!.actorVia, mine[0]!.ip, mine[0]!.userAgent, mine[0]!.at], ['u-9', 'inspector', 'token', '10.1.2.3', 'Mozilla/5.0', T + 5000]);

      const actions = async (f: AuditFilter) => (await all({ actor: 'search.user', ...f })).map((e) => `${e.action}@${e.targetId}`);
      assert.deepEqual(await actions({ action: 'call.' }), ['call.view@c-2', 'call.audio@c-1', 'call.view@c-1']);
      assert.deepEqual(await actions({ action: 'call.view' }), ['call.view@c-2', 'call.view@c-1']);
      assert.deepEqual(await actions({ action: 'call' }), []);
      assert.deepEqual(await actions({ targetId: 'c-1' }), ['call.audio@c-1', 'call.view@c-1']);
      assert.deepEqual(await actions({ outcome: 'denied' }), ['call.view@c-2']);
      assert.deepEqual(await actions({ from: T + 2000, to: T + 4000 }), ['call.view@c-2', 'call.audio@c-1']);

      const oldest = await t.db.repos.audit.page({ actor: 'search.user' }, { limit: 10, order: 'oldest' });
      assert.deepEqual(
        oldest.items.map((e) => e.seq),
        [...mine].reverse().map((e) => e.seq),
      );
      assert.equal(oldest.nextCursor, null);
    });

    it('reports each tampering done with SQL — a changed field, a deleted entry, a forged entry, an entry re-hashed with the public key — by kind and seq', async () => {
      const log = logOf(t.db);
      now = T + 10_000;
      for (let i = 0; i < 10; i++) await log.record(event({ actor: { userId: null, username: 'tamper.me', role: null, via: 'none' }, action: 'auth.login', outcome: 'failed', targetId: null, targetType: null }));
      const s = (await all({ actor: 'tamper.me' })).reverse();
      assert.equal((await log.verify()).intact, true);

      await t.exec('update audit_log set actor_username = ? where seq = ?', ['mallory', s[1]!.seq]);
      await t.exec('delete from audit_log where seq = ?', [s[3]!.seq]);
      const edited = { ...s[5]!, outcome: 'allowed' };
      await t.exec('update audit_log set outcome = ?, hash = ? where seq = ?', ['allowed', entryHash(auditKey(null), edited.prevHash, edited), s[5]!.seq]);
      const forged = { ...s[9]!, seq: s[9]!.seq + 1, prevHash: s[0]!.hash, actorUsername: 'admin', outcome: 'allowed' };
      forged.hash = entryHash(auditKey(null), forged.prevHash, forged);
      await t.exec(
        `insert into audit_log (seq, at, actor_user_id, actor_username, actor_role, actor_via, action, target_type, target_id, outcome, ip, user_agent, details, prev_hash, hash)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [forged.seq, forged.at, forged.actorUserId, forged.actorUsername, forged.actorRole, forged.actorVia, forged.action, forged.targetType, forged.targetId, forged.outcome, forged.ip, forged.userAgent, forged.details, forged.prevHash, forged.hash],
      );

      const report = await log.verify();
      assert.equal(report.intact, false);
      assert.deepEqual(
        report.problems.map((p) => [p.kind, p.seq, p.toSeq]),
        [
          ['changed', s[1]!.seq, undefined],
          ['removed', s[3]!.seq, s[3]!.seq],
          ['changed', s[5]!.seq, undefined],
          ['inserted', s[9]!.seq + 1, undefined],
        ],
      );
      assert.equal(report.problemCount, 4);
    });

    it('entries cut from the start are truncated-head; moving the anchor over them without a purge entry is anchor-unexplained', async () => {
      const log = logOf(t.db);
      const anchor = await t.db.repos.audit.anchor();
      const [first] = await t.exec('select seq, hash from audit_log where seq = ?', [anchor.seq + 1]);
      await t.exec('delete from audit_log where seq = ?', [anchor.seq + 1]);
      const cut = await log.verify();
      assert.deepEqual(cut.problems[0], { kind: 'truncated-head', seq: anchor.seq + 1, toSeq: anchor.seq + 1, message: cut.problems[0]!.message });

      await t.exec('update audit_anchor set seq = ?, hash = ? where id = 1', [anchor.seq + 1, first!.hash]);
      const moved = await log.verify();
      assert.ok(!moved.problems.some((p) => p.kind === 'truncated-head'));
      assert.deepEqual(
        moved.problems.filter((p) => p.kind === 'anchor-unexplained').map((p) => p.seq),
        [anchor.seq + 1],
      );
    });
  });
}
