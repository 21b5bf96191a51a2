import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pendingExport, type ExportRequest } from '../../src/exports/export-request.js';
import type { Database } from '../../src/ports/repositories.js';

const T = Date.UTC(2025, 0, 1);
let n = 0;
const exportRow = (over: Partial<ExportRequest> = {}): ExportRequest => ({
  ...pendingExport({ id: `exp-${++n}`, kind: 'transcripts', callIds: ['c-1', 'c-2'], filter: null, reason: '投诉复核', requestedBy: { userId: 'u-insp', username: '质检员小王' }, requestedAt: T + n }),
  ...over,
});

/**
 * The export repository on every database: rows read back exactly, lists by "any of" the
 * requester, the decider and a status, status changes only from the expected status (two
 * approvers at once: one wins), the expiry sweep, the download counter.
 */
export function exportRepositoryContract(name: string, open: () => Promise<{ db: Database; cleanup: () => Promise<void> }>): void {
  describe(`export repository contract: ${name}`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ db, cleanup } = await open());
      await db.migrate();
    });
    after(async () => {
      await db.close();
      await cleanup();
    });

    it('stores and reads back every field, a filter and Chinese text included', async () => {
      const e = exportRow({ kind: 'report', format: 'csv', filter: { from: T, businessLine: '电商', channel: 'phone' }, callIds: Array.from({ length: 1000 }, (_, i) => `call-${i}`) });
      await db.repos.exports.insert(e);
      assert.deepEqual(await db.repos.exports.get(e.id), e);
      assert.equal(await db.repos.exports.get('missing'), null);
    });

    it('a status changes only from the expected one: of two approvals at once, one wins', async () => {
      const e = exportRow();
      await db.repos.exports.insert(e);
      const decide = (who: string) =>
        db.repos.exports.transition(e.id, ['pending'], { status: 'approved', decidedBy: { userId: who, username: who }, decidedAt: T + 5, decisionNote: null, linkTokenHash: `hash-${who}`, linkExpiresAt: T + 60_000 });
      const results = await Promise.all([decide('m1'), decide('m2')]);
      assert.deepEqual(results.filter(Boolean).length, 1);
      const stored = (await db.repos.exports.get(e.id))!;
      assert.equal(stored.status, 'approved');
      assert.equal(stored.linkTokenHash, `hash-${stored.decidedBy!.userId}`);
      assert.equal(stored.linkExpiresAt, T + 60_000);
      assert.equal(await db.repos.exports.transition(e.id, ['pending'], { status: 'rejected' }), false);
      assert.equal(await db.repos.exports.transition('missing', ['pending'], { status: 'rejected' }), false);
      assert.equal(await db.repos.exports.transition(e.id, ['pending', 'approved'], { status: 'cancelled' }), true);
      assert.equal((await db.repos.exports.get(e.id))!.decidedBy!.userId, stored.decidedBy!.userId, 'fields not given stay');
    });

    it('lists by any of requester, decider, status — and a status — newest first', async () => {
      const mine = exportRow({ requestedBy: { userId: 'u-list', username: 'list' } });
      const decided = exportRow({ status: 'rejected', decidedBy: { userId: 'u-boss', username: 'boss' }, decidedAt: T });
      const pendingOther = exportRow({ requestedBy: { userId: 'u-else', username: 'else' } });
      const done = exportRow({ status: 'rejected', requestedBy: { userId: 'u-else', username: 'else' } });
      for (const e of [mine, decided, pendingOther, done]) await db.repos.exports.insert(e);
      const ids = (rows: ExportRequest[]) => rows.map((r) => r.id);
      assert.deepEqual(ids(await db.repos.exports.list({ anyOf: { requestedBy: 'u-list' } }, 10)), [mine.id]);
      const boss = ids(await db.repos.exports.list({ anyOf: { requestedBy: 'u-boss', decidedBy: 'u-boss', status: 'pending' } }, 100));
      assert.ok(boss.includes(decided.id) && boss.includes(pendingOther.id) && boss.includes(mine.id));
      assert.ok(!boss.includes(done.id));
      assert.ok(boss.indexOf(pendingOther.id) < boss.indexOf(mine.id), 'newest first');
      assert.deepEqual(ids(await db.repos.exports.list({ anyOf: { requestedBy: 'u-else' }, status: 'rejected' }, 10)), [done.id]);
      assert.equal((await db.repos.exports.list({}, 2)).length, 2);
    });

    it('the expiry sweep marks approved exports whose link is over, and nothing else', async () => {
      const over = exportRow({ status: 'approved', linkExpiresAt: T + 100 });
      const live = exportRow({ status: 'approved', linkExpiresAt: T + 10_000 });
      for (const e of [over, live]) await db.repos.exports.insert(e);
      assert.ok((await db.repos.exports.expireLinks(T + 100)) >= 1);
      assert.equal((await db.repos.exports.get(over.id))!.status, 'expired');
      assert.equal((await db.repos.exports.get(live.id))!.status, 'approved');
    });

    it('counts downloads', async () => {
      const e = exportRow({ status: 'approved' });
      await db.repos.exports.insert(e);
      assert.equal(await db.repos.exports.recordDownload(e.id, T + 1), 1);
      assert.equal(await db.repos.exports.recordDownload(e.id, T + 2), 2);
      const stored = (await db.repos.exports.get(e.id))!;
      assert.equal(stored.downloads, 2);
      assert.equal(stored.lastDownloadedAt, T + 2);
    });
  });
}
