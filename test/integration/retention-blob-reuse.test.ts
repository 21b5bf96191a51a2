import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppContext } from '../../src/app/app-context.js';
import type { AuditActor } from '../../src/audit/audit-event.js';
import type { Call } from '../../src/domain/call.js';
import { isTingjianError } from '../../src/domain/errors.js';
import type { BlobStore, StagedBlob } from '../../src/ports/blob-store.js';
import { callInput, segments, tempDir, testApp, wavBuffer } from '../support/factories.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

/**
 * Originals are content-addressed, so a call deleted (or purged) and a new call with the same
 * bytes share one blob key. The deletion must never remove the file a new call's recording points
 * at (src/retention/blob-reuse.ts). Each test holds one side at its most dangerous point and lets
 * the other run; the hooks only fix the interleaving, every step is the production code's.
 */

const ACTOR: AuditActor = { userId: null, username: 'blob-reuse-test', role: null, via: 'system' };
const iso = (ms: number) => new Date(ms).toISOString();
type App = AppContext & { dataDir: string };

/** A promise and the function that settles it. */
function signal<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Replace one method of an object until the returned function puts it back. */
function patch<O extends object, K extends keyof O>(obj: O, key: K, make: (real: O[K]) => O[K]): () => void {
  const real = obj[key];
  obj[key] = make(typeof real === 'function' ? (real.bind(obj) as O[K]) : real);
  return () => {
    obj[key] = real;
  };
}

function blobReuseSuite(dbName: string, startDb: () => Promise<ThrowawayPostgres | null>, available: boolean) {
  describe(`a deleted call's original and a new call with the same bytes, on ${dbName}`, () => {
    let pg: ThrowawayPostgres | null = null;
    let app: App;
    let files: { dir: string; cleanup: () => void };
    let seed = 9100;
    const wavFile = () => {
      const file = path.join(files.dir, `c${++seed}.wav`);
      writeFileSync(file, wavBuffer({ seconds: 2, seed }));
      return file;
    };
    const push = async (file: string, startedAt: string): Promise<Call> => (await app.ingest.acceptFile(file, { ...callInput({ startedAt }), segments: segments() }, 'a.wav')).call;
    const keyOf = async (callId: string) => (await app.db.repos.recordings.getByCallId(callId))!.blobKey;

    before(async () => {
      if (!available) return;
      files = tempDir('tingjian-blob-reuse-');
      pg = await startDb();
      // Encrypted at rest: the store's commit takes its own per-blob lock, which is not enough.
      app = await testApp({ config: { ...(pg ? { databaseUrl: pg.url } : {}), masterKey: randomBytes(32).toString('base64') } });
    });
    after(async () => {
      if (!available) return;
      await app.close();
      await pg?.stop();
      files.cleanup();
    });

    it('a re-push while the purge removes the original waits for it, then stores the file afresh', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const file = wavFile();
      const old = await push(file, '2020-01-01T00:00:00+08:00');
      const key = await keyOf(old.id);
      // The purge is held inside the store's delete: the old call's rows are gone and its check
      // "no other recording uses this blob" is done. The same bytes are pushed again then, and
      // given every chance to finish before the file goes — the code this guards against kept
      // the file there and stored a recording pointing at it.
      const ingestWaits = signal();
      const unpatchLookup = patch(app.db.repos.retention, 'deletionOfBlob', (real) => async (k: string) => {
        const found = await real(k);
        if (k === key && found !== null) ingestWaits.resolve();
        return found;
      });
      let repush = null as Promise<Call> | null;
      const unpatchDelete = patch(app.blobs as BlobStore, 'delete', (real) => async (k: string) => {
        if (k === key && repush === null) {
          repush = push(file, iso(Date.now()));
          await Promise.race([repush, ingestWaits.promise]);
        }
        return real(k);
      });
      try {
        const report = await app.retention.purge({ actor: ACTOR });
        assert.ok(report.calls.some((c) => c.callId === old.id));
      } finally {
        unpatchDelete();
        unpatchLookup();
      }
      assert.ok(repush, 'the purge removed the original');
      const again = await repush;
      assert.notEqual(again.id, old.id, 'a new call');
      assert.equal(await keyOf(again.id), key, 'the new call stored the same blob');
      assert.ok(await app.blobs.stat(key), 'the new call’s original is there');
      const bytes = Buffer.concat(await app.blobs.read(key).toArray());
      assert.equal(bytes.length, (await app.db.repos.recordings.getByCallId(again.id))!.sizeBytes);
    });

    /**
     * The rarer order: the same bytes stored by a second call, which is then deleted, all while a
     * first push waits between writing the file and storing its recording. The first push is held
     * after its commit — past its wait for deletions — until `release()`; the second is stored.
     */
    const sameBytesTwice = async () => {
      const file = wavFile();
      const committed = signal();
      const release = signal();
      const unpatch = patch(app.blobs as BlobStore, 'stageFile', (real) => async (p: string, o?: { maxBytes?: number }) => {
        const staged: StagedBlob = await real(p, o);
        return {
          ...staged,
          commit: async () => {
            const r = await staged.commit();
            committed.resolve();
            await release.promise;
            return r;
          },
        };
      });
      const first = push(file, iso(Date.now()));
      await committed.promise;
      unpatch();
      const second = await push(file, iso(Date.now()));
      const key = await keyOf(second.id);
      const stored = async () => app.db.repos.recordings.findBySha256(key.slice(key.lastIndexOf('/') + 1));
      return { file, first, release: release.resolve, second, key, stored };
    };
    const refusedAsConflict = (e: unknown) => isTingjianError(e) && e.code === 'CONFLICT' && /push it again/.test(e.message);

    it('a push that reached its commit before a call with the same bytes was stored and deleted is refused, not left pointing at nothing', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const { file, first, release, second, key, stored } = await sameBytesTwice();
      await app.retention.deleteCall(second.id, { auditAs: ACTOR });
      assert.equal(await app.blobs.stat(key), null, 'the deletion removed the file (no recording used it yet)');
      release();
      await assert.rejects(first, refusedAsConflict);
      assert.equal(await stored(), null, 'no recording points at the removed file');
      const third = await push(file, iso(Date.now()));
      assert.ok(await app.blobs.stat(await keyOf(third.id)), 'pushed again, it is stored whole');
    });

    it('… and refused too while that deletion is still removing the file', async (t) => {
      if (!needs(t, dbName, available, POSTGRES_INSTALL)) return;
      const { first, release, second, key, stored } = await sameBytesTwice();
      let outcome = null as Promise<unknown> | null;
      const unpatchDelete = patch(app.blobs as BlobStore, 'delete', (real) => async (k: string) => {
        if (k === key && outcome === null) {
          release();
          outcome = first.then(
            () => 'stored',
            (e: unknown) => e,
          );
          await outcome;
        }
        return real(k);
      });
      try {
        await app.retention.deleteCall(second.id, { auditAs: ACTOR });
      } finally {
        unpatchDelete();
      }
      assert.ok(refusedAsConflict(await outcome), `the first push: ${String(await outcome)}`);
      assert.equal(await stored(), null);
      assert.equal(await app.blobs.stat(key), null, 'the deletion went on');
    });
  });
}

blobReuseSuite('SQLite', async () => null, true);
blobReuseSuite('PostgreSQL', () => startThrowawayPostgres(), postgresAvailable());
