import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { STAGES } from '../../src/pipeline/stages.js';
import { cliAdminToken, longRunning, spawnCli } from '../support/cli.js';
import { callInput, tempDir, wavBuffer } from '../support/factories.js';

const N = 200;

const ENV = { TINGJIAN_UPLOAD_RATE_LIMIT_PER_MINUTE: '0', TINGJIAN_WORKER_CONCURRENCY: '1', TINGJIAN_RETRY_BASE_MS: '100' };
const cli = (args: string[], dataDir: string) => spawnCli(args, { dataDir, env: ENV });

/** The administrator token of the data dir the server runs on (made once per data dir). */
const tokens = new Map<string, { authorization: string }>();
let auth: { authorization: string } = { authorization: '' };

async function startServer(dataDir: string) {
  if (!tokens.has(dataDir)) tokens.set(dataDir, await cliAdminToken({ dataDir, env: ENV }));
  auth = tokens.get(dataDir)!;
  const server = longRunning(['serve', '--port', '0'], { dataDir, env: ENV });
  const [, base] = await server.waitFor(/API on (http:\/\/[^\s]+)/, 30_000);
  return { proc: server.child, base: base! };
}

const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

function uploads() {
  return Array.from({ length: N }, (_, i) => ({
    metadata: callInput({ externalId: `crash-${i}`, agentId: `A${i % 7}` }),
    audio: wavBuffer({ seconds: 4, seed: 1000 + i }),
  }));
}

/** POST every upload with `concurrency` in flight; resolves with the status of each (0 = connection lost). */
async function postAll(base: string, items: ReturnType<typeof uploads>, concurrency: number, onResponse?: (done: number) => void) {
  const statuses: number[] = new Array(items.length).fill(0);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        const form = new FormData();
        form.set('metadata', JSON.stringify(items[i]!.metadata));
        form.set('audio', new Blob([items[i]!.audio]), `call-${i}.wav`);
        try {
          statuses[i] = (await fetch(`${base}/api/v1/calls`, { method: 'POST', body: form, headers: auth })).status;
        } catch {
          statuses[i] = 0;
        }
        onResponse?.(++done);
      }
    }),
  );
  return statuses;
}

async function assertExactlyOnceAndDone(dataDir: string, externalIds: string[]) {
  const db = await openDatabase(`sqlite:${path.join(dataDir, 'tingjian.db')}`);
  try {
    const page = await db.repos.calls.list({}, { limit: 1000 });
    assert.equal(page.items.length, externalIds.length, 'each call stored exactly once');
    assert.deepEqual(page.items.map((c) => c.externalId).sort(), [...externalIds].sort());
    const notDone = page.items.filter((c) => c.status !== 'done');
    assert.deepEqual(notDone.map((c) => `${c.externalId}:${c.status}`), [], 'every call finished the pipeline');
    for (const c of page.items) {
      const jobs = await db.repos.jobs.listForCall(c.id);
      assert.deepEqual(jobs.map((j) => j.stage).sort(), [...STAGES].sort(), 'one job per stage, none duplicated');
    }
  } finally {
    await db.close();
  }
  const blobs = readdirSync(path.join(dataDir, 'recordings/sha256'), { recursive: true }).filter((f) => /[0-9a-f]{64}$/.test(String(f)));
  assert.equal(blobs.length, externalIds.length, 'one stored original per call');
}

async function waitUntilIdle(base: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = (await (await fetch(`${base}/api/v1/pipeline`, { headers: auth })).json()) as { calls: { processing: number } };
    if (p.calls.processing === 0) return;
    if (Date.now() > deadline) throw new Error(`still ${p.calls.processing} calls processing`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('crash recovery with real processes', { timeout: 240_000 }, () => {
  const procs: ChildProcess[] = [];
  const dirs: Array<() => void> = [];
  after(() => {
    for (const p of procs) p.kill('SIGKILL');
    for (const d of dirs) d();
  });

  it('HTTP: 200 calls land exactly once when the server is SIGKILLed mid-way, restarted and sent the batch again', async () => {
    const tmp = tempDir();
    dirs.push(tmp.cleanup);
    const items = uploads();
    const first = await startServer(tmp.dir);
    procs.push(first.proc);
    let killedAt = -1;
    const statuses = await postAll(first.base, items, 6, (done) => {
      if (done === 80 && killedAt < 0) {
        killedAt = done;
        first.proc.kill('SIGKILL');
      }
    });
    await exited(first.proc);
    const acknowledged = items.filter((_, i) => statuses[i] === 201 || statuses[i] === 200).map((it) => it.metadata.externalId as string);
    assert.ok(acknowledged.length >= 60 && acknowledged.length < N, `the kill interrupted the batch (${acknowledged.length} acknowledged)`);

    // What the kill left behind: every acknowledged call is stored; some were mid-pipeline.
    const db = await openDatabase(`sqlite:${path.join(tmp.dir, 'tingjian.db')}`);
    const stored = (await db.repos.calls.list({}, { limit: 1000 })).items;
    const interrupted = stored.filter((c) => c.status === 'processing').length;
    await db.close();
    for (const id of acknowledged) assert.ok(stored.some((c) => c.externalId === id), `acknowledged call ${id} survived the kill`);
    assert.ok(interrupted > 0, 'the kill caught calls in the middle of the pipeline');

    const second = await startServer(tmp.dir);
    procs.push(second.proc);
    const again = await postAll(second.base, items, 6);
    assert.ok(again.every((s) => s === 200 || s === 201), `every re-sent call answered 200/201: ${[...new Set(again)].join(',')}`);
    assert.equal(again.filter((s) => s === 201).length, N - stored.length, 'only calls the first server never stored are created now');
    await waitUntilIdle(second.base, 120_000);
    second.proc.kill('SIGTERM');
    await exited(second.proc);
    assert.equal(second.proc.exitCode, 0, 'SIGTERM shuts down cleanly');
    await assertExactlyOnceAndDone(tmp.dir, items.map((it) => it.metadata.externalId as string));
    assert.deepEqual(readdirSync(path.join(tmp.dir, 'recordings/.staging')), [], 'no staged leftovers after restart');
  });

  it('CLI: `ingest --wait` SIGKILLed mid-way and run again lands 200 calls exactly once', async () => {
    const tmp = tempDir();
    dirs.push(tmp.cleanup);
    const folder = path.join(tmp.dir, 'in');
    mkdirSync(folder);
    const items = uploads();
    items.forEach((it, i) => {
      writeFileSync(path.join(folder, `call-${String(i).padStart(3, '0')}.wav`), it.audio);
      writeFileSync(path.join(folder, `call-${String(i).padStart(3, '0')}.json`), JSON.stringify(it.metadata));
    });
    const dataDir = path.join(tmp.dir, 'data');
    const first = cli(['ingest', folder, '--wait'], dataDir);
    procs.push(first);
    await new Promise<void>((resolve) => {
      let err = '';
      first.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        // progress lines every 10 %: kill once ingest is 40 % through
        if (/ingest\s+\[.*\] (8\d|9\d|1\d\d)\/200/.test(err)) {
          first.kill('SIGKILL');
          resolve();
        }
      });
      first.once('exit', () => resolve());
    });
    await exited(first);
    assert.equal(first.signalCode, 'SIGKILL', 'the first run was killed mid-way');
    const db = await openDatabase(`sqlite:${path.join(dataDir, 'tingjian.db')}`);
    const leftBehind = (await db.repos.calls.list({}, { limit: 1000 })).items;
    await db.close();
    assert.ok(leftBehind.length > 0 && leftBehind.length < N, `the kill left a partial batch (${leftBehind.length} stored)`);
    assert.ok(leftBehind.some((c) => c.status === 'processing'), 'the kill caught calls in the middle of the pipeline');

    const second = cli(['ingest', folder, '--wait'], dataDir);
    procs.push(second);
    let out = '';
    second.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await exited(second);
    assert.equal(second.exitCode, 0);
    assert.match(out, /crash-199/);
    await assertExactlyOnceAndDone(dataDir, items.map((it) => it.metadata.externalId as string));
  });
});
