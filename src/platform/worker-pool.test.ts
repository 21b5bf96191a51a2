import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyAndHashOffThread } from '../adapters/blob/file-copy-hasher.js';
import { TingjianError } from '../domain/errors.js';
import { WorkerExitError, WorkerPool, WorkerTaskError } from './worker-pool.js';

/** Echoes with the thread id, sums transferred samples, sleeps, throws, or exits, as asked. */
const TEST_SETUP = `(data) => {
  const { threadId } = require('node:worker_threads');
  return async (req) => {
    if (req.sleepMs) await new Promise((r) => setTimeout(r, req.sleepMs));
    if (req.throw) throw Object.assign(new Error(req.throw), { code: 'E_TEST' });
    if (req.exit) process.exit(7);
    const sum = req.samples ? req.samples.reduce((a, b) => a + b, 0) : null;
    return { threadId, prefix: data.prefix, echo: req.echo, sum };
  };
}`;

type Req = { echo?: string; sleepMs?: number; throw?: string; exit?: boolean; samples?: Float32Array };
type Res = { threadId: number; prefix: string; echo?: string; sum: number | null };

const pool = (size: number, setupSource = TEST_SETUP) => new WorkerPool<Req, Res>({ name: 'test', setupSource, workerData: { prefix: 'p' }, size });

test('runs tasks on threads, starting them on demand up to size, and close() stops them', async () => {
  const p = pool(2);
  assert.equal(p.threads, 0);
  const results = await Promise.all(['a', 'b', 'c', 'd'].map((echo) => p.run({ echo, sleepMs: 30 })));
  assert.deepEqual(results.map((r) => r.echo), ['a', 'b', 'c', 'd']);
  assert.equal(results[0]?.prefix, 'p');
  assert.equal(new Set(results.map((r) => r.threadId)).size, 2);
  assert.equal(p.threads, 2);
  await p.close();
  assert.equal(p.threads, 0);
  await assert.rejects(p.run({ echo: 'late' }), WorkerExitError);
});

test('transferred buffers move to the thread', async () => {
  const p = pool(1);
  const samples = new Float32Array([0.25, 0.5, 0.25]);
  const r = await p.run({ samples }, { transfer: [samples.buffer] });
  assert.equal(r.sum, 1);
  assert.equal(samples.length, 0, 'the buffer was moved, not copied');
  await p.close();
});

test('a task that throws rejects with its message and code; the thread keeps serving', async () => {
  const p = pool(1);
  const err = await p.run({ throw: 'bad input' }).catch((e: unknown) => e);
  assert.ok(err instanceof WorkerTaskError);
  assert.equal(err.message, 'bad input');
  assert.equal(err.code, 'E_TEST');
  assert.equal(err.phase, 'task');
  assert.equal((await p.run({ echo: 'after' })).echo, 'after');
  await p.close();
});

test('a failed setup rejects the task (phase setup) and retires the thread; a later task tries a fresh one', async () => {
  const p = pool(2, `() => { throw new Error('no model here'); }`);
  const err = await p.run({ echo: 'x' }).catch((e: unknown) => e);
  assert.ok(err instanceof WorkerTaskError);
  assert.equal(err.phase, 'setup');
  assert.equal(err.message, 'no model here');
  assert.equal(p.threads, 0);
  await assert.rejects(p.run({ echo: 'y' }), /no model here/);
  await p.close();
});

test('a thread that dies fails its task with WorkerExitError and is replaced', async () => {
  const p = pool(1);
  await assert.rejects(p.run({ exit: true }), (e: unknown) => e instanceof WorkerExitError && /exit code 7/.test(e.message));
  assert.equal((await p.run({ echo: 'next' })).echo, 'next');
  await p.close();
});

test('aborting drops waiting tasks; the running one finishes', async () => {
  const p = pool(1);
  const controller = new AbortController();
  const running = p.run({ echo: 'first', sleepMs: 100 }, { signal: controller.signal });
  const waiting = p.run({ echo: 'second' }, { signal: controller.signal });
  controller.abort(new Error('stop'));
  await assert.rejects(waiting, /stop/);
  assert.equal((await running).echo, 'first');
  await assert.rejects(p.run({ echo: 'third' }, { signal: controller.signal }), /stop/);
  await p.close();
});

test('close() rejects waiting and running tasks', async () => {
  const p = pool(1);
  const running = p.run({ sleepMs: 5000 });
  const waiting = p.run({ echo: 'never' });
  const outcomes = [assert.rejects(running, WorkerExitError), assert.rejects(waiting, WorkerExitError)];
  await new Promise((r) => setTimeout(r, 50));
  await p.close();
  await Promise.all(outcomes);
});

test('an idle pool does not keep the process alive', async () => {
  // The test runner would hang past its timeout if an idle thread were ref'd; this pool is never closed.
  const p = pool(1);
  assert.equal((await p.run({ echo: 'once' })).echo, 'once');
});

// The staging copy runs on this pool too (src/adapters/blob/file-copy-hasher.ts).
test('file staging on the pool: copies and hashes, reports file errors and the size limit', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-pool-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const src = path.join(dir, 'in.wav');
  const bytes = randomBytes(5 * 1024 * 1024 + 7);
  await writeFile(src, bytes);
  const copied = await copyAndHashOffThread(src, path.join(dir, 'out.wav'), bytes.length, bytes.length);
  assert.deepEqual(copied, { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
  assert.deepEqual(await readFile(path.join(dir, 'out.wav')), bytes);
  await assert.rejects(copyAndHashOffThread(path.join(dir, 'missing.wav'), path.join(dir, 'o2.wav'), 1e9, bytes.length), { code: 'ENOENT' });
  await assert.rejects(copyAndHashOffThread(src, path.join(dir, 'o3.wav'), 1024, bytes.length), (e: unknown) => e instanceof TingjianError && e.code === 'UPLOAD_TOO_LARGE');
  assert.equal(await copyAndHashOffThread(src, path.join(dir, 'o4.wav'), 1e9, 1024), null, 'small files stay in-thread');
});
