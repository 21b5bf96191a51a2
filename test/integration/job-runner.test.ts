import assert from 'node:assert/strict';
import { processTag } from '../../src/platform/process-identity.js';
import { after, before, describe, it } from 'node:test';
import type { AppContext } from '../../src/app/app-context.js';
import { TingjianError } from '../../src/domain/errors.js';
import type { Database } from '../../src/ports/repositories.js';
import { JobRunner } from '../../src/pipeline/job-runner.js';
import type { StageHandler, StageHandlers } from '../../src/pipeline/stage-handler.js';
import { stageHandlers } from '../../src/pipeline/stage-handlers.js';
import { STAGES, type StageName } from '../../src/pipeline/stages.js';
import { waitForCalls } from '../../src/pipeline/wait-for-calls.js';
import { testApp, transcriptInput } from '../support/factories.js';

/** The real handlers, with one stage replaced. */
const withStage = (stage: StageName, handler: StageHandler): StageHandlers => ({ ...stageHandlers, [stage]: handler });

describe('job runner (embedded queue on SQLite)', () => {
  let app: AppContext;
  before(async () => {
    app = await testApp({ workers: false });
  });
  after(() => app.close());

  const runner = (handlers: StageHandlers, opts: Partial<ConstructorParameters<typeof JobRunner>[1]> = {}) =>
    new JobRunner({ db: app.db, blobs: app.blobs, media: app.media, log: app.log, handlers }, { concurrency: 2, leaseMs: 30_000, maxAttempts: 3, retryBaseMs: 20, pollMs: 20, ...opts });
  const newCall = async () => (await app.ingest.accept({ input: transcriptInput() })).call.id;

  it('walks a call through every stage in order and records each on the call', async () => {
    const order: StageName[] = [];
    const handlers = Object.fromEntries(STAGES.map((s) => [s, async (ctx: Parameters<StageHandler>[0]) => (order.push(s), stageHandlers[s](ctx))])) as StageHandlers;
    const r = runner(handlers);
    const id = await newCall();
    await r.start();
    const [call] = await waitForCalls(app.db, [id], { timeoutMs: 10_000 });
    await r.stop();
    assert.deepEqual(order, [...STAGES]);
    assert.equal(call?.status, 'done');
    assert.equal(call?.stages.transcribe.status, 'done');
    assert.equal(call?.stages.decode.status, 'skipped');
    assert.match(call?.stages.decode.note ?? '', /no audio/);
    assert.ok(await app.db.repos.artifacts.getSignals(id), 'enrich stored signals');
    assert.ok((await app.db.repos.jobs.listForCall(id)).every((j) => j.status === 'done'));
  });

  it('retries a failing stage with growing delays, then marks the call failed with the error', async () => {
    const tries: number[] = [];
    const r = runner(withStage('vad', async () => {
      tries.push(Date.now());
      throw new Error('VAD model crashed');
    }), { retryBaseMs: 60 });
    const id = await newCall();
    await r.start();
    const [call] = await waitForCalls(app.db, [id], { timeoutMs: 10_000 });
    await r.stop();
    assert.equal(tries.length, 3, 'maxAttempts tries');
    const gaps = [tries[1]! - tries[0]!, tries[2]! - tries[1]!];
    assert.ok(gaps[0]! >= 60 * 0.8 - 5, `first retry waited ${gaps[0]} ms`);
    assert.ok(gaps[1]! >= 120 * 0.8 - 5, `second retry waited ${gaps[1]} ms (doubled)`);
    assert.equal(call?.status, 'failed');
    assert.equal(call?.stages.vad.status, 'failed');
    assert.equal(call?.stages.vad.attempts, 3);
    assert.match(call?.stages.vad.error ?? '', /VAD model crashed/);
    assert.equal(call?.stages.transcribe.status, 'pending', 'later stages never ran');
    const job = (await app.db.repos.jobs.listForCall(id)).find((j) => j.stage === 'vad');
    assert.equal(job?.status, 'failed');
  });

  it('recovers from a transient failure', async () => {
    let n = 0;
    const r = runner(withStage('enrich', async (ctx) => {
      if (++n < 3) throw new Error('database briefly unavailable');
      return stageHandlers.enrich(ctx);
    }));
    const id = await newCall();
    await r.start();
    const [call] = await waitForCalls(app.db, [id], { timeoutMs: 10_000 });
    await r.stop();
    assert.equal(call?.status, 'done');
    assert.equal(call?.stages.enrich.attempts, 3);
    assert.equal(call?.stages.enrich.error, undefined, 'a later success clears the error');
  });

  it('does not retry an error in the input itself', async () => {
    let n = 0;
    const r = runner(withStage('decode', async () => {
      n++;
      throw new TingjianError('INVALID_AUDIO', 'the file is corrupt half-way');
    }));
    const id = await newCall();
    await r.start();
    const [call] = await waitForCalls(app.db, [id], { timeoutMs: 10_000 });
    await r.stop();
    assert.equal(n, 1);
    assert.equal(call?.status, 'failed');
    assert.match(call?.stages.decode.error ?? '', /INVALID_AUDIO: the file is corrupt half-way/);
  });

  it('takes back a job whose worker process died, and one whose lease ran out', async () => {
    const dead = await newCall();
    const expired = await newCall();
    const now = Date.now();
    // Simulate crashed workers: their claims stay "running" in the table.
    const j1 = await app.db.repos.jobs.claim(`${processTag(2147483646)}:dead`, now, 3_600_000);
    const j2 = await app.db.repos.jobs.claim('some-other-host:1:x', now, -60_000); // lease ran out a minute ago
    assert.deepEqual(new Set([j1?.callId, j2?.callId]), new Set([dead, expired]));
    const r = runner(stageHandlers);
    await r.start();
    const calls = await waitForCalls(app.db, [dead, expired], { timeoutMs: 10_000 });
    await r.stop();
    for (const c of calls) {
      assert.equal(c.status, 'done');
      assert.equal(c.stages.ingest.attempts, 2, 'the crashed claim counted as an attempt');
    }
  });

  it('fails a stage that keeps killing its worker instead of looping forever', async () => {
    const id = await newCall();
    const now = Date.now();
    // Claims that each "died", until attempts reach the job's maxAttempts.
    const max = (await app.db.repos.jobs.listForCall(id))[0]!.maxAttempts;
    for (let i = 0; i < max; i++) {
      const j = await app.db.repos.jobs.claim(`${processTag(2147483645)}:dead${i}`, now, 3_600_000);
      assert.equal(j?.callId, id);
      if (i < max - 1) await app.db.repos.jobs.markRetry(j.id, j.lockedBy!, now, 'died', now);
    }
    const r = runner(stageHandlers);
    await r.start();
    const [call] = await waitForCalls(app.db, [id], { timeoutMs: 10_000 });
    await r.stop();
    assert.equal(call?.status, 'failed');
    assert.match(call?.stages.ingest.error ?? '', /stopped while running ingest/);
  });

  it('two runners on one database run every stage of every call exactly once', async () => {
    const runs = new Map<string, number>();
    const counting = Object.fromEntries(
      STAGES.map((s) => [s, async (ctx: Parameters<StageHandler>[0]) => {
        const key = `${ctx.call.id}/${s}`;
        runs.set(key, (runs.get(key) ?? 0) + 1);
        return stageHandlers[s](ctx);
      }]),
    ) as StageHandlers;
    const ids = await Promise.all(Array.from({ length: 40 }, newCall));
    const a = runner(counting);
    const b = runner(counting);
    await Promise.all([a.start(), b.start()]);
    const calls = await waitForCalls(app.db, ids, { timeoutMs: 30_000 });
    await Promise.all([a.stop(), b.stop()]);
    assert.ok(calls.every((c) => c.status === 'done'));
    assert.equal(runs.size, ids.length * STAGES.length);
    assert.ok([...runs.values()].every((n) => n === 1), 'no stage ran twice');
  });

  it('survives the database failing mid-job: the worker goes on, and the job is taken back when its lease runs out', async () => {
    let failures = 2; // markStarted, then recording that failure: the job is left `running` under our id
    const flaky: Database = {
      dialect: app.db.dialect,
      repos: app.db.repos,
      migrate: () => app.db.migrate(),
      close: () => app.db.close(),
      transaction: (fn) => (failures-- > 0 ? Promise.reject(new Error('SQLITE_IOERR: disk I/O error')) : app.db.transaction(fn)),
    };
    const r = new JobRunner({ db: flaky, blobs: app.blobs, media: app.media, log: app.log, handlers: stageHandlers }, { concurrency: 1, leaseMs: 1000, maxAttempts: 3, retryBaseMs: 20, pollMs: 20 });
    const id = await newCall();
    await r.start();
    const [call] = await waitForCalls(app.db, [id], { timeoutMs: 15_000 });
    await r.stop();
    assert.ok(failures < 0, 'both injected failures happened');
    assert.equal(call?.status, 'done');
    assert.equal(call?.stages.ingest.attempts, 2, 'the stuck claim counted, then the job ran again');
  });

  it('refuses to start without a handler for every stage', () => {
    const partial = { ...stageHandlers } as Partial<StageHandlers>;
    delete partial.inspect;
    assert.throws(() => runner(partial as StageHandlers), /no handler registered for stage\(s\): inspect/);
  });
});
