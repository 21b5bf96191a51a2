import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/adapters/db/open-database.js';
import type { Call } from '../src/domain/call.js';
import type { JudgeInput } from '../src/inspect/judge/call-view.js';
import { storedCallBatches } from '../src/inspect/stored-calls.js';
import { initialStages } from '../src/pipeline/stages.js';

/**
 * Part of bench:rules: how fast stored calls (metadata, transcript, signals) come out of SQLite in
 * the batches re-inspection reads — the other half of "re-inspect 1,000,000 calls in a minute".
 */
export async function measureStorageRead(n: number, samples: JudgeInput[]): Promise<{ calls: number; callsPerSec: number; loadSeconds: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tingjian-bench-rules-'));
  const db = await openDatabase(`sqlite:${path.join(dir, 'bench.db')}`);
  try {
    await db.migrate();
    const t0 = performance.now();
    for (let i = 0; i < n; i += 500) {
      await db.transaction(async (repos) => {
        for (let k = i; k < Math.min(n, i + 500); k++) {
          const s = samples[k % samples.length]!;
          const id = randomUUID();
          const call: Call = { ...s.call, id, externalId: `bench-${k}`, startedAt: null, customerPhone: null, status: 'done', stages: initialStages(), createdAt: k, updatedAt: k };
          await repos.calls.insert(call);
          await repos.transcripts.save({ callId: id, engine: 'provided', language: 'zh-CN', segments: s.transcript!.segments });
          await repos.artifacts.saveSignals(id, s.signals!, k);
        }
      });
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    let read = 0;
    const t1 = performance.now();
    for await (const batch of storedCallBatches(db, {})) read += batch.length;
    const secs = (performance.now() - t1) / 1000;
    return { calls: read, callsPerSec: Math.round(read / secs), loadSeconds: Math.round(loadSeconds) };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
