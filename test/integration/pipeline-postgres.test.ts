import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppContext } from '../../src/app/app-context.js';
import { JobRunner } from '../../src/pipeline/job-runner.js';
import { stageHandlers } from '../../src/pipeline/stage-handlers.js';
import { waitForCalls } from '../../src/pipeline/wait-for-calls.js';
import { callInput, tempDir, testApp, transcriptInput, wavBuffer } from '../support/factories.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

describe('the whole pipeline on PostgreSQL (scale-out mode)', () => {
  let pg: ThrowawayPostgres | null = null;
  let app: AppContext;
  before(async () => {
    if (!postgresAvailable()) return;
    pg = await startThrowawayPostgres();
    app = await testApp({ workers: false, config: { databaseUrl: pg.url } });
  });
  after(async () => {
    if (!pg) return;
    await app.close();
    await pg.stop();
  });

  it('ingests audio and transcripts, and three worker pools finish every call exactly once', async (t) => {
    if (!needs(t, 'PostgreSQL', pg !== null, POSTGRES_INSTALL)) return;
    const tmp = tempDir();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await app.ingest.accept({ input: transcriptInput() })).call.id);
    for (let i = 0; i < 5; i++) {
      const file = path.join(tmp.dir, `c${i}.wav`);
      writeFileSync(file, wavBuffer({ seconds: 1, seed: 500 + i }));
      ids.push((await app.ingest.acceptFile(file, callInput(), `c${i}.wav`)).call.id);
    }
    // idempotent on PostgreSQL too
    const again = await app.ingest.acceptFile(path.join(tmp.dir, 'c0.wav'), {}, 'c0.wav');
    assert.equal(again.created, false);
    assert.equal(again.matchedBy, 'sha256');

    const runs = new Map<string, number>();
    const counting = Object.fromEntries(
      Object.entries(stageHandlers).map(([s, h]) => [s, async (ctx: Parameters<typeof h>[0]) => {
        runs.set(`${ctx.call.id}/${s}`, (runs.get(`${ctx.call.id}/${s}`) ?? 0) + 1);
        return h(ctx);
      }]),
    ) as typeof stageHandlers;
    const runners = Array.from({ length: 3 }, () => new JobRunner({ db: app.db, blobs: app.blobs, media: app.media, log: app.log, handlers: counting }, { concurrency: 3, leaseMs: 30_000, maxAttempts: 3, retryBaseMs: 50, pollMs: 20 }));
    await Promise.all(runners.map((r) => r.start()));
    const calls = await waitForCalls(app.db, ids, { timeoutMs: 60_000 });
    await Promise.all(runners.map((r) => r.stop()));
    tmp.cleanup();
    assert.deepEqual(calls.filter((c) => c.status !== 'done').map((c) => c.id), []);
    assert.ok([...runs.values()].every((n) => n === 1), 'SKIP LOCKED: no stage ran twice');
    assert.equal(runs.size, ids.length * 7);
    const detail = await app.calls.detail(ids[0]!);
    assert.ok(detail.signals && detail.transcript?.segments.length === 3);
    const audio = await app.calls.detail(ids[30]!);
    assert.match(audio.call.stages.ingest.note ?? '', /original verified/);
  });
});
