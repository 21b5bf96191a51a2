import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { blobKeyFor } from '../../ports/blob-store.js';
import { processTag } from '../../platform/process-identity.js';
import { LocalDiskBlobStore } from './local-disk-blob-store.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A store in a fresh temp folder, plus a folder for source files; removed after the test. */
async function setup(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-blob-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const root = path.join(dir, 'recordings');
  const store = new LocalDiskBlobStore(root);
  await store.init();
  const staging = path.join(root, '.staging');
  const sources = path.join(dir, 'in');
  await mkdir(sources);
  let n = 0;
  const source = async (bytes: Buffer) => {
    const p = path.join(sources, `f${++n}.wav`);
    await writeFile(p, bytes);
    return p;
  };
  return { root, store, staging, source, stagingFiles: () => readdir(staging) };
}

const readAll = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

// Several 1 MiB chunks and a partial one; big enough for stageFile to use a worker thread.
const content = () => randomBytes(5 * 1024 * 1024 + 12_345);

// The port's behaviour (hashing, atomic commit, duplicates, discard, size limit) is the shared
// contract in test/contract/blob-store.contract.ts; these are the local-disk specifics.

test('stageFile copies: changing the source afterwards changes neither the staged nor the stored bytes', async (t) => {
  const { store, source } = await setup(t);
  const bytes = content();
  const file = await source(bytes);
  const staged = await store.stageFile(file);
  await writeFile(file, content());
  const { key } = await staged.commit();
  await writeFile(file, Buffer.from('overwritten again'));
  assert.equal(key, blobKeyFor(sha(bytes)));
  assert.deepEqual(await readAll(store.read(key)), bytes);
});

test('stageFile: the blob gets the mode stage() gives, not the source file’s', async (t) => {
  const { store, source } = await setup(t);
  const file = await source(content());
  await chmod(file, 0o777);
  const viaFile = await store.stageFile(file);
  const viaStream = await store.stage(Readable.from([content()]));
  const mode = async (p: string) => (await stat(p)).mode & 0o777;
  assert.equal(await mode(viaFile.localPath), await mode(viaStream.localPath));
  assert.equal((await mode(viaFile.localPath)) & 0o111, 0, 'never executable');
  await viaFile.discard();
  await viaStream.discard();
});

test('stageFile: a missing file fails with ENOENT and stages nothing', async (t) => {
  const { store, stagingFiles } = await setup(t);
  await assert.rejects(store.stageFile('/nonexistent/tingjian/call.wav'), { code: 'ENOENT' });
  assert.deepEqual(await stagingFiles(), []);
});

test('stageFile: small files (staged in-thread) and an empty one', async (t) => {
  const { store, source } = await setup(t);
  for (const bytes of [Buffer.alloc(0), randomBytes(1), randomBytes(1024 * 1024), randomBytes(3 * 1024 * 1024 + 1)]) {
    const staged = await store.stageFile(await source(bytes));
    assert.equal(staged.sizeBytes, bytes.length);
    assert.equal(staged.sha256, sha(bytes));
    await staged.discard();
  }
});

test('stageFile: concurrent files all hash right (several staging workers)', async (t) => {
  const { store, source, stagingFiles } = await setup(t);
  const inputs = Array.from({ length: 6 }, () => content());
  const staged = await Promise.all(inputs.map(async (b) => store.stageFile(await source(b))));
  assert.deepEqual(
    staged.map((s) => s.sha256),
    inputs.map(sha),
  );
  for (const s of staged) await s.commit();
  assert.deepEqual(await stagingFiles(), []);
});

test('stage: a failing source leaves nothing in staging', async (t) => {
  const { store, stagingFiles } = await setup(t);
  const failing = new Readable({
    read() {
      this.destroy(new Error('connection reset'));
    },
  });
  await assert.rejects(store.stage(failing), /connection reset/);
  assert.deepEqual(await stagingFiles(), []);
});

test('init sweeps staging files of dead processes and day-old ones, never a live process’s', async (t) => {
  const { store, staging, stagingFiles } = await setup(t);
  const dead = `${processTag(2147483646)}:crashed-upload`;
  const live = `${processTag()}:upload-in-flight`;
  const foreign = 'other-host:123:456:old-upload';
  await writeFile(path.join(staging, dead), 'partial');
  await writeFile(path.join(staging, live), 'partial');
  await writeFile(path.join(staging, foreign), 'partial');
  const twoDaysAgo = new Date(Date.now() - 48 * 3600 * 1000);
  await utimes(path.join(staging, foreign), twoDaysAgo, twoDaysAgo);
  await store.init();
  assert.deepEqual(await stagingFiles(), [live], 'another process starting on the same folder leaves uploads in flight alone');
});

test('commit verifies an existing blob of the same size and replaces a damaged one', async (t) => {
  const { root, store, source } = await setup(t);
  const bytes = content();
  const first = await store.stageFile(await source(bytes));
  const { key } = await first.commit();
  const damaged = Buffer.from(bytes);
  damaged.writeUInt8(damaged.readUInt8(1000) ^ 0xff, 1000);
  await writeFile(path.join(root, key), damaged);
  const again = await store.stageFile(await source(bytes));
  assert.deepEqual(await again.commit(), { key, created: true });
  assert.equal(sha(await readFile(path.join(root, key))), first.sha256);
});

test('delete removes a blob and tolerates a missing one; keys are validated', async (t) => {
  const { store, source } = await setup(t);
  const staged = await store.stageFile(await source(content()));
  const { key } = await staged.commit();
  await store.delete(key);
  assert.equal(await store.stat(key), null);
  await store.delete(key);
  await assert.rejects(store.stat('../../etc/passwd'), { code: 'INVALID_REQUEST' });
});

test('WORM: a retained blob is read-only on disk, and a damaged copy is not replaced by a new commit', async (t) => {
  const { root, store } = await setup(t);
  const bytes = Buffer.from('原始录音 WORM');
  const { key } = await (await store.stage(Readable.from([bytes]))).commit();
  await store.retain(key, Date.now() + 3_600_000);
  const file = path.join(root, key);
  assert.equal((await stat(file)).mode & 0o777, 0o444);
  assert.match(await readFile(`${file}.retain`, 'utf8'), /^\d+\n$/);
  // Damaged behind Tingjian's back: the same bytes again must not overwrite it.
  await chmod(file, 0o644);
  await writeFile(file, Buffer.from('damaged!!!!!!!!!!'));
  const again = await store.stage(Readable.from([bytes]));
  await assert.rejects(again.commit(), { code: 'WORM_LOCKED' });
  assert.equal(await readFile(file, 'utf8'), 'damaged!!!!!!!!!!');
  assert.deepEqual(await readdir(path.join(root, '.staging')), [], 'the staged bytes were thrown away');
});
