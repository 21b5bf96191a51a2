import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it, test } from 'node:test';
import { pino } from 'pino';
import { EncryptedBlobStore } from '../../src/adapters/blob/encrypted-blob-store.js';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { createAppContext } from '../../src/app/app-context.js';
import { loadConfig } from '../../src/config/config.js';
import { DataKeyCache } from '../../src/crypto/data-keys.js';
import { encryptingDatabase } from '../../src/crypto/encrypting-repositories.js';
import { formatWrapped, newDataKey, wrapDataKey } from '../../src/crypto/envelope.js';
import { parseKeyringFile, withNewKey, type Keyring } from '../../src/crypto/keyring-parser.js';
import { rotateKeys } from '../../src/crypto/rotate-keys.js';
import type { Recording } from '../../src/domain/recording.js';
import type { Transcript } from '../../src/domain/transcript.js';
import type { Database } from '../../src/ports/repositories.js';
import { storedCall, tempDir } from '../support/factories.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

const SECRET_SENTENCE = '我的身份证号是110101199003077777，请帮我退货';

/** Column values straight from the database, bypassing the repositories. */
type RawQuery = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

async function rawQuery(url: string): Promise<{ query: RawQuery; close: () => Promise<void> }> {
  if (url.startsWith('sqlite:')) {
    const { default: SQLite } = await import('better-sqlite3');
    const conn = new SQLite(url.slice('sqlite:'.length), { readonly: true });
    return { query: (q, p) => Promise.resolve(conn.prepare(q.replace(/\$\d+/g, '?')).all(...p) as Array<Record<string, unknown>>), close: () => Promise.resolve(void conn.close()) };
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { query: async (q, p) => (await client.query(q, p)).rows as Array<Record<string, unknown>>, close: () => client.end() };
}

/** A keyring without its older keys: what the key file holds once a rotation is done and old keys are removed. */
function onlyCurrent(ring: Keyring): Keyring {
  const text = JSON.stringify({ current: ring.currentId, keys: { [ring.currentId]: ring.key(ring.currentId)!.toString('base64') } });
  return parseKeyringFile(text, 'test');
}

const transcriptOf = (callId: string, n = 3): Transcript => ({
  callId,
  engine: 'sherpa-onnx',
  language: 'zh-CN',
  segments: Array.from({ length: n }, (_, i) => ({
    index: i,
    speaker: i % 2 ? 'customer' : 'agent',
    startMs: i * 1000,
    endMs: i * 1000 + 900,
    text: i === 1 ? SECRET_SENTENCE : `第${i}句，您好`,
    ...(i === 2 ? { rawText: '第二剧 您好 13812345678' } : {}),
    confidence: 0.9,
  })),
});

function encryptionSuite(name: string, open: () => Promise<{ url: string; cleanup: () => Promise<void> }>) {
  describe(`encryption at rest: ${name}`, () => {
    let url: string;
    let cleanup: () => Promise<void>;
    let plain: Database;
    let raw: Awaited<ReturnType<typeof rawQuery>>;
    let keys: Keyring;
    let db: Database;
    before(async () => {
      ({ url, cleanup } = await open());
      plain = await openDatabase(url);
      await plain.migrate();
      raw = await rawQuery(url);
      keys = withNewKey(null).keyring;
      db = encryptingDatabase(plain, keys);
    });
    after(async () => {
      await raw.close();
      await plain.close();
      await cleanup();
    });
    const count = async (q: string, params: unknown[]) => Number((await raw.query(q, params))[0]!.n);
    const newCall = async (target = db) => {
      const call = storedCall();
      await target.transaction((r) => r.calls.insert(call));
      return call.id;
    };

    it('stored transcript rows and artifacts hold no plaintext, yet read back whole (get and getMany)', async () => {
      const id = await newCall();
      const t = transcriptOf(id);
      await db.repos.transcripts.save(t);
      const analysis = { summary: { problem: SECRET_SENTENCE } } as unknown as Parameters<Database['repos']['artifacts']['saveTextAnalysis']>[1];
      await db.repos.artifacts.saveTextAnalysis(id, analysis, 1);
      const rows = await raw.query('select text, raw_text from transcript_segments where call_id = $1 order by idx', [id]);
      assert.equal(rows.length, 3);
      for (const r of rows) {
        assert.match(String(r.text), /^enc1:/);
        assert.ok(!String(r.text).includes('身份证') && !String(r.raw_text ?? '').includes('138'));
      }
      assert.match(String(rows[2]!.raw_text), /^enc1:/);
      const bodies = await raw.query('select body from artifacts where call_id = $1', [id]);
      assert.ok(!String(bodies[0]!.body).includes('身份证') && String(bodies[0]!.body).includes('enc1:'));
      const keyRows = await raw.query('select key_id, wrapped from data_keys where object_id = $1', [id]);
      assert.equal(keyRows.length, 1, 'one data key per call, shared by transcript and artifacts');
      assert.equal(keyRows[0]!.key_id, keys.currentId);
      assert.deepEqual(await db.repos.transcripts.get(id), t);
      assert.deepEqual((await db.repos.transcripts.getMany([id, 'no-such-call'])).get(id), t);
      assert.deepEqual(await db.repos.artifacts.getTextAnalysis(id), analysis);
      assert.deepEqual((await db.repos.artifacts.getTextAnalysisMany([id])).get(id), analysis);
      // Through a fresh process's view (an empty cache): the key is read and unwrapped from the table.
      assert.deepEqual(await encryptingDatabase(plain, keys, new DataKeyCache()).repos.transcripts.get(id), t);
    });

    it('rows written before encryption was turned on still read; a save after it encrypts them', async () => {
      const id = await newCall(plain);
      const t = transcriptOf(id, 2);
      await plain.repos.transcripts.save(t);
      await plain.repos.artifacts.saveSignals(id, { talkRatio: 0.5 } as never, 1);
      assert.deepEqual(await db.repos.transcripts.get(id), t);
      assert.deepEqual(await db.repos.artifacts.getSignals(id), { talkRatio: 0.5 });
      const mixed = await db.repos.transcripts.getMany([id]);
      assert.deepEqual(mixed.get(id), t);
      await db.repos.transcripts.save(t);
      assert.match(String((await raw.query('select text from transcript_segments where call_id = $1', [id]))[0]!.text), /^enc1:/);
      assert.deepEqual(await db.repos.transcripts.get(id), t);
    });

    it('inside transactions: the transcript is encrypted; a rolled-back data key is never used afterwards', async () => {
      const call = storedCall();
      await db.transaction(async (r) => {
        await r.calls.insert(call);
        await r.transcripts.save(transcriptOf(call.id));
      });
      assert.deepEqual(await db.repos.transcripts.get(call.id), transcriptOf(call.id));
      const lost = storedCall();
      await assert.rejects(
        db.transaction(async (r) => {
          await r.calls.insert(lost);
          await r.transcripts.save(transcriptOf(lost.id));
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.equal((await raw.query('select object_id from data_keys where object_id = $1', [lost.id])).length, 0);
      await db.transaction((r) => r.calls.insert(lost));
      await db.repos.transcripts.save(transcriptOf(lost.id));
      assert.deepEqual(await encryptingDatabase(plain, keys, new DataKeyCache()).repos.transcripts.get(lost.id), transcriptOf(lost.id));
    });

    it('a value moved to another segment, or a data key deleted, fails loudly (never wrong text)', async () => {
      const id = await newCall();
      await db.repos.transcripts.save(transcriptOf(id));
      const rows = await raw.query('select idx, text from transcript_segments where call_id = $1 order by idx', [id]);
      const writer = encryptingDatabase(plain, keys);
      // Swap through the plain repository: the stored strings are written as they are.
      const stored = (await plain.repos.transcripts.get(id))!;
      stored.segments[0]!.text = String(rows[1]!.text);
      await plain.repos.transcripts.save(stored);
      await assert.rejects(writer.repos.transcripts.get(id), { code: 'INTEGRITY_MISMATCH' });
      const other = await newCall();
      await db.repos.transcripts.save(transcriptOf(other));
      await plain.repos.dataKeys.delete(other);
      await assert.rejects(encryptingDatabase(plain, keys, new DataKeyCache()).repos.transcripts.get(other), /no data key/);
    });

    it('data keys: insertIfAbsent keeps the first writer’s key; paging by key id; rewrap is compare-and-set', async () => {
      const repo = plain.repos.dataKeys;
      const row = (objectId: string, ring: Keyring) => ({ objectId, keyId: ring.currentId, wrapped: formatWrapped(wrapDataKey(ring, newDataKey(), objectId)), createdAt: 5 });
      const old = withNewKey(null).keyring;
      const first = row('dk-a', old);
      assert.deepEqual(await repo.insertIfAbsent(first), first);
      assert.deepEqual(await repo.insertIfAbsent(row('dk-a', old)), first);
      await repo.insertIfAbsent(row('dk-b', old));
      await repo.insertIfAbsent(row('dk-c', old));
      assert.equal(await repo.countNotWrappedWith('nothing-current'), await count('select count(*) as n from data_keys', []));
      const page1 = await repo.listNotWrappedWith(keys.currentId, null, 2);
      const page2 = await repo.listNotWrappedWith(keys.currentId, page1.at(-1)!.objectId, 100);
      assert.deepEqual([...page1, ...page2].map((r) => r.objectId), ['dk-a', 'dk-b', 'dk-c']);
      assert.equal(await repo.rewrap('dk-a', 'v1:stale', { keyId: 'x', wrapped: 'y' }), false);
      assert.equal(await repo.rewrap('dk-a', first.wrapped, { keyId: keys.currentId, wrapped: first.wrapped }), true);
      assert.deepEqual([...(await repo.getMany(['dk-a', 'dk-z'])).keys()], ['dk-a']);
      for (const id of ['dk-a', 'dk-b', 'dk-c']) await repo.delete(id);
    });

    it('recordings page by call id (what verify walks)', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = await newCall();
        const sha = randomBytes(32).toString('hex');
        const rec: Recording = { callId: id, format: 'wav', codec: 'pcm_s16le', sampleRate: 8000, channels: 1, channelRoles: ['unknown'], durationMs: 1, sha256: sha, sizeBytes: 1, blobKey: `sha256/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`, originalName: null };
        await plain.repos.recordings.insert(rec);
        ids.push(id);
      }
      const seen: string[] = [];
      for (let after: string | null = null; ; ) {
        const page = await plain.repos.recordings.listAfter(after, 2);
        if (page.length === 0) break;
        seen.push(...page.map((r) => r.callId));
        after = page.at(-1)!.callId;
      }
      assert.deepEqual(seen.filter((id) => ids.includes(id)), [...ids].sort());
      assert.equal(await plain.repos.recordings.count(), seen.length);
    });

    it('rotation re-wraps data keys and recording key files, never the ciphertext; old key removed, everything reads', async () => {
      const tmp = tempDir();
      try {
        const root = path.join(tmp.dir, 'recordings');
        // The suite's key is the old one: every data key stored so far gets re-wrapped.
        const oldRing = keys;
        const oldDb = db;
        const oldBlobs = new EncryptedBlobStore(root, oldRing);
        await oldBlobs.init();
        const audio = [randomBytes(200_000), randomBytes(70_000)];
        const blobKeys = await Promise.all(audio.map(async (b) => (await (await oldBlobs.stage(Readable.from([b]))).commit()).key));
        const callIds = [await newCall(oldDb), await newCall(oldDb)];
        for (const id of callIds) await oldDb.repos.transcripts.save(transcriptOf(id));
        const ciphertext = async () => Promise.all(blobKeys.map((k) => readFile(path.join(root, k))));
        const before = await ciphertext();
        const segmentsBefore = await raw.query(`select call_id, idx, text from transcript_segments where call_id in ($1, $2) order by call_id, idx`, callIds);

        const newRing = withNewKey(oldRing).keyring;
        const blobs = new EncryptedBlobStore(root, newRing);
        const ticks: number[] = [];
        let total = 0;
        const report = await rotateKeys({ dataKeys: plain.repos.dataKeys, blobs, keys: newRing }, { onTotal: (n) => (total = n), onProgress: (n) => ticks.push(n) });
        assert.deepEqual(report.recordings, { rewrapped: 2, current: 0, failed: 0 });
        assert.ok(report.dataKeys.rewrapped >= 2, JSON.stringify(report));
        assert.equal(report.dataKeys.failed, 0, JSON.stringify(report.failures));
        assert.equal(ticks.at(-1), total);
        assert.deepEqual(await ciphertext(), before, 'recordings are byte-identical');
        assert.deepEqual(await raw.query(`select call_id, idx, text from transcript_segments where call_id in ($1, $2) order by call_id, idx`, callIds), segmentsBefore, 'encrypted rows untouched');
        assert.equal(await count('select count(*) as n from data_keys where key_id <> $1', [newRing.currentId]), 0);
        for (const k of blobKeys) assert.match(await readFile(path.join(root, `${k}.key`), 'utf8'), new RegExp(`"v1:${newRing.currentId}:`));

        // Resumable: a second run finds everything current.
        const again = await rotateKeys({ dataKeys: plain.repos.dataKeys, blobs, keys: newRing });
        assert.deepEqual(again.recordings, { rewrapped: 0, current: 2, failed: 0 });
        assert.equal(again.dataKeys.rewrapped, 0);

        // The old key gone from the key file: recordings and transcripts still read.
        const trimmed = onlyCurrent(newRing);
        const readBlobs = new EncryptedBlobStore(root, trimmed);
        for (const [i, k] of blobKeys.entries()) {
          const chunks: Buffer[] = [];
          for await (const c of readBlobs.read(k)) chunks.push(c as Buffer);
          assert.deepEqual(Buffer.concat(chunks), audio[i]);
        }
        const reader = encryptingDatabase(plain, trimmed, new DataKeyCache());
        for (const id of callIds) assert.deepEqual(await reader.repos.transcripts.get(id), transcriptOf(id));
        assert.deepEqual(await readdir(path.join(root, '.staging')), []);
      } finally {
        tmp.cleanup();
      }
    });
  });
}

test('the application turns encryption on exactly when a master key is configured, and logs which without the key', async () => {
  for (const masterKey of [randomBytes(32).toString('base64'), undefined]) {
    const tmp = tempDir();
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const config = loadConfig({ env: {}, overrides: { dataDir: tmp.dir, ...(masterKey ? { masterKey } : {}) } });
    const app = await createAppContext(config, log, { workers: false });
    try {
      assert.equal(app.keys === null, masterKey === undefined);
      assert.equal(app.blobs instanceof EncryptedBlobStore, masterKey !== undefined);
      const said = lines.map((l) => (JSON.parse(l) as { msg: string }).msg).filter((m) => m.startsWith('encryption at rest'));
      assert.deepEqual(said, [masterKey ? `encryption at rest on: master key ${app.keys!.currentId} from TINGJIAN_MASTER_KEY` : 'encryption at rest off: no master key configured (TINGJIAN_MASTER_KEY_FILE or TINGJIAN_MASTER_KEY)']);
      if (masterKey) assert.ok(!lines.join('').includes(masterKey) && !JSON.stringify(app.keys).includes(masterKey));
    } finally {
      await app.close();
      tmp.cleanup();
    }
  }
});

encryptionSuite('SQLite', async () => {
  const tmp = tempDir();
  return { url: `sqlite:${path.join(tmp.dir, 'tingjian.db')}`, cleanup: async () => tmp.cleanup() };
});

if (postgresAvailable()) {
  encryptionSuite('PostgreSQL', async () => {
    const pg = await startThrowawayPostgres();
    return { url: pg.url, cleanup: () => pg.stop() };
  });
} else {
  test('encryption at rest: PostgreSQL', (t) => {
    needs(t, 'PostgreSQL', false, POSTGRES_INSTALL);
  });
}
