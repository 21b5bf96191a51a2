import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { EncryptedBlobStore } from '../../src/adapters/blob/encrypted-blob-store.js';
import { createAppContext } from '../../src/app/app-context.js';
import { loadConfig } from '../../src/config/config.js';
import { HEADER_BYTES } from '../../src/crypto/chunked-cipher.js';
import { Keyring, withNewKey } from '../../src/crypto/keyring-parser.js';
import { KEY_FILE_RECHECK_MS, KEY_FILE_SETTLE_MS, keyFileSettleWaitMs, readKeyringFile, writeKeyringFile } from '../../src/crypto/keyring.js';
import { rotateKeys } from '../../src/crypto/rotate-keys.js';
import type { Transcript } from '../../src/domain/transcript.js';
import type { BlobStore } from '../../src/ports/blob-store.js';
import { storedCall, tempDir } from '../support/factories.js';

/**
 * Encryption at rest, regressions of the issue 6 review: WORM holds on the encrypted store as on
 * the plain one, and a running process follows its key file — new data is wrapped under a new
 * current key within KEY_FILE_RECHECK_MS, so removing the old key after a rotation loses nothing.
 */

const readAll = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

const put = async (store: BlobStore, bytes: Buffer) => (await (await store.stage(Readable.from([bytes]))).commit()).key;

const sidecarKeyId = async (root: string, key: string) => (JSON.parse(await readFile(path.join(root, `${key}.key`), 'utf8')) as { key: string }).key.split(':')[1];

/** Past the next key file check of a running process. */
const afterRecheck = () => sleep(KEY_FILE_RECHECK_MS + 100);

const transcriptOf = (callId: string): Transcript => ({
  callId,
  engine: 'sherpa-onnx',
  language: 'zh-CN',
  segments: [{ index: 0, speaker: 'customer', startMs: 0, endMs: 900, text: `我的手机号是13812345678 (${callId})`, confidence: 0.9 }],
});

describe('encrypted blob store: WORM', () => {
  it('a damaged original under retention is not replaced by a new commit (WORM_LOCKED, as the plain store) and stays read-only', async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-enc-worm-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const root = path.join(dir, 'recordings');
    const store = new EncryptedBlobStore(root, withNewKey(null).keyring);
    await store.init();
    const bytes = Buffer.from('原始录音 WORM '.repeat(50));
    const key = await put(store, bytes);
    await store.retain(key, Date.now() + 3_600_000);
    const file = path.join(root, key);
    assert.equal((await stat(file)).mode & 0o777, 0o444);
    // Damaged behind Tingjian's back (one ciphertext byte).
    await chmod(file, 0o644);
    const damaged = await readFile(file);
    damaged[HEADER_BYTES + 3]! ^= 0xff;
    await writeFile(file, damaged);
    await chmod(file, 0o444);
    const sidecar = await readFile(`${file}.key`);

    const again = await store.stage(Readable.from([bytes]));
    await assert.rejects(again.commit(), (e: { code?: string; message: string }) => e.code === 'WORM_LOCKED' && e.message.includes('tingjian verify'));
    assert.deepEqual(await readFile(file), damaged, 'the retained file is left as it is');
    assert.deepEqual(await readFile(`${file}.key`), sidecar, 'and so is its key');
    assert.equal((await stat(file)).mode & 0o777, 0o444);
    await assert.rejects(stat(again.localPath), { code: 'ENOENT' }, 'the refused plaintext is not left in staging');

    // A retained original gone missing may be restored by the same bytes: read-only again.
    await unlink(file);
    const restored = await (await store.stage(Readable.from([bytes]))).commit();
    assert.deepEqual(restored, { key, created: true });
    assert.equal((await stat(file)).mode & 0o777, 0o444);
    assert.deepEqual(await readAll(store.read(key)), bytes);
  });
});

describe('a running process follows its master key file', () => {
  it('after `keys generate` new recordings and data keys are wrapped under the new key within KEY_FILE_RECHECK_MS; rotate, drop the old key: everything still reads', async (t) => {
    const tmp = tempDir('tingjian-key-reload-');
    t.after(tmp.cleanup);
    const keyFile = path.join(tmp.dir, 'master-keys.json');
    await writeKeyringFile(keyFile, withNewKey(null).keyring);
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const config = loadConfig({ env: {}, overrides: { dataDir: path.join(tmp.dir, 'data'), masterKeyFile: keyFile } });
    const recordings = path.join(config.dataDir, 'recordings');
    const server = await createAppContext(config, log, { workers: false });
    t.after(() => server.close());
    const oldId = server.keys!.currentId;

    const ingest = async (n: number) => {
      const bytes = Buffer.from(`录音 ${n} `.repeat(40));
      const call = storedCall();
      await server.db.transaction((r) => r.calls.insert(call));
      await server.db.repos.transcripts.save(transcriptOf(call.id));
      return { bytes, key: await put(server.blobs, bytes), callId: call.id };
    };
    const wrappedUnder = async (x: { key: string; callId: string }) => [await sidecarKeyId(recordings, x.key), (await server.db.repos.dataKeys.getMany([x.callId])).get(x.callId)!.keyId];

    const before = await ingest(1);
    assert.deepEqual(await wrappedUnder(before), [oldId, oldId]);

    // `tingjian keys generate --out <key file>`: a new current key, written while the server runs.
    const generated = withNewKey(await readKeyringFile(keyFile));
    await writeKeyringFile(keyFile, generated.keyring);
    await afterRecheck();
    const after = await ingest(2);
    assert.deepEqual(await wrappedUnder(after), [generated.id, generated.id], 'new data is wrapped under the new current key');
    assert.ok(lines.some((l) => l.includes(`master key file reloaded: new data is wrapped under key ${generated.id}`)));

    // `tingjian keys rotate` (once the key file has settled: the server reloaded above).
    const cliKeys = await readKeyringFile(keyFile);
    const report = await rotateKeys({ dataKeys: server.db.repos.dataKeys, blobs: new EncryptedBlobStore(recordings, cliKeys), keys: cliKeys });
    assert.deepEqual([report.recordings, report.dataKeys.failed], [{ rewrapped: 1, current: 1, failed: 0 }, 0]);

    // The old key removed, as the rotation says one may: the running server and a restarted one read everything.
    await writeKeyringFile(keyFile, new Keyring(generated.id, new Map([[generated.id, cliKeys.key(generated.id)!]]), cliKeys.stableSecret(), 'file'));
    await afterRecheck();
    assert.deepEqual(server.keys!.ids(), [generated.id]);
    const restarted = await createAppContext(config, pino({ level: 'silent' }), { workers: false });
    t.after(() => restarted.close());
    for (const app of [server, restarted]) {
      for (const x of [before, after]) {
        assert.deepEqual(await readAll(app.blobs.read(x.key)), x.bytes);
        assert.deepEqual(await app.db.repos.transcripts.get(x.callId), transcriptOf(x.callId));
      }
    }
    assert.ok(!lines.join('').includes(cliKeys.key(generated.id)!.toString('base64')), 'no key material logged');
  });

  it('a key file that does not load (bad JSON, readable by others) keeps the keys in use and is logged once; fixed, it is taken', async (t) => {
    const tmp = tempDir('tingjian-key-reload-bad-');
    t.after(tmp.cleanup);
    const keyFile = path.join(tmp.dir, 'master-keys.json');
    const first = withNewKey(null).keyring;
    await writeKeyringFile(keyFile, first);
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const server = await createAppContext(loadConfig({ env: {}, overrides: { dataDir: path.join(tmp.dir, 'data'), masterKeyFile: keyFile } }), log, { workers: false });
    t.after(() => server.close());
    const errors = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);

    await writeFile(keyFile, '{ "current": "k1", "keys": {', { mode: 0o600 });
    await afterRecheck();
    assert.equal(server.keys!.currentId, first.currentId);
    await afterRecheck();
    assert.equal(server.keys!.currentId, first.currentId);
    assert.equal(errors().length, 1, 'logged once per change of the file, not at every check');
    assert.match(errors()[0]!.msg, /master key file not reloaded, the keys loaded before stay in use: key file .* is not valid JSON/);

    const next = withNewKey(first);
    await writeKeyringFile(keyFile, next.keyring);
    await chmod(keyFile, 0o644);
    await afterRecheck();
    assert.equal(server.keys!.currentId, first.currentId);
    assert.match(errors()[1]!.msg, /chmod 600/);

    await chmod(keyFile, 0o600);
    await afterRecheck();
    assert.equal(server.keys!.currentId, next.id);
  });

  it('`keys rotate` waits until the key file is KEY_FILE_SETTLE_MS old (every running process has taken its current key)', async (t) => {
    const tmp = tempDir('tingjian-key-settle-');
    t.after(tmp.cleanup);
    const keyFile = path.join(tmp.dir, 'master-keys.json');
    await writeKeyringFile(keyFile, withNewKey(null).keyring);
    const s = await stat(keyFile);
    const changed = Math.max(s.mtimeMs, s.ctimeMs);
    assert.ok(KEY_FILE_SETTLE_MS > KEY_FILE_RECHECK_MS);
    assert.equal(await keyFileSettleWaitMs(keyFile, changed + 1000), Math.ceil(changed + KEY_FILE_SETTLE_MS - changed - 1000));
    assert.equal(await keyFileSettleWaitMs(keyFile, changed + KEY_FILE_SETTLE_MS + 1), 0);
  });
});
