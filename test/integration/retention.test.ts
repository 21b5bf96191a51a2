import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppContext } from '../../src/app/app-context.js';
import type { AuditActor } from '../../src/audit/audit-event.js';
import { isTingjianError } from '../../src/domain/errors.js';
import { waitForCalls } from '../../src/pipeline/wait-for-calls.js';
import { parseRetentionPolicy } from '../../src/retention/parse-retention-policy.js';
import { RetentionService } from '../../src/retention/retention-service.js';
import { installTemplates } from '../../src/rules/templates.js';
import { parseQuery } from '../../src/search/search-tokens.js';
import { rowsOfCall } from '../support/call-rows.js';
import { callInput, segments, tempDir, testApp, transcriptInput, wavBuffer } from '../support/factories.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

const DAY = 86_400_000;
const ACTOR: AuditActor = { userId: null, username: 'retention-test', role: null, via: 'system' };
const iso = (ms: number) => new Date(ms).toISOString();

const POLICY = `defaultKeepDays: 30
misdialMaxSeconds: 3
misdialKeepDays: 1
rules:
  - id: finance
    match: { businessLine: 金融 }
    keepDays: 1825
  - id: education-refund
    match: { customerTag: 教育退款 }
    keepDays: 1095
`;

type App = AppContext & { dataDir: string };

const failsWith = (code: string) => (e: unknown) => isTingjianError(e) && e.code === code;

/** The same scenarios on SQLite (no url) and PostgreSQL. */
function retentionSuite(dbName: string, startDb: () => Promise<ThrowawayPostgres | null>, available: boolean) {
  describe(`retention on ${dbName}`, () => {
    let pg: ThrowawayPostgres | null = null;
    let wormPg: ThrowawayPostgres | null = null;
    let app: App;
    let worm: App;
    let files: { dir: string; cleanup: () => void };
    let seed = 7100;

    const wavFile = (seconds: number) => {
      const file = path.join(files.dir, `c${++seed}.wav`);
      writeFileSync(file, wavBuffer({ seconds, seed }));
      return file;
    };
    /** A call with audio and a provided transcript, through the real ingest. */
    const audioCall = async (a: App, seconds: number, input: Record<string, unknown>) =>
      (await a.ingest.acceptFile(wavFile(seconds), { ...callInput(input), segments: segments() }, 'call.wav')).call;
    const urlOf = (a: App) => a.config.databaseUrl;

    before(async () => {
      if (!available) return;
      files = tempDir('tingjian-retention-');
      const policyFile = path.join(files.dir, 'retention.yaml');
      writeFileSync(policyFile, POLICY);
      const wormPolicy = path.join(files.dir, 'worm.yaml');
      writeFileSync(wormPolicy, 'defaultKeepDays: 2\n');
      pg = await startDb();
      wormPg = await startDb();
      const db = (p: ThrowawayPostgres | null) => (p ? { databaseUrl: p.url } : {});
      // Encrypted at rest: a purge must also destroy the call's data key.
      app = await testApp({ workers: true, reinspections: false, config: { ...db(pg), retentionPolicyFile: policyFile, masterKey: randomBytes(32).toString('base64') } });
      worm = await testApp({ workers: false, config: { ...db(wormPg), retentionPolicyFile: wormPolicy, worm: true } });
      await installTemplates(app.db);
    });
    after(async () => {
      if (!available) return;
      await app.close();
      await worm.close();
      await pg?.stop();
      await wormPg?.stop();
      files.cleanup();
    });

    it('computes each call’s expiry at ingest: per business line, per customer tag, misdials, the default', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const startedAt = Date.parse('2025-06-01T10:00:00+08:00');
      const at = { startedAt: iso(startedAt) };
      const finance = await audioCall(app, 4, { ...at, businessLine: '金融' });
      const refund = (await app.ingest.accept({ input: transcriptInput({ ...at, customerTags: ['VIP', '教育退款'] }) })).call;
      const misdial = await audioCall(app, 1, at);
      const plain = (await app.ingest.accept({ input: transcriptInput(at) })).call;
      const expect = async (id: string, policy: string, days: number) => {
        const r = await app.retention.get(id);
        assert.equal(r.policy, policy);
        assert.equal(r.expiresAt, iso(startedAt + days * DAY));
        assert.equal(r.legalHold, null);
      };
      await expect(finance.id, 'finance', 1825);
      await expect(refund.id, 'education-refund', 1095);
      await expect(misdial.id, 'misdial', 1);
      await expect(plain.id, 'default', 30);
    });

    it('purges an expired call with its recording and every derived row, and audits it', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const old = await audioCall(app, 4, { startedAt: '2020-03-01T09:00:00+08:00' });
      const fresh = await audioCall(app, 4, { startedAt: iso(Date.now() - DAY) });
      const [done] = await waitForCalls(app.db, [old.id, fresh.id], { timeoutMs: 120_000 });
      assert.equal(done!.status, 'done', JSON.stringify(done!.stages));
      const rec = (await app.db.repos.recordings.getByCallId(old.id))!;
      const blobFile = path.join(app.dataDir, 'recordings', rec.blobKey);
      const before = await rowsOfCall(urlOf(app), old.id);
      for (const table of ['calls', 'recordings', 'transcripts', 'transcript_segments', 'artifacts', 'jobs', 'inspections', 'search_docs', 'call_retention', 'data_keys']) {
        assert.ok((before[table] ?? 0) > 0, `${table} holds rows of the call before the purge: ${JSON.stringify(before)}`);
      }
      const query = { terms: parseQuery('面膜过敏') };
      const found = async () => (await app.db.repos.search.search(query, {}, { limit: 100, offset: 0 })).items.map((d) => d.callId);
      assert.ok((await found()).includes(old.id));

      const dry = await app.retention.purge({ dryRun: true, actor: ACTOR });
      assert.ok(dry.calls.some((c) => c.callId === old.id && c.externalId === old.externalId));
      assert.ok(existsSync(blobFile), 'a dry run deletes nothing');

      const report = await app.retention.purge({ actor: ACTOR });
      assert.deepEqual(report.failed, []);
      assert.ok(report.calls.some((c) => c.callId === old.id && c.policy === 'default'));
      assert.ok(!report.calls.some((c) => c.callId === fresh.id));

      const afterRows = await rowsOfCall(urlOf(app), old.id);
      assert.deepEqual(
        Object.entries(afterRows).filter(([, n]) => n > 0),
        [],
        `no table keeps a row of the purged call: ${JSON.stringify(afterRows)}`,
      );
      assert.equal(existsSync(blobFile), false, 'the recording is gone');
      assert.equal(existsSync(path.join(app.dataDir, 'decoded', `${old.id}.wav`)), false);
      assert.equal(await app.db.repos.calls.get(old.id), null);
      assert.ok(!(await found()).includes(old.id), 'search no longer finds it');
      assert.ok((await found()).includes(fresh.id), 'the call not yet expired stays');
      assert.ok(existsSync(path.join(app.dataDir, 'recordings', (await app.db.repos.recordings.getByCallId(fresh.id))!.blobKey)));

      const entries = (await app.audit.search({ action: 'retention.purge', targetId: old.id }, { limit: 10 })).items;
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.actorUsername, 'retention-test');
      assert.deepEqual(JSON.parse(entries[0]!.details), { expiresAt: iso(Date.parse('2020-03-01T09:00:00+08:00') + 30 * DAY), externalId: old.externalId, policy: 'default', recordingDeleted: true });
    });

    it('purges misdials early: a 1-second phone call after misdialKeepDays, a longer one of the same day stays', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const at = { startedAt: iso(Date.now() - 2 * DAY) };
      const misdial = await audioCall(app, 1, at);
      const call = await audioCall(app, 4, at);
      const report = await app.retention.purge({ actor: ACTOR });
      assert.ok(report.calls.some((c) => c.callId === misdial.id && c.policy === 'misdial'));
      assert.equal(await app.db.repos.calls.get(misdial.id), null);
      assert.equal((await app.retention.get(call.id)).policy, 'default');
    });

    it('judges a misdial by the longer of the declared length and the recording’s, at ingest and in `apply`', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const at = { startedAt: iso(Date.now()) };
      // Any calls:ingest token could otherwise have a 10-second call purged after misdialKeepDays.
      const understated = await audioCall(app, 10, { ...at, durationMs: 2000 });
      assert.ok((await app.db.repos.recordings.getByCallId(understated.id))!.durationMs >= 9000);
      const cutShort = await audioCall(app, 1, { ...at, durationMs: 60_000 });
      const misdial = await audioCall(app, 1, { ...at, durationMs: 1000 });
      const policies = async () => Promise.all([understated, cutShort, misdial].map(async (c) => (await app.retention.get(c.id)).policy));
      assert.deepEqual(await policies(), ['default', 'default', 'misdial']);
      await app.retention.apply();
      assert.deepEqual(await policies(), ['default', 'default', 'misdial'], 'apply reads the recordings’ lengths too');
    });

    it('never purges or deletes a call on legal hold; released, it goes at the next purge', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const held = (await app.ingest.accept({ input: transcriptInput({ startedAt: '2019-05-05T10:00:00+08:00', customerPhone: '13800001111' }) })).call;
      const sibling = (await app.ingest.accept({ input: transcriptInput({ startedAt: '2019-05-06T10:00:00+08:00', customerPhone: '13800001111' }) })).call;
      const r = await app.retention.hold({ customerPhone: '13800001111' }, '诉讼保全 2026-001', 'legal', { auditAs: ACTOR });
      assert.deepEqual(r.held.sort(), [held.id, sibling.id].sort());
      assert.equal((await app.retention.get(held.id)).legalHold?.reason, '诉讼保全 2026-001');

      const report = await app.retention.purge({ actor: ACTOR });
      assert.ok(report.heldExpired >= 2);
      assert.ok(await app.db.repos.calls.get(held.id), 'an expired call on hold survives the purge');
      await assert.rejects(app.retention.deleteCall(held.id, { auditAs: ACTOR }), failsWith('LEGAL_HOLD'));
      assert.ok(await app.db.repos.calls.get(held.id));

      const released = await app.retention.release({ externalIds: [held.externalId!] }, { auditAs: ACTOR });
      assert.deepEqual(released.released, [held.id]);
      assert.equal((await app.retention.get(held.id)).expiresAt, iso(Date.parse('2019-05-05T10:00:00+08:00') + 30 * DAY), 'releasing changes no expiry');
      await app.retention.purge({ actor: ACTOR });
      assert.equal(await app.db.repos.calls.get(held.id), null);
      assert.ok(await app.db.repos.calls.get(sibling.id), 'still held');
      const holds = (await app.audit.search({ action: 'legal_hold.', targetId: held.id }, { limit: 10 })).items.map((e) => e.action).sort();
      assert.deepEqual(holds, ['legal_hold.release', 'legal_hold.set']);
      await assert.rejects(app.retention.hold({ callIds: [sibling.id] }, '  ', 'legal'), failsWith('INVALID_REQUEST'));
    });

    it('deletes a call on request (not WORM), and applies a changed policy to stored calls keeping holds', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const c = await audioCall(app, 4, { startedAt: iso(Date.now()) });
      const key = (await app.db.repos.recordings.getByCallId(c.id))!.blobKey;
      const deleted = await app.retention.deleteCall(c.id, { auditAs: ACTOR });
      assert.equal(deleted.externalId, c.externalId);
      assert.equal(await app.db.repos.calls.get(c.id), null);
      assert.equal(await app.blobs.stat(key), null);
      assert.equal((await app.audit.search({ action: 'call.delete', targetId: c.id }, { limit: 5 })).items.length, 1);
      await assert.rejects(app.retention.deleteCall(c.id, { auditAs: ACTOR }), failsWith('NOT_FOUND'));

      const kept = (await app.ingest.accept({ input: transcriptInput({ startedAt: '2024-01-01T00:00:00+08:00' }) })).call;
      await app.retention.hold({ callIds: [kept.id] }, 'audit', 'legal');
      const longer = new RetentionService({ db: app.db, blobs: app.blobs, decoded: app.media.decoded, audit: app.audit, worm: false, policy: parseRetentionPolicy('defaultKeepDays: 3650\n') });
      const n = await longer.apply();
      assert.ok(n >= 2);
      const r = await app.retention.get(kept.id);
      assert.equal(r.expiresAt, iso(Date.parse('2024-01-01T00:00:00+08:00') + 3650 * DAY));
      assert.equal(r.legalHold?.reason, 'audit', 'apply keeps the hold');
    });

    it('finishes a deletion a crash interrupted: the recording is removed and the audit entry written by the next purge', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const c = await audioCall(app, 4, { startedAt: '2020-01-01T00:00:00+08:00' });
      const rec = (await app.db.repos.recordings.getByCallId(c.id))!;
      // The transaction of a deletion, as a process that died right after its commit left it.
      await app.db.transaction(async (r) => {
        const ret = (await r.retention.lockForDeletion(c.id))!;
        await r.retention.deleteCall({ callId: c.id, blobKey: rec.blobKey, externalId: c.externalId, policy: ret.policy, expiresAt: ret.expiresAt, purgedAt: Date.now(), audit: { action: 'retention.purge', actor: ACTOR } });
      });
      assert.ok(await app.blobs.stat(rec.blobKey), 'the crash left the recording');
      const report = await app.retention.purge({ actor: ACTOR });
      assert.ok(report.resumed >= 1);
      assert.equal(await app.blobs.stat(rec.blobKey), null);
      assert.equal((await app.audit.search({ action: 'retention.purge', targetId: c.id }, { limit: 5 })).items.length, 1);
      assert.deepEqual(await app.db.repos.retention.tombstones(10), []);
    });

    it('WORM: no deletion before expiry, by anyone, not even through the store; after expiry the purge removes it', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const now = Date.now();
      const locked = await audioCall(worm, 4, { startedAt: iso(now) });
      const expired = await audioCall(worm, 4, { startedAt: iso(now - 3 * DAY) });
      const key = (await worm.db.repos.recordings.getByCallId(locked.id))!.blobKey;
      const blobFile = path.join(worm.dataDir, 'recordings', key);
      const expiredKey = (await worm.db.repos.recordings.getByCallId(expired.id))!.blobKey;
      const until = now + 2 * DAY;
      assert.equal(await worm.blobs.retainedUntil(key), until, 'ingest locked the original until its expiry');
      assert.equal(statSync(blobFile).mode & 0o777, 0o444, 'read-only on disk');

      await assert.rejects(worm.retention.deleteCall(locked.id, { auditAs: ACTOR }), failsWith('WORM_LOCKED'));
      await assert.rejects(worm.blobs.delete(key), failsWith('WORM_LOCKED'));
      assert.ok(existsSync(blobFile));
      assert.ok(await worm.db.repos.calls.get(locked.id));

      const report = await worm.retention.purge({ actor: ACTOR });
      assert.deepEqual(report.failed, []);
      assert.ok(!report.calls.some((c) => c.callId === locked.id));
      assert.equal(await worm.db.repos.calls.get(expired.id), null, 'expired: purged');
      assert.equal(await worm.blobs.stat(expiredKey), null, 'its recording too: the store lets it go after its retain-until');
      assert.ok(await worm.db.repos.calls.get(locked.id));
      assert.ok(existsSync(blobFile));

      // A shorter policy never shortens a WORM expiry; a longer one extends it, in the store too.
      const withPolicy = (days: number) =>
        new RetentionService({ db: worm.db, blobs: worm.blobs, decoded: worm.media.decoded, audit: worm.audit, worm: true, policy: parseRetentionPolicy(`defaultKeepDays: ${days}\n`) });
      await withPolicy(1).apply();
      assert.equal((await worm.retention.get(locked.id)).expiresAt, iso(until));
      await withPolicy(5).apply();
      assert.equal((await worm.retention.get(locked.id)).expiresAt, iso(now + 5 * DAY));
      assert.equal(await worm.blobs.retainedUntil(key), now + 5 * DAY);
    });
  });
}

retentionSuite('SQLite', async () => null, true);
retentionSuite('PostgreSQL', () => startThrowawayPostgres(), postgresAvailable());
