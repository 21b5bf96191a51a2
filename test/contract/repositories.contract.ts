import assert from 'node:assert/strict';
import { describe, it, before, after } from 'node:test';
import type { Database } from '../../src/ports/repositories.js';
import type { Recording } from '../../src/domain/recording.js';
import { storedCall } from '../support/factories.js';
import { signalsFromTranscript } from '../../src/enrich/transcript-signals.js';

/**
 * The storage contract: every Database adapter (SQLite, PostgreSQL) must pass this same suite,
 * which is what keeps the embedded mode and the scale-out mode one product.
 */
export function repositoryContract(name: string, open: () => Promise<{ db: Database; cleanup: () => Promise<void> }>): void {
  describe(`storage contract: ${name}`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ db, cleanup } = await open());
      await db.migrate();
      await db.migrate(); // idempotent
    });
    after(async () => {
      await db.close();
      await cleanup();
    });

    const recording = (callId: string, sha: string): Recording => ({
      callId,
      format: 'wav',
      codec: 'pcm_mulaw',
      sampleRate: 8000,
      channels: 2,
      channelRoles: ['agent', 'customer'],
      durationMs: 61_000,
      sha256: sha,
      sizeBytes: 976_044,
      blobKey: `sha256/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`,
      originalName: '录音 001.wav',
    });
    const sha = (n: number) => n.toString(16).padStart(64, 'a');

    it('stores and reads back a call with every field, Chinese text included', async () => {
      const call = storedCall({ customerTags: ['VIP', '投诉'], extra: { 来源: 'PBX-1' }, consultType: '咨询退货', customerPhone: '138****5678' });
      await db.transaction((r) => r.calls.insert(call));
      assert.deepEqual(await db.repos.calls.get(call.id), call);
      assert.deepEqual(await db.repos.calls.findByExternalId(call.externalId!), call);
      assert.equal(await db.repos.calls.get('missing'), null);
    });

    it('rejects a second call with the same externalId as CONFLICT and keeps the first', async () => {
      const a = storedCall();
      await db.transaction((r) => r.calls.insert(a));
      await assert.rejects(
        db.transaction((r) => r.calls.insert(storedCall({ externalId: a.externalId }))),
        (e: { code?: string }) => e.code === 'CONFLICT',
      );
      assert.deepEqual(await db.repos.calls.findByExternalId(a.externalId!), a);
    });

    it('rolls back every write of a failed transaction', async () => {
      const c = storedCall();
      await assert.rejects(
        db.transaction(async (r) => {
          await r.calls.insert(c);
          await r.jobs.enqueue({ callId: c.id, stage: 'ingest', maxAttempts: 3, runAfter: 0, now: 1 });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await db.repos.calls.get(c.id), null);
      assert.deepEqual(await db.repos.jobs.listForCall(c.id), []);
    });

    it('updates a call’s progress', async () => {
      const c = storedCall();
      await db.repos.calls.insert(c);
      const stages = { ...c.stages, ingest: { status: 'done' as const, attempts: 1, note: 'ok', updatedAt: 5 } };
      await db.repos.calls.updateProgress(c.id, 'failed', stages, c.updatedAt + 1);
      const got = await db.repos.calls.get(c.id);
      assert.equal(got?.status, 'failed');
      assert.deepEqual(got?.stages.ingest, stages.ingest);
      assert.equal(got?.updatedAt, c.updatedAt + 1);
    });

    it('lists newest first with filters and stable cursor pages', async () => {
      const base = Date.UTC(2031, 0, 1);
      const team = `team-${Math.random()}`;
      const calls = Array.from({ length: 25 }, (_, i) =>
        storedCall({ teamId: team, startedAt: base + Math.floor(i / 2) * 1000, agentId: i % 3 === 0 ? 'A-x' : 'A-y', status: i % 5 === 0 ? 'failed' : 'done' }),
      );
      for (const c of calls) await db.repos.calls.insert(c);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await db.repos.calls.list({ teamId: team }, { limit: 10, cursor });
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      assert.equal(pages, 3);
      assert.equal(new Set(seen).size, 25);
      const expected = [...calls].sort((a, b) => b.startedAt! - a.startedAt! || (b.id < a.id ? -1 : 1)).map((c) => c.id);
      assert.deepEqual(seen, expected);

      const agentX = await db.repos.calls.list({ teamId: team, agentId: 'A-x' }, { limit: 100 });
      assert.equal(agentX.items.length, calls.filter((c) => c.agentId === 'A-x').length);
      const failed = await db.repos.calls.count({ teamId: team, status: 'failed' });
      assert.equal(failed, 5);
      const window = await db.repos.calls.list({ teamId: team, from: base + 2000, to: base + 4000 }, { limit: 100 });
      assert.deepEqual(window.items.map((c) => c.startedAt).sort(), [base + 2000, base + 2000, base + 3000, base + 3000]);
      await assert.rejects(db.repos.calls.list({}, { limit: 5, cursor: 'not-a-cursor' }), (e: { code?: string }) => e.code === 'INVALID_REQUEST');
      for (const forged of [[1.5, 'x'], [1e300, 'x'], ['1', 'x']]) {
        const cursor = Buffer.from(JSON.stringify(forged)).toString('base64url');
        await assert.rejects(db.repos.calls.list({}, { limit: 5, cursor }), (e: { code?: string }) => e.code === 'INVALID_REQUEST', `forged cursor ${JSON.stringify(forged)}`);
      }
    });

    it('stores recordings, finds them by sha256 and refuses a duplicate sha256', async () => {
      const c = storedCall();
      const d = storedCall();
      await db.repos.calls.insert(c);
      await db.repos.calls.insert(d);
      await db.repos.recordings.insert(recording(c.id, sha(1)));
      assert.deepEqual(await db.repos.recordings.getByCallId(c.id), recording(c.id, sha(1)));
      assert.equal((await db.repos.recordings.findBySha256(sha(1)))?.callId, c.id);
      assert.equal(await db.repos.recordings.findBySha256(sha(2)), null);
      await assert.rejects(db.transaction((r) => r.recordings.insert(recording(d.id, sha(1)))), (e: { code?: string }) => e.code === 'CONFLICT');
    });

    it('replaces a transcript and keeps segment order and confidence', async () => {
      const c = storedCall();
      await db.repos.calls.insert(c);
      const segs = Array.from({ length: 1200 }, (_, i) => ({ index: i, speaker: i % 2 ? ('customer' as const) : ('agent' as const), startMs: i * 1000, endMs: i * 1000 + 900, text: `第${i}句` }));
      await db.repos.transcripts.save({ callId: c.id, engine: 'provided', language: 'zh-CN', segments: segs });
      await db.repos.transcripts.save({ callId: c.id, engine: 'sherpa-onnx', language: 'zh-CN', segments: [{ ...segs[0]!, confidence: 0.5 }] });
      const got = await db.repos.transcripts.get(c.id);
      assert.equal(got?.engine, 'sherpa-onnx');
      assert.deepEqual(got?.segments, [{ ...segs[0]!, confidence: 0.5 }]);
      await db.repos.transcripts.save({ callId: c.id, engine: 'provided', language: 'zh-CN', segments: segs });
      assert.deepEqual((await db.repos.transcripts.get(c.id))?.segments, segs);
      assert.equal(await db.repos.transcripts.get('missing'), null);
    });

    it('keeps what the ASR engine heard beside the corrected text of a segment', async () => {
      const c = storedCall();
      await db.repos.calls.insert(c);
      const segments = [
        { index: 0, speaker: 'customer' as const, startMs: 0, endMs: 2000, text: '我的圆通快递到了吗', rawText: '我的圆桶快递到了吗', confidence: 0.8 },
        { index: 1, speaker: 'agent' as const, startMs: 2000, endMs: 4000, text: '您好，我帮您查一下' },
      ];
      await db.repos.transcripts.save({ callId: c.id, engine: 'sherpa-onnx', language: 'zh-CN', segments });
      const got = await db.repos.transcripts.get(c.id);
      assert.deepEqual(got?.segments, segments);
      assert.equal('rawText' in got!.segments[1]!, false, 'absent, not undefined or null, where nothing was corrected');
    });

    it('replaces signals and inspection documents', async () => {
      const c = storedCall();
      await db.repos.calls.insert(c);
      const signals = { ...signalsFromTranscript([], { durationMs: 10, language: 'zh-CN' }), talkMs: { agent: 1, customer: 2 }, speechRate: { agent: null, customer: 120 } };
      await db.repos.artifacts.saveSignals(c.id, signals, 1);
      await db.repos.artifacts.saveSignals(c.id, { ...signals, durationMs: 20 }, 2);
      assert.equal((await db.repos.artifacts.getSignals(c.id))?.durationMs, 20);
      assert.equal(await db.repos.artifacts.getVoiceActivity(c.id), null);
      const activity = { detector: 'silero', durationMs: 9000, channels: [{ channel: 0, speaker: 'agent' as const, spans: [{ startMs: 100, endMs: 900, rmsDbfs: -21.5, peakDbfs: -3 }], loudness: { rmsDbfs: null, peakDbfs: null } }] };
      await db.repos.artifacts.saveVoiceActivity(c.id, activity, 1);
      assert.deepEqual(await db.repos.artifacts.getVoiceActivity(c.id), activity);
      assert.equal(await db.repos.artifacts.getInspection(c.id), null);
      const inspection = { ruleSetVersion: 'v1', results: [], score: null };
      await db.repos.artifacts.saveInspection(c.id, inspection, 3);
      assert.deepEqual(await db.repos.artifacts.getInspection(c.id), inspection);
    });

    it('claims each due job exactly once, even with many claims at the same time', async () => {
      const now = 10_000_000;
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const c = storedCall();
        ids.push(c.id);
        await db.repos.calls.insert(c);
        await db.repos.jobs.enqueue({ callId: c.id, stage: 'decode', maxAttempts: 3, runAfter: now, now });
      }
      const later = storedCall();
      await db.repos.calls.insert(later);
      await db.repos.jobs.enqueue({ callId: later.id, stage: 'decode', maxAttempts: 3, runAfter: now + 60_000, now });
      const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => db.repos.jobs.claim(`w${i}`, now, 5000)));
      const got = claims.filter((j) => j !== null);
      const ours = got.filter((j) => ids.includes(j.callId));
      assert.equal(new Set(ours.map((j) => j.id)).size, ours.length, 'no job claimed twice');
      assert.ok(ours.length === 20, `all 20 due jobs claimed (got ${ours.length})`);
      assert.ok(!got.some((j) => j.callId === later.id), 'a job is not claimed before its runAfter');
      for (const j of ours) {
        assert.equal(j.status, 'running');
        assert.equal(j.attempts, 1);
        assert.equal(j.lockedUntil, now + 5000);
      }
      // finish everything we claimed so later tests see a clean queue
      for (const j of got) assert.equal(await db.repos.jobs.markDone(j.id, j.lockedBy!, now), true);
      const due = await db.repos.jobs.claim('w-late', now + 60_000, 5000);
      assert.equal(due?.callId, later.id, 'claimed once due');
      await db.repos.jobs.markDone(due.id, 'w-late', now);
    });

    it('moves a job through retry, renew, release, done and failed', async () => {
      const c = storedCall();
      await db.repos.calls.insert(c);
      const t = 20_000_000;
      await db.repos.jobs.enqueue({ callId: c.id, stage: 'vad', maxAttempts: 2, runAfter: t, now: t });
      const j = await db.repos.jobs.claim('w1', t, 1000);
      assert.ok(j && j.callId === c.id);
      assert.equal(await db.repos.jobs.renew(j.id, 'someone-else', t + 5000), false);
      assert.equal(await db.repos.jobs.renew(j.id, 'w1', t + 5000), true);
      assert.deepEqual((await db.repos.jobs.listRunning()).find((r) => r.id === j.id)?.lockedUntil, t + 5000);
      assert.equal(await db.repos.jobs.markRetry(j.id, 'someone-else', t + 2000, 'x', t), false, 'only the holder moves a job');
      assert.equal(await db.repos.jobs.markRetry(j.id, 'w1', t + 2000, 'timeout talking to ASR', t), true);
      assert.equal(await db.repos.jobs.claim('w1', t + 1000, 1000), null, 'not due yet');
      assert.equal(await db.repos.jobs.nextRunAfter(), t + 2000);
      const again = await db.repos.jobs.claim('w2', t + 2000, 1000);
      assert.equal(again?.id, j.id);
      assert.equal(again?.attempts, 2);
      assert.equal(again?.lastError, 'timeout talking to ASR');
      // w1 lost the job: its late result must not land
      assert.equal(await db.repos.jobs.markDone(j.id, 'w1', t + 3000), false, 'a taken-over worker cannot finish the job');
      assert.equal(await db.repos.jobs.markRetry(j.id, 'w2', t + 3000, 'worker died', t + 3000), true);
      const third = await db.repos.jobs.claim('w3', t + 3000, 1000);
      assert.equal(third?.attempts, 3);
      assert.equal(await db.repos.jobs.markFailed(j.id, 'w2', 'x', t + 4000), false);
      assert.equal(await db.repos.jobs.markFailed(j.id, 'w3', 'gave up', t + 4000), true);
      assert.equal(await db.repos.jobs.markDone(j.id, 'w3', t + 4000), false, 'a failed job stays failed');
      const failed = await db.repos.jobs.get(j.id);
      assert.equal(failed?.status, 'failed');
      assert.equal(failed?.lastError, 'gave up');
      assert.equal(failed?.lockedBy, null);
      // re-enqueue (re-inspection) resets the same job instead of adding a second one
      await db.repos.jobs.enqueue({ callId: c.id, stage: 'vad', maxAttempts: 2, runAfter: t, now: t + 5000 });
      const jobs = await db.repos.jobs.listForCall(c.id);
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0]?.status, 'queued');
      assert.equal(jobs[0]?.attempts, 0);
      const claimed = await db.repos.jobs.claim('w4', t + 5000, 1000);
      assert.equal(await db.repos.jobs.markDone(claimed!.id, 'w4', t + 6000), true);
      const counts = await db.repos.jobs.countByStageAndStatus();
      assert.ok(counts.some((r) => r.stage === 'vad' && r.status === 'done' && r.count >= 1));
    });

    it('keeps every correction dictionary version; a save never overwrites one', async () => {
      const dicts = db.repos.corrections;
      assert.equal(await dicts.latest(), null, 'nothing saved yet');
      assert.deepEqual(await dicts.listVersions(), []);
      const first = { note: '快递公司', terms: [{ term: '圆通快递', aliases: ['圆桶快递'] }, { term: '中通快递' }] };
      const second = { terms: [{ term: '豆沙色', minSimilarity: 0.9, keep: ['豆沙糕'] }] };
      assert.equal(await dicts.append(first, { createdAt: 1_700_000_000_000, createdBy: 'qa-manager' }), 1);
      assert.equal(await dicts.append(second, { createdAt: 1_700_000_001_000 }), 2);
      assert.deepEqual(await dicts.get(1), { version: 1, doc: first, note: '快递公司', createdAt: 1_700_000_000_000, createdBy: 'qa-manager' });
      assert.deepEqual(await dicts.latest(), { version: 2, doc: second, note: null, createdAt: 1_700_000_001_000, createdBy: null });
      assert.equal(await dicts.get(3), null);
      assert.deepEqual(await dicts.listVersions(), [
        { version: 2, note: null, createdAt: 1_700_000_001_000, createdBy: null, terms: 1 },
        { version: 1, note: '快递公司', createdAt: 1_700_000_000_000, createdBy: 'qa-manager', terms: 2 },
      ]);
    });

    it('numbers concurrent dictionary saves 1, 2, 3… without duplicates or gaps, also in transactions', async () => {
      const dicts = db.repos.corrections;
      const before = (await dicts.latest())?.version ?? 0;
      const doc = (i: number) => ({ terms: [{ term: `第${i}个术语` }] });
      const versions = await Promise.all(Array.from({ length: 12 }, (_, i) => dicts.append(doc(i), { createdAt: i })));
      assert.deepEqual([...versions].sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => before + 1 + i));
      for (const [i, v] of versions.entries()) assert.deepEqual((await dicts.get(v))?.doc, doc(i), `version ${v} holds what its save sent`);
      // A save rolled back with its transaction leaves no gap; one inside a transaction counts on.
      await assert.rejects(
        db.transaction(async (r) => {
          await r.corrections.append(doc(100), { createdAt: 100 });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await db.transaction((r) => r.corrections.append(doc(101), { createdAt: 101 })), before + 13);
      const [inTx, concurrent] = await Promise.all([
        db.transaction((r) => r.corrections.append(doc(102), { createdAt: 102 })),
        dicts.append(doc(103), { createdAt: 103 }),
      ]);
      assert.deepEqual([inTx, concurrent].sort((a, b) => a - b), [before + 14, before + 15]);
      assert.deepEqual((await dicts.listVersions()).map((v) => v.version), Array.from({ length: before + 15 }, (_, i) => before + 15 - i));
    });
  });
}
