import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { EncryptedBlobStore } from '../../src/adapters/blob/encrypted-blob-store.js';
import { LocalDiskBlobStore } from '../../src/adapters/blob/local-disk-blob-store.js';
import { CHUNK_BYTES, HEADER_BYTES, TAG_BYTES } from '../../src/crypto/chunked-cipher.js';
import { withNewKey } from '../../src/crypto/keyring-parser.js';
import { blobKeyFor } from '../../src/ports/blob-store.js';
import { blobStoreContract } from '../contract/blob-store.contract.js';

const keyring = () => withNewKey(null).keyring;

blobStoreContract('encrypted local disk', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-blob-enc-'));
  const store = new EncryptedBlobStore(path.join(dir, 'recordings'), keyring());
  await store.init();
  return {
    store,
    leftovers: () => readdir(path.join(dir, 'recordings', '.staging')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const readAll = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

async function setup(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-blob-enc-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const root = path.join(dir, 'recordings');
  const keys = keyring();
  const store = new EncryptedBlobStore(root, keys);
  await store.init();
  const put = async (bytes: Buffer) => (await store.stage(Readable.from([bytes]))).commit().then((c) => c.key);
  return { dir, root, keys, store, put, file: (key: string) => path.join(root, key) };
}

describe('encrypted blob store', () => {
  it('a process without the master key refuses an encrypted recording instead of serving its ciphertext', async (t) => {
    const { root, put } = await setup(t);
    const key = await put(Buffer.from('录音'.repeat(100)));
    const keyless = new LocalDiskBlobStore(root);
    const refused = (e: { code?: string; message: string }) => e.code === 'DEPENDENCY_MISSING' && /encrypted at rest/.test(e.message);
    await assert.rejects(keyless.stat(key), refused);
    assert.throws(() => keyless.read(key), refused);
    await assert.rejects(keyless.withLocalFile(key, async () => 'ciphertext'), refused);
  });

  it('stores ciphertext only: no plaintext run on disk, the sidecar holds a wrapped key, files are mode 600', async (t) => {
    const { store, put, file } = await setup(t);
    const bytes = Buffer.concat([Buffer.from('RIFF录音 客户手机号 13812345678 '.repeat(200)), randomBytes(CHUNK_BYTES * 2)]);
    const key = await put(bytes);
    const onDisk = await readFile(file(key));
    assert.equal(onDisk.length, HEADER_BYTES + bytes.length + 3 * TAG_BYTES);
    assert.equal(onDisk.indexOf(Buffer.from('13812345678')), -1);
    assert.equal(onDisk.indexOf(bytes.subarray(0, 64)), -1);
    const sidecar = JSON.parse(await readFile(`${file(key)}.key`, 'utf8')) as { key: string };
    assert.match(sidecar.key, /^v1:[0-9a-f]{12}:/);
    assert.equal((await stat(`${file(key)}.key`)).mode & 0o777, 0o600);
    assert.deepEqual(await store.stat(key), { sizeBytes: bytes.length });
    assert.deepEqual(await readAll(store.read(key)), bytes);
  });

  it('range reads at and around chunk boundaries, across many chunks, past the end', async (t) => {
    const { store, put } = await setup(t);
    const bytes = randomBytes(CHUNK_BYTES * 20 + 777);
    const key = await put(bytes);
    const C = CHUNK_BYTES;
    const ranges = [
      [0, 0],
      [C - 1, C - 1],
      [C - 1, C],
      [C, C],
      [C, 2 * C - 1],
      [C - 5, 3 * C + 5],
      [2 * C + 17, 19 * C + 3], // more chunks than one read (16)
      [20 * C, 20 * C + 776], // the short final chunk
      [bytes.length - 1, bytes.length - 1],
      [bytes.length - 10, bytes.length + 1000], // an end past the blob reads to its end, like a file
    ];
    for (const [start, end] of ranges) {
      assert.deepEqual(await readAll(store.read(key, { start: start!, end: end! })), bytes.subarray(start, end! + 1), `${start}-${end}`);
    }
  });

  it('empty and one-chunk-exactly recordings round-trip', async (t) => {
    const { store, put } = await setup(t);
    for (const bytes of [Buffer.alloc(0), randomBytes(CHUNK_BYTES), randomBytes(1)]) {
      const key = await put(bytes);
      assert.deepEqual(await readAll(store.read(key)), bytes);
      assert.deepEqual(await store.stat(key), { sizeBytes: bytes.length });
    }
  });

  it('a byte flipped anywhere (header, ciphertext, a tag) fails the read with INTEGRITY_MISMATCH naming the blob', async (t) => {
    const { store, put, file } = await setup(t);
    const bytes = randomBytes(CHUNK_BYTES * 3 + 100);
    const key = await put(bytes);
    const good = await readFile(file(key));
    const positions = [3, HEADER_BYTES + 10, HEADER_BYTES + CHUNK_BYTES + 3, HEADER_BYTES + CHUNK_BYTES + TAG_BYTES + 5000, good.length - 1];
    for (const at of positions) {
      const bad = Buffer.from(good);
      bad[at] = bad[at]! ^ 0x01;
      await writeFile(file(key), bad);
      await assert.rejects(readAll(store.read(key)), (e: { code?: string; message: string }) => {
        assert.equal(e.code, 'INTEGRITY_MISMATCH', `byte ${at}: ${e.message}`);
        assert.ok(e.message.includes(key), e.message);
        return true;
      });
    }
    await writeFile(file(key), good);
    assert.deepEqual(await readAll(store.read(key)), bytes);
  });

  it('cut at a chunk boundary, chunks swapped, extended: INTEGRITY_MISMATCH, never other bytes', async (t) => {
    const { store, put, file } = await setup(t);
    const bytes = randomBytes(CHUNK_BYTES * 3);
    const key = await put(bytes);
    const good = await readFile(file(key));
    const sealed = CHUNK_BYTES + TAG_BYTES;
    const c = (i: number) => good.subarray(HEADER_BYTES + i * sealed, HEADER_BYTES + (i + 1) * sealed);
    const variants = {
      cut: good.subarray(0, HEADER_BYTES + 2 * sealed),
      swapped: Buffer.concat([good.subarray(0, HEADER_BYTES), c(1), c(0), c(2)]),
      extended: Buffer.concat([good, c(2)]),
    };
    for (const [name, bad] of Object.entries(variants)) {
      await writeFile(file(key), bad);
      await assert.rejects(readAll(store.read(key)), { code: 'INTEGRITY_MISMATCH' }, name);
    }
  });

  it('a sidecar from another blob, a missing sidecar, an unknown master key: reads fail clearly', async (t) => {
    const { root, store, put, file } = await setup(t);
    const a = await put(randomBytes(1000));
    const b = await put(randomBytes(1000));
    const sidecarA = await readFile(`${file(a)}.key`);
    await writeFile(`${file(b)}.key`, sidecarA);
    await assert.rejects(readAll(store.read(b)), { code: 'INTEGRITY_MISMATCH' });
    await rm(`${file(b)}.key`);
    await assert.rejects(readAll(store.read(b)), /key file .*\.key is missing/);
    const other = new EncryptedBlobStore(root, keyring());
    await assert.rejects(readAll(other.read(a)), (e: { code?: string; message: string }) => e.code === 'CONFIG_INVALID' && /master key [0-9a-f]{12}/.test(e.message));
  });

  it('withLocalFile gives a decrypted mode-600 copy and removes it after', async (t) => {
    const { root, store, put } = await setup(t);
    const bytes = randomBytes(CHUNK_BYTES + 5);
    const key = await put(bytes);
    let seen = '';
    const got = await store.withLocalFile(key, async (p) => {
      seen = p;
      assert.equal((await stat(p)).mode & 0o777, 0o600);
      return readFile(p);
    });
    assert.deepEqual(got, bytes);
    await assert.rejects(stat(seen), { code: 'ENOENT' });
    assert.equal((await stat(path.join(root, '.staging'))).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(path.join(root, '.staging')), []);
  });

  it('recordings stored before encryption was turned on still read (plain, no sidecar); a new copy is encrypted', async (t) => {
    const { root, store, file } = await setup(t);
    const plain = new LocalDiskBlobStore(root);
    const bytes = randomBytes(200_000);
    const { key } = await (await plain.stage(Readable.from([bytes]))).commit();
    assert.deepEqual(await readAll(store.read(key)), bytes);
    assert.deepEqual(await readAll(store.read(key, { start: 70_000, end: 70_010 })), bytes.subarray(70_000, 70_011));
    assert.deepEqual(await store.stat(key), { sizeBytes: bytes.length });
    assert.deepEqual(await store.withLocalFile(key, (p) => readFile(p)), bytes);
    const other = randomBytes(5000);
    const k2 = await (await store.stage(Readable.from([other]))).commit().then((c) => c.key);
    assert.notDeepEqual((await readFile(file(k2))).subarray(0, 5000), other.subarray(0, 5000));
    assert.equal(k2, blobKeyFor(sha(other)));
  });

  it('a damaged encrypted copy is replaced on the next commit of the same bytes; delete removes blob and sidecar', async (t) => {
    const { store, put, file } = await setup(t);
    const bytes = randomBytes(100_000);
    const key = await put(bytes);
    const bad = await readFile(file(key));
    bad[HEADER_BYTES + 50] = bad[HEADER_BYTES + 50]! ^ 0xff;
    await writeFile(file(key), bad);
    assert.deepEqual(await (await store.stage(Readable.from([bytes]))).commit(), { key, created: true });
    assert.deepEqual(await readAll(store.read(key)), bytes);
    assert.deepEqual(await (await store.stage(Readable.from([bytes]))).commit(), { key, created: false });
    await store.delete(key);
    await assert.rejects(stat(`${file(key)}.key`), { code: 'ENOENT' });
    assert.equal(await store.stat(key), null);
  });

  it('concurrent commits of the same bytes leave one readable pair (the commit lock)', async (t) => {
    const { store } = await setup(t);
    const bytes = randomBytes(CHUNK_BYTES * 10);
    const staged = await Promise.all([1, 2, 3, 4].map(() => store.stage(Readable.from([bytes]))));
    const results = await Promise.all(staged.map((s) => s.commit()));
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.deepEqual(await readAll(store.read(results[0]!.key)), bytes);
  });
});
