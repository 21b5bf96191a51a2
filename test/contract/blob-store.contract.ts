import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { TingjianError } from '../../src/domain/errors.js';
import { blobKeyFor, type BlobStore } from '../../src/ports/blob-store.js';

export interface BlobStoreHarness {
  store: BlobStore;
  /** Staged bytes the adapter still holds (must be none after commit, discard or failure). */
  leftovers(): Promise<string[]>;
  cleanup(): Promise<void>;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const readAll = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};
// Several 1 MiB chunks and a partial one: big enough for an adapter's off-thread path.
const content = () => randomBytes(5 * 1024 * 1024 + 12_345);

/**
 * The blob store contract: what the pipeline relies on from any adapter (local disk now, S3
 * later) — content addressing, atomic commit, idempotent duplicates, size limits, nothing left
 * behind — through the port alone.
 */
export function blobStoreContract(name: string, open: () => Promise<BlobStoreHarness>): void {
  describe(`blob store contract: ${name}`, () => {
    let h: BlobStoreHarness;
    let sources: string;
    let n = 0;
    before(async () => {
      h = await open();
      sources = await mkdtemp(path.join(os.tmpdir(), 'tingjian-blob-src-'));
    });
    after(async () => {
      await h.cleanup();
      await rm(sources, { recursive: true, force: true });
    });
    const file = async (bytes: Buffer) => {
      const p = path.join(sources, `f${++n}.wav`);
      await writeFile(p, bytes);
      return p;
    };

    for (const via of ['stage', 'stageFile'] as const) {
      const stage = async (bytes: Buffer, maxBytes?: number) =>
        via === 'stage'
          ? h.store.stage(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), maxBytes === undefined ? {} : { maxBytes })
          : h.store.stageFile(await file(bytes), maxBytes === undefined ? {} : { maxBytes });

      it(`${via}: hashes, stages atomically, commits under the content key`, async () => {
        const bytes = content();
        const staged = await stage(bytes);
        assert.equal(staged.sha256, sha(bytes));
        assert.equal(staged.sizeBytes, bytes.length);
        assert.deepEqual(await readFile(staged.localPath), bytes, 'the staged copy is readable for probing');
        const key = blobKeyFor(staged.sha256);
        assert.equal(await h.store.stat(key), null, 'nothing under the key before commit');
        assert.deepEqual(await staged.commit(), { key, created: true });
        assert.deepEqual(await readAll(h.store.read(key)), bytes);
        assert.deepEqual(await h.store.stat(key), { sizeBytes: bytes.length });
        assert.deepEqual(await readAll(h.store.read(key, { start: 10, end: 19 })), bytes.subarray(10, 20));
        assert.deepEqual(await h.store.withLocalFile(key, (p) => readFile(p)), bytes, 'a local file holds the blob');
        assert.deepEqual(await h.leftovers(), [], 'nothing staged after commit');
        assert.deepEqual(await staged.commit(), { key, created: false }, 'commit is idempotent');
      });

      it(`${via}: identical content committed twice → created false, one blob`, async () => {
        const bytes = content();
        const first = await stage(bytes);
        const second = await stage(bytes);
        assert.equal(second.sha256, first.sha256);
        assert.equal((await first.commit()).created, true);
        assert.deepEqual(await second.commit(), { key: blobKeyFor(first.sha256), created: false });
        assert.deepEqual(await readAll(h.store.read(blobKeyFor(first.sha256))), bytes);
        assert.deepEqual(await h.leftovers(), []);
      });

      it(`${via}: discard stores nothing and leaves nothing`, async () => {
        const staged = await stage(content());
        await staged.discard();
        await staged.discard();
        assert.equal(await h.store.stat(blobKeyFor(staged.sha256)), null);
        assert.deepEqual(await h.leftovers(), []);
      });

      it(`${via}: over maxBytes → UPLOAD_TOO_LARGE, nothing stored or left`, async () => {
        const bytes = content();
        await assert.rejects(stage(bytes, bytes.length - 1), (e: unknown) => {
          assert.ok(e instanceof TingjianError);
          assert.equal(e.code, 'UPLOAD_TOO_LARGE');
          assert.deepEqual(e.details, { maxBytes: bytes.length - 1 });
          return true;
        });
        assert.deepEqual(await h.leftovers(), []);
        assert.equal(await h.store.stat(blobKeyFor(sha(bytes))), null);
        const exact = await stage(bytes, bytes.length);
        assert.equal(exact.sizeBytes, bytes.length, 'exactly maxBytes is allowed');
        await exact.discard();
      });
    }

    it('delete removes a blob and tolerates a missing one', async () => {
      const staged = await h.store.stage(Readable.from([Buffer.from('录音')]));
      const { key } = await staged.commit();
      await h.store.delete(key);
      assert.equal(await h.store.stat(key), null);
      await h.store.delete(key);
      await assert.rejects(h.store.withLocalFile(key, () => Promise.resolve(1)), { code: 'NOT_FOUND' });
    });

    it('retain (WORM): delete refuses until the retain-until time, which only ever extends', async () => {
      const bytes = Buffer.from('WORM 录音');
      const { key } = await (await h.store.stage(Readable.from([bytes]))).commit();
      assert.equal(await h.store.retainedUntil(key), null);
      const until = Date.now() + 800;
      await h.store.retain(key, until);
      await h.store.retain(key, until - 60_000);
      assert.equal(await h.store.retainedUntil(key), until, 'an earlier time changes nothing');
      await assert.rejects(h.store.delete(key), { code: 'WORM_LOCKED' });
      assert.deepEqual(await readAll(h.store.read(key)), bytes, 'the blob is intact');
      await new Promise((r) => setTimeout(r, until - Date.now() + 30));
      await h.store.delete(key);
      assert.equal(await h.store.stat(key), null);
      assert.equal(await h.store.retainedUntil(key), null, 'the lock goes with the blob');
      await assert.rejects(h.store.retain(key, Date.now() + 1000), { code: 'NOT_FOUND' });
      assert.deepEqual(await h.leftovers(), []);
    });

    it('scratchDir: a fresh, empty folder only this user may enter, each time another', async () => {
      const [a, b] = [await h.store.scratchDir(), await h.store.scratchDir()];
      try {
        assert.notEqual(a, b);
        assert.deepEqual(await readdir(a), []);
        if (process.platform !== 'win32') assert.equal((await stat(a)).mode & 0o777, 0o700);
      } finally {
        await rm(a, { recursive: true, force: true });
        await rm(b, { recursive: true, force: true });
      }
    });
  });
}
