import assert from 'node:assert/strict';
import { describe, it, before, after } from 'node:test';
import type { Database, ReinspectionFilter, StoredInspection } from '../../src/ports/repositories.js';
import type { Call } from '../../src/domain/call.js';
import type { Recording } from '../../src/domain/recording.js';
import type { TextAnalysis } from '../../src/domain/text-analysis.js';
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

    it('counts the agents, teams and business lines of the matching calls, most calls first, within a scope and a limit', async () => {
      const base = Date.UTC(2033, 2, 1);
      const tag = Math.random().toString(36).slice(2, 8);
      const spec: Array<[string, string | null, string | null]> = [
        [`A-${tag}-1`, `T-${tag}-1`, '售后'], [`A-${tag}-1`, `T-${tag}-1`, '售后'], [`A-${tag}-1`, `T-${tag}-2`, '售前'],
        [`A-${tag}-2`, `T-${tag}-2`, '售前'], [`A-${tag}-2`, `T-${tag}-2`, null], [`A-${tag}-3`, null, '售后'],
      ];
      for (const [i, [agentId, teamId, businessLine]] of spec.entries()) {
        await db.repos.calls.insert(storedCall({ agentId, teamId, businessLine, startedAt: base + i * 1000 }));
      }
      const window = { from: base, to: base + 60_000 };
      const all = await db.repos.calls.facets(window, 100);
      assert.deepEqual(all.agents, [{ value: `A-${tag}-1`, calls: 3 }, { value: `A-${tag}-2`, calls: 2 }, { value: `A-${tag}-3`, calls: 1 }]);
      assert.deepEqual(all.teams, [{ value: `T-${tag}-2`, calls: 3 }, { value: `T-${tag}-1`, calls: 2 }], 'no entry for calls without a team');
      assert.deepEqual(all.businessLines, [{ value: '售后', calls: 3 }, { value: '售前', calls: 2 }]);
      assert.deepEqual(all.truncated, { agents: false, teams: false, businessLines: false });
      const two = await db.repos.calls.facets(window, 2);
      assert.deepEqual(two.agents.map((a) => a.value), [`A-${tag}-1`, `A-${tag}-2`]);
      assert.deepEqual(two.truncated, { agents: true, teams: false, businessLines: false });
      const scoped = await db.repos.calls.facets({ ...window, scope: { teamIds: [`T-${tag}-2`] } }, 100);
      assert.deepEqual(scoped.agents, [{ value: `A-${tag}-2`, calls: 2 }, { value: `A-${tag}-1`, calls: 1 }], 'only calls in the scope');
      assert.deepEqual(scoped.teams, [{ value: `T-${tag}-2`, calls: 3 }]);
      const later = await db.repos.calls.facets({ from: base + 3000, to: base + 60_000, status: 'processing' }, 100);
      assert.deepEqual(later.agents.map((a) => [a.value, a.calls]), [[`A-${tag}-2`, 2], [`A-${tag}-3`, 1]], 'the time range and status apply');
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

    it('replaces signals and voice activity documents', async () => {
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
      assert.equal(await db.repos.artifacts.getTextAnalysis(c.id), null);
      const text: TextAnalysis = {
        version: 1,
        segments: [{ index: 0, sentiment: { score: -0.62, label: 'negative' }, fillers: [{ start: 0, end: 1 }] }],
        customerSentiment: { score: -0.62, label: 'negative' },
        curve: { points: [], start: null, end: null, lowest: null, turningPoints: [], trend: null },
        topics: [{ id: 'logistics-delay', name: '物流延迟', confidence: 0.8, segments: [0], source: 'rule' }],
        summary: { problem: { segmentIndex: 0, text: '嗯快递三天了还没到' }, actions: [], outcome: 'unresolved', outcomeEvidence: null },
        pii: [],
      };
      await db.repos.artifacts.saveTextAnalysis(c.id, text, 1);
      assert.deepEqual(await db.repos.artifacts.getTextAnalysis(c.id), text);
      assert.deepEqual([...(await db.repos.artifacts.getTextAnalysisMany([c.id, 'nope'])).keys()], [c.id]);
    });

    it('stores a waveform per call, replaced by the next one', async () => {
      const c = storedCall();
      await db.repos.calls.insert(c);
      assert.equal(await db.repos.artifacts.getWaveform(c.id), null);
      const w = { version: 1 as const, durationMs: 720_000, peaks: [[0, 0.5, 1], [0.001, 0.25, 0]] };
      await db.repos.artifacts.saveWaveform(c.id, w, 1);
      assert.deepEqual(await db.repos.artifacts.getWaveform(c.id), w);
      await db.repos.artifacts.saveWaveform(c.id, { ...w, durationMs: 1 }, 2);
      assert.equal((await db.repos.artifacts.getWaveform(c.id))?.durationMs, 1);
      assert.equal(await db.repos.artifacts.getSignals(c.id), null, 'a kind of its own');
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

    // ── Rule engine storage ─────────────────────────────────────────────────────────────────

    /** A rule set version that exists (inspections and re-inspections refer to one). */
    const ruleSetVersion = async (published = true): Promise<number> => {
      const v = await db.repos.ruleSets.append({ rules: [] }, { sha256: sha(Math.floor(Math.random() * 1e9)), createdAt: 1 });
      if (published) await db.repos.ruleSets.publish(v, 2);
      return v;
    };

    /**
     * A full inspection: `rules` maps rule id → hits (0: pass, -1: na). Evidence with and without
     * a segment, labels, reasons, a manual item scored null, a fractional percent.
     */
    const inspection = (version: number, rules: Record<string, number>, score: { percent: number; fatal?: boolean } | null = { percent: 87.5 }): StoredInspection => ({
      ruleSetVersion: version,
      ruleSetHash: sha(version),
      results: Object.entries(rules).map(([ruleId, n]) => ({
        ruleId,
        ruleName: `规则 ${ruleId}`,
        outcome: n > 0 ? ('hit' as const) : n === 0 ? ('pass' as const) : ('na' as const),
        severity: ruleId.startsWith('fatal.') ? ('fatal' as const) : ('normal' as const),
        hits: Math.max(n, 0),
        ...(n < 0 ? { reason: '客户未提及退货' } : {}),
        evidence:
          n > 0
            ? [
                { segmentIndex: 0, startMs: 1200, endMs: 3400, text: '您好，这个不归我们管', spans: [{ start: 3, end: 9 }], label: '不归我们管' },
                { segmentIndex: null, startMs: 5000, endMs: 17_400, text: '静音 12.4 秒', spans: [] },
              ]
            : [],
      })),
      score:
        score === null
          ? null
          : {
              scorecardId: 'ecommerce',
              scorecardName: '电商客服评分表',
              total: 35,
              max: 40,
              percent: score.percent,
              band: score.percent >= 80 ? '良好' : null,
              fatal: score.fatal ?? false,
              pendingManual: 1,
              categories: [{ categoryId: 'service', name: '服务规范', max: 40, score: 35 }],
              items: [
                { itemId: 'greeting', categoryId: 'service', name: '开场白', max: 10, score: 7.5, status: 'scored', fatal: false, hits: 1, ruleIds: Object.keys(rules) },
                { itemId: 'empathy', categoryId: 'service', name: '共情', max: 10, score: null, status: 'manual', fatal: false, hits: 0, ruleIds: [] },
              ],
            },
    });

    it('numbers rule set versions 1, 2, 3…, publishes drafts, and finds the latest published one', async () => {
      const sets = db.repos.ruleSets;
      assert.deepEqual(await sets.listVersions(), []);
      assert.equal(await sets.latestPublished(), null);
      assert.equal(await sets.latestPublishedVersion(), null);
      const body1 = { modules: [{ id: 'general', rules: [{ id: 'forbidden-phrases', keywords: ['不归我们管', '不知道'], weight: 0.5, exceptions: null }] }] };
      const body2 = { modules: [], scorecards: [{ id: 'ecommerce', bands: [{ min: 87.5, name: '良好' }] }] };
      assert.equal(await sets.append(body1, { sha256: sha(11), note: '首版', createdAt: 1_700_000_000_000, createdBy: 'qa-lead' }), 1);
      assert.equal(await sets.append(body2, { sha256: sha(12), createdAt: 1_700_000_001_000 }), 2);
      assert.equal(await sets.append({ modules: [] }, { sha256: sha(13), note: null, createdAt: 1_700_000_002_000, createdBy: null }), 3);
      const draft1 = { version: 1, body: body1, sha256: sha(11), note: '首版', status: 'draft', createdAt: 1_700_000_000_000, createdBy: 'qa-lead', publishedAt: null };
      assert.deepEqual(await sets.get(1), draft1);
      assert.equal(await sets.get(4), null);
      assert.equal(await sets.latestPublished(), null, 'drafts are not published');
      assert.equal(await sets.latestPublishedVersion(), null);

      assert.equal(await sets.publish(2, 1_700_000_005_000), true);
      const published2 = { version: 2, body: body2, sha256: sha(12), note: null, status: 'published', createdAt: 1_700_000_001_000, createdBy: null, publishedAt: 1_700_000_005_000 };
      assert.deepEqual(await sets.latestPublished(), published2);
      assert.equal(await sets.latestPublishedVersion(), 2);
      assert.equal(await sets.publish(2, 1_700_000_009_000), true, 'publishing again is a no-op');
      assert.deepEqual(await sets.get(2), published2, 'the first publish time stays');
      assert.equal(await sets.publish(4, 1_700_000_009_000), false, 'no such version');
      assert.equal(await sets.publish(1, 1_700_000_006_000), true);
      assert.equal(await sets.latestPublishedVersion(), 2, 'the highest published number, not the last published; 3 is a draft');
      assert.deepEqual(await sets.get(1), { ...draft1, status: 'published', publishedAt: 1_700_000_006_000 });
      assert.deepEqual(await sets.listVersions(), [
        { version: 3, sha256: sha(13), note: null, status: 'draft', createdAt: 1_700_000_002_000, createdBy: null, publishedAt: null },
        { version: 2, sha256: sha(12), note: null, status: 'published', createdAt: 1_700_000_001_000, createdBy: null, publishedAt: 1_700_000_005_000 },
        { version: 1, sha256: sha(11), note: '首版', status: 'published', createdAt: 1_700_000_000_000, createdBy: 'qa-lead', publishedAt: 1_700_000_006_000 },
      ]);
      assert.equal(await sets.publish(3, 1_700_000_007_000), true);
      assert.equal((await sets.latestPublished())?.version, 3);
    });

    it('numbers concurrent rule set appends without duplicates or gaps, also in transactions', async () => {
      const sets = db.repos.ruleSets;
      const before = (await sets.listVersions())[0]?.version ?? 0;
      const body = (i: number) => ({ modules: [{ id: `m${i}` }] });
      const versions = await Promise.all(Array.from({ length: 12 }, (_, i) => sets.append(body(i), { sha256: sha(100 + i), createdAt: i })));
      assert.deepEqual([...versions].sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => before + 1 + i));
      for (const [i, v] of versions.entries()) {
        const row = await sets.get(v);
        assert.deepEqual([row?.body, row?.sha256, row?.status], [body(i), sha(100 + i), 'draft'], `version ${v} holds what its append sent`);
      }
      await assert.rejects(
        db.transaction(async (r) => {
          await r.ruleSets.append(body(100), { sha256: sha(200), createdAt: 100 });
          throw new Error('boom');
        }),
        /boom/,
      );
      const [inTx, concurrent] = await Promise.all([
        db.transaction(async (r) => {
          const v = await r.ruleSets.append(body(101), { sha256: sha(201), createdAt: 101 });
          assert.equal(await r.ruleSets.publish(v, 102), true);
          return v;
        }),
        sets.append(body(102), { sha256: sha(202), createdAt: 102 }),
      ]);
      assert.deepEqual([inTx, concurrent].sort((a, b) => a - b), [before + 13, before + 14], 'the rolled-back append left no gap');
      assert.equal(await sets.latestPublishedVersion(), inTx);
      assert.deepEqual((await sets.listVersions()).map((v) => v.version), Array.from({ length: before + 14 }, (_, i) => before + 14 - i));
    });

    it('keeps an inspection per call and rule set version, replacing it and its hit rows on a new save', async () => {
      const [v1, v2] = [await ruleSetVersion(), await ruleSetVersion()];
      const c = storedCall();
      const other = storedCall();
      await db.repos.calls.insert(c);
      await db.repos.calls.insert(other);
      const ins = db.repos.inspections;
      assert.equal(await ins.latest(c.id), null);
      assert.deepEqual(await ins.versionsForCall(c.id), []);

      const first = inspection(v1, { 'general.forbidden-phrases': 2, 'general.greeting': 1, 'general.closing': 0, 'sales.upsell': -1 });
      await ins.save(c.id, first, 1000);
      await ins.save(other.id, inspection(v1, { 'general.greeting': 3, 'fatal.abuse': 1 }, null), 1000);
      assert.deepEqual(await ins.get(c.id, v1), first);
      assert.deepEqual(await ins.latest(c.id), first);
      assert.deepEqual(await ins.countHitsByRule(v1), [
        { ruleId: 'general.greeting', calls: 2, hits: 4 },
        { ruleId: 'fatal.abuse', calls: 1, hits: 1 },
        { ruleId: 'general.forbidden-phrases', calls: 1, hits: 2 },
      ]);

      const replaced = inspection(v1, { 'general.forbidden-phrases': 0, 'general.greeting': 0, 'general.closing': 3 }, { percent: 66.7 });
      await ins.save(c.id, replaced, 2000);
      assert.deepEqual(await ins.get(c.id, v1), replaced);
      assert.deepEqual(await ins.countHitsByRule(v1), [
        { ruleId: 'fatal.abuse', calls: 1, hits: 1 },
        { ruleId: 'general.closing', calls: 1, hits: 3 },
        { ruleId: 'general.greeting', calls: 1, hits: 3 },
      ], 'the old hit rows of the call are gone');

      const second = inspection(v2, { 'general.closing': 1 }, null);
      await ins.save(c.id, second, 3000);
      assert.deepEqual(await ins.latest(c.id), second, 'the highest version stored');
      assert.deepEqual(await ins.get(c.id, v1), replaced, 'a new version never changes an old result');
      assert.deepEqual(await ins.versionsForCall(c.id), [v1, v2]);
      assert.deepEqual(await ins.countHitsByRule(v2), [{ ruleId: 'general.closing', calls: 1, hits: 1 }]);
      assert.equal(await ins.get(c.id, v2 + 1000), null);
      assert.equal(await ins.latest('missing'), null);
      assert.deepEqual(await ins.countHitsByRule(v2 + 1000), []);

      // Atomic with the caller's transaction: nothing of a rolled-back save lands.
      await assert.rejects(
        db.transaction(async (r) => {
          await r.inspections.save(c.id, inspection(v2, { 'general.greeting': 9 }), 4000);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await ins.get(c.id, v2), second);
      assert.deepEqual(await ins.countHitsByRule(v2), [{ ruleId: 'general.closing', calls: 1, hits: 1 }]);
      await assert.rejects(ins.save(c.id, inspection(v2 + 1000, { a: 1 }), 1), 'only a saved rule set version can judge a call');
      await assert.rejects(ins.save('missing', inspection(v2, { a: 1 }), 1), 'only a stored call can be judged');
    });

    it('saves 1,000 inspections in one transaction and reads each back exactly', async () => {
      const [v, vFail] = [await ruleSetVersion(), await ruleSetVersion()];
      const calls = Array.from({ length: 1000 }, () => storedCall());
      await db.transaction(async (r) => {
        for (const c of calls) await r.calls.insert(c);
      });
      const percents = [87.5, 66.7, 0.1 + 0.2, 100, 0, 33.333333333333336];
      const rows = calls.map((c, i) => ({
        callId: c.id,
        inspection: inspection(
          v,
          { [`rule.r${i % 7}`]: i % 3, [`rule.r${(i + 3) % 7}`]: i % 4 === 0 ? -1 : 1, 'fatal.abuse': i % 50 === 0 ? 1 : 0 },
          i % 5 === 0 ? null : { percent: percents[i % percents.length]!, fatal: i % 50 === 0 },
        ),
      }));
      await db.repos.inspections.saveMany(rows, 5000);
      for (const r of rows) assert.deepEqual(await db.repos.inspections.get(r.callId, v), r.inspection);

      const expected = new Map<string, { calls: number; hits: number }>();
      for (const r of rows) {
        for (const res of r.inspection.results.filter((x) => x.outcome === 'hit')) {
          const e = expected.get(res.ruleId) ?? { calls: 0, hits: 0 };
          expected.set(res.ruleId, { calls: e.calls + 1, hits: e.hits + res.hits });
        }
      }
      const counts = await db.repos.inspections.countHitsByRule(v);
      assert.deepEqual(
        counts,
        [...expected].map(([ruleId, e]) => ({ ruleId, ...e })).sort((a, b) => b.calls - a.calls || (a.ruleId < b.ruleId ? -1 : 1)),
      );
      assert.equal(counts.find((x) => x.ruleId === 'fatal.abuse')?.calls, 20);

      // Saving the batch again replaces it; a (call, version) given twice keeps the last.
      const again = rows.slice(0, 600).map((r) => ({ callId: r.callId, inspection: inspection(v, { 'rule.again': 2 }) }));
      const twice = { callId: rows[0]!.callId, inspection: inspection(v, { 'rule.last': 1 }, { percent: 12.5 }) };
      await db.transaction((r) => r.inspections.saveMany([...again, twice], 6000));
      assert.deepEqual(await db.repos.inspections.get(rows[0]!.callId, v), twice.inspection);
      assert.deepEqual(await db.repos.inspections.get(rows[599]!.callId, v), again[599]!.inspection);
      assert.deepEqual(await db.repos.inspections.get(rows[600]!.callId, v), rows[600]!.inspection);
      const after = await db.repos.inspections.countHitsByRule(v);
      assert.deepEqual(after.find((x) => x.ruleId === 'rule.again'), { ruleId: 'rule.again', calls: 599, hits: 1198 });
      assert.deepEqual(after.find((x) => x.ruleId === 'rule.last'), { ruleId: 'rule.last', calls: 1, hits: 1 });

      // One bad row (in the second batch of 500) and none of the 700 lands.
      const failing = calls.slice(0, 699).map((c) => ({ callId: c.id, inspection: inspection(vFail, { 'rule.x': 1 }) }));
      await assert.rejects(db.repos.inspections.saveMany([...failing, { callId: 'missing', inspection: inspection(vFail, { 'rule.x': 1 }) }], 7000));
      assert.equal(await db.repos.inspections.get(calls[0]!.id, vFail), null);
      assert.deepEqual(await db.repos.inspections.countHitsByRule(vFail), []);
      await db.repos.inspections.saveMany([], 7000);
    });

    it('claims the oldest re-inspection once, resumes it after its lease, and stops a cancelled one', async () => {
      const v = await ruleSetVersion();
      const re = db.repos.reinspections;
      const t = 30_000_000;
      const filter = { teamId: 'T9', from: 1, to: 2, callIds: ['c-1', 'c-2'] };
      const j1 = await re.create({ ruleSetVersion: v, filter, total: 2, now: t });
      assert.deepEqual(j1, {
        id: j1.id,
        ruleSetVersion: v,
        filter,
        status: 'queued',
        total: 2,
        done: 0,
        hitCalls: 0,
        cursor: null,
        error: null,
        lockedBy: null,
        lockedUntil: null,
        createdAt: t,
        updatedAt: t,
        finishedAt: null,
      });
      const j2 = await re.create({ ruleSetVersion: v, filter: {}, total: 40, now: t + 1 });
      assert.ok(j2.id > j1.id);
      assert.deepEqual(await re.get(j1.id), j1);
      assert.equal(await re.get(j2.id + 1000), null);
      assert.deepEqual(await re.list(2), [j2, j1]);
      assert.deepEqual(await re.list(1), [j2]);

      const mine = await re.claim('w1', t + 10, 1000);
      assert.deepEqual(mine, { ...j1, status: 'running', lockedBy: 'w1', lockedUntil: t + 1010, updatedAt: t + 10 }, 'the oldest first');
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => re.claim(`c${i}`, t + 20, 1000)));
      const won = claims.filter((j) => j !== null);
      assert.equal(won.length, 1, 'exactly one of many simultaneous claims takes the other job');
      assert.equal(won[0]!.id, j2.id);

      // Cancelling a running job: its worker's next progress is refused.
      assert.equal(await re.cancel(j2.id, t + 30), true);
      assert.equal(await re.progress(j2.id, won[0]!.lockedBy!, { done: 1, hitCalls: 0, cursor: 'c-1', lockedUntil: t + 2000, now: t + 40 }), false);
      assert.equal(await re.finish(j2.id, won[0]!.lockedBy!, 'done', null, t + 40), false);
      assert.deepEqual(await re.get(j2.id), { ...j2, status: 'cancelled', updatedAt: t + 30, finishedAt: t + 30 });
      assert.equal(await re.cancel(j2.id, t + 50), false, 'already over');

      assert.equal(await re.progress(j1.id, 'w2', { done: 1, hitCalls: 1, cursor: 'c-1', lockedUntil: t + 2000, now: t + 500 }), false, 'only the holder');
      assert.equal(await re.progress(j1.id, 'w1', { done: 1, hitCalls: 1, cursor: 'c-1', lockedUntil: t + 2000, now: t + 500 }), true);
      assert.equal(await re.claim('w3', t + 1999, 1000), null, 'the lease was extended to t+2000');
      const resumed = await re.claim('w3', t + 2000, 1000);
      assert.deepEqual(resumed, { ...j1, status: 'running', done: 1, hitCalls: 1, cursor: 'c-1', lockedBy: 'w3', lockedUntil: t + 3000, updatedAt: t + 2000 }, 'taken over where w1 left off');
      assert.equal(await re.progress(j1.id, 'w1', { done: 2, hitCalls: 1, cursor: 'c-2', lockedUntil: t + 4000, now: t + 2100 }), false, 'w1 lost it');
      assert.equal(await re.finish(j1.id, 'w1', 'done', null, t + 2100), false);
      assert.equal(await re.progress(j1.id, 'w3', { done: 2, hitCalls: 2, cursor: 'c-2', lockedUntil: t + 4000, now: t + 2200 }), true);
      assert.equal(await re.finish(j1.id, 'w3', 'done', null, t + 2300), true);
      const finished = { ...j1, status: 'done', done: 2, hitCalls: 2, cursor: 'c-2', updatedAt: t + 2300, finishedAt: t + 2300 };
      assert.deepEqual(await re.get(j1.id), finished);
      assert.equal(await re.finish(j1.id, 'w3', 'failed', 'late', t + 2400), false, 'a finished job stays finished');
      assert.equal(await re.cancel(j1.id, t + 2400), false);
      assert.equal(await re.claim('w4', t + 1_000_000, 1000), null, 'done and cancelled jobs are not claimed');

      const j3 = await re.create({ ruleSetVersion: v, filter: { channel: 'chat' }, total: 0, now: t + 3000 });
      const j4 = await re.create({ ruleSetVersion: v, filter: {}, total: 5, now: t + 3001 });
      assert.equal(await re.cancel(j4.id, t + 3002), true, 'a queued job can be cancelled');
      assert.equal((await re.claim('w5', t + 3003, 1000))?.id, j3.id);
      assert.equal(await re.finish(j3.id, 'w5', 'failed', 'rule set 9 was deleted', t + 3004), true);
      assert.deepEqual(await re.get(j3.id), { ...j3, status: 'failed', error: 'rule set 9 was deleted', updatedAt: t + 3004, finishedAt: t + 3004 });
      assert.equal((await re.get(j4.id))?.status, 'cancelled');
      assert.equal(await re.claim('w6', t + 1_000_000, 1000), null);
      assert.deepEqual((await re.list(10)).slice(0, 4).map((j) => j.id), [j4.id, j3.id, j2.id, j1.id]);
    });

    it('lists the calls of a re-inspection in id order, page by page, with every filter field', async () => {
      const team = `team-${Math.random().toString(36).slice(2)}`;
      const base = Date.UTC(2032, 0, 1);
      // Ids inserted out of order; some calls have no startedAt and are placed by when they were accepted.
      const calls = Array.from({ length: 30 }, (_, i) => {
        const n = (i * 7) % 30;
        return storedCall({
          id: `${team}-${String(n).padStart(2, '0')}`,
          teamId: team,
          startedAt: n % 6 === 0 ? null : base + n * 1000,
          createdAt: base + n * 1000 + 500,
          agentId: n % 3 === 0 ? 'A-1' : 'A-2',
          businessLine: n % 2 === 0 ? '电商客服' : '售后',
          channel: n % 4 === 0 ? 'chat' : 'phone',
        });
      });
      for (const c of calls) await db.repos.calls.insert(c);
      await db.repos.calls.insert(storedCall({ teamId: `${team}-other`, startedAt: base }));
      const occurred = (c: (typeof calls)[number]) => c.startedAt ?? c.createdAt;
      const pick = [calls[3]!.id, calls[17]!.id, calls[9]!.id, 'no-such-call'];
      const cases: Array<[ReinspectionFilter, (c: (typeof calls)[number]) => boolean]> = [
        [{ teamId: team }, () => true],
        [{ teamId: team, from: base + 6000, to: base + 18_500 }, (c) => occurred(c) >= base + 6000 && occurred(c) < base + 18_500],
        [{ teamId: team, agentId: 'A-1' }, (c) => c.agentId === 'A-1'],
        [{ teamId: team, businessLine: '售后' }, (c) => c.businessLine === '售后'],
        [{ teamId: team, channel: 'chat' }, (c) => c.channel === 'chat'],
        [{ teamId: team, callIds: pick }, (c) => pick.includes(c.id)],
        [{ teamId: team, callIds: [] }, () => false],
        [{ teamId: team, channel: 'phone', agentId: 'A-2', businessLine: '电商客服', from: base + 1000, to: base + 29_000 }, (c) => c.channel === 'phone' && c.agentId === 'A-2' && c.businessLine === '电商客服' && occurred(c) >= base + 1000 && occurred(c) < base + 29_000],
      ];
      for (const [filter, match] of cases) {
        const expected = calls.filter(match).map((c) => c.id).sort();
        const narrows = Object.keys(filter).length > 1 && filter.callIds?.length !== 0;
        if (narrows) assert.ok(expected.length > 0 && expected.length < calls.length, `${JSON.stringify(filter)} picks some calls, not all`);
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const page: Call[] = await db.repos.calls.listForReinspection(filter, after, 4);
          assert.ok(page.length <= 4);
          seen.push(...page.map((c) => c.id));
          if (page.length < 4) break;
          after = page[page.length - 1]!.id;
        }
        assert.deepEqual(seen, expected, `pages of ${JSON.stringify(filter)}`);
        assert.equal(await db.repos.calls.countForReinspection(filter), expected.length, `count of ${JSON.stringify(filter)}`);
      }
      const first = await db.repos.calls.listForReinspection({ teamId: team }, null, 1);
      assert.deepEqual(first, [calls.find((c) => c.id === `${team}-00`)], 'whole calls, as get() reads them');
      assert.deepEqual(await db.repos.calls.listForReinspection({ teamId: team }, `${team}-28`, 10), [calls.find((c) => c.id === `${team}-29`)]);
      // A long id list is one parameter, not one each (SQLite allows 32766).
      const many = [...Array.from({ length: 40_000 }, (_, i) => `nope-${i}`), calls[5]!.id];
      assert.deepEqual((await db.repos.calls.listForReinspection({ callIds: many }, null, 10)).map((c) => c.id), [calls[5]!.id]);
      assert.equal(await db.repos.calls.countForReinspection({ callIds: many }), 1);
    });

    it('reads the transcripts and signals of many calls at once, exactly as one by one', async () => {
      const calls = Array.from({ length: 4 }, () => storedCall());
      for (const c of calls) await db.repos.calls.insert(c);
      const [full, empty, signalsOnly, nothing] = calls.map((c) => c.id) as [string, string, string, string];
      const segments = Array.from({ length: 12 }, (_, i) => ({
        index: i,
        speaker: i % 2 ? ('customer' as const) : ('agent' as const),
        startMs: i * 1000,
        endMs: i * 1000 + 800,
        text: `第${i}句`,
        ...(i % 3 === 0 ? { rawText: `第${i}据`, confidence: 0.75 } : {}),
      }));
      await db.repos.transcripts.save({ callId: full, engine: 'sherpa-onnx', language: 'zh-CN', segments: [...segments].reverse() });
      await db.repos.transcripts.save({ callId: empty, engine: 'provided', language: 'en-US', segments: [] });
      const signals = signalsFromTranscript(segments, { durationMs: 12_000, language: 'zh-CN' });
      await db.repos.artifacts.saveSignals(full, signals, 1);
      await db.repos.artifacts.saveSignals(signalsOnly, { ...signals, durationMs: 99 }, 1);
      // Past one IN list of 500, with duplicates and ids that have nothing.
      const ids = [full, ...Array.from({ length: 700 }, (_, i) => `missing-${i}`), empty, signalsOnly, nothing, full];

      const transcripts = await db.repos.transcripts.getMany(ids);
      assert.deepEqual([...transcripts.keys()].sort(), [full, empty].sort());
      assert.deepEqual(transcripts.get(full), await db.repos.transcripts.get(full));
      assert.deepEqual(transcripts.get(full), { callId: full, engine: 'sherpa-onnx', language: 'zh-CN', segments }, 'segments in index order');
      assert.deepEqual(transcripts.get(empty), { callId: empty, engine: 'provided', language: 'en-US', segments: [] });
      assert.deepEqual(transcripts.get(empty), await db.repos.transcripts.get(empty));
      assert.equal(transcripts.get(nothing), undefined);
      assert.deepEqual(await db.repos.transcripts.getMany([]), new Map());

      const many = await db.repos.artifacts.getSignalsMany(ids);
      assert.deepEqual([...many.keys()].sort(), [full, signalsOnly].sort());
      assert.deepEqual(many.get(full), await db.repos.artifacts.getSignals(full));
      assert.deepEqual(many.get(signalsOnly), await db.repos.artifacts.getSignals(signalsOnly));
      assert.equal(many.get(signalsOnly)?.durationMs, 99);
      assert.deepEqual(await db.repos.artifacts.getSignalsMany([]), new Map());
    });
  });
}
