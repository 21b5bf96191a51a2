import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { buildServer } from '../../src/http/build-server.js';
import type { BlobStore } from '../../src/ports/blob-store.js';
import { callInput, segments, tempDir, testApp, wavBuffer } from '../support/factories.js';

/**
 * "Never a deletion without its audit entry" (docs/security.md) for DELETE /api/v1/calls/:id:
 * the request's own entry when it succeeds, and — when it fails after the call's rows are gone —
 * a `call.delete` entry by the person who asked, written by the purge that finishes the deletion.
 */
const app = await testApp();
const server = await buildServer(app);
await server.ready();
const files = tempDir('tingjian-delete-audit-');
after(async () => {
  await server.close();
  await app.close();
  files.cleanup();
});

const admin = await app.accounts.createAccount({ username: 'admin.deleter', role: 'admin' });
const { token } = await app.accounts.createToken(admin.id, { name: 'deletes' }, null);
let seed = 4240;
const audioCall = async () => {
  const file = path.join(files.dir, `c${++seed}.wav`);
  writeFileSync(file, wavBuffer({ seconds: 2, seed }));
  const call = (await app.ingest.acceptFile(file, { ...callInput(), segments: segments() }, 'c.wav')).call;
  return { call, key: (await app.db.repos.recordings.getByCallId(call.id))!.blobKey };
};
const del = (id: string) => server.inject({ method: 'DELETE', url: `/api/v1/calls/${id}`, headers: { authorization: `Bearer ${token}` } });
const entriesOf = async (id: string) => (await app.audit.search({ targetId: id }, { limit: 20 })).items;

test('a deletion that succeeds: one call.delete entry, by the requester, and no tombstone left', async () => {
  const { call, key } = await audioCall();
  const res = await del(call.id);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(await app.blobs.stat(key), null);
  const entries = await entriesOf(call.id);
  assert.deepEqual(
    entries.map((e) => `${e.action} ${e.outcome} ${e.actorUsername}`),
    ['call.delete allowed admin.deleter'],
  );
  assert.equal(JSON.parse(entries[0]!.details).recordingDeleted, true);
  // Settled by the route's onResponse hook, which may still be running as inject() resolves.
  for (let i = 0; i < 100 && (await app.db.repos.retention.tombstones(10)).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(await app.db.repos.retention.tombstones(10), [], 'settled once the entry was written');
});

test('a deletion interrupted after its rows are gone: the purge that finishes it writes call.delete by the requester', async () => {
  const { call, key } = await audioCall();
  // Removing the file fails once (an I/O error; a crash at this point is worse: no entry at all).
  const blobs = app.blobs as BlobStore;
  const realDelete = blobs.delete.bind(blobs);
  blobs.delete = async () => {
    blobs.delete = realDelete;
    throw Object.assign(new Error('EIO: i/o error, unlink'), { code: 'EIO' });
  };
  const res = await del(call.id);
  assert.equal(res.statusCode, 500, res.body);
  assert.equal(await app.db.repos.calls.get(call.id), null, 'the call is deleted all the same');
  assert.deepEqual(
    (await entriesOf(call.id)).map((e) => `${e.action} ${e.outcome}`),
    ['call.delete failed'],
  );

  const report = await app.retention.purge({ actor: { userId: null, username: 'system', role: null, via: 'system' } });
  assert.equal(report.resumed, 1);
  assert.equal(await app.blobs.stat(key), null);
  const entries = await entriesOf(call.id);
  assert.deepEqual(
    entries.map((e) => `${e.action} ${e.outcome} ${e.actorUsername}`),
    ['call.delete allowed admin.deleter', 'call.delete failed admin.deleter'],
  );
  assert.equal(JSON.parse(entries[0]!.details).recordingDeleted, true);
});

test('a deletion whose request entry cannot be written: the request fails, and the tombstone keeps the entry for the purge', async () => {
  const { call } = await audioCall();
  const realRecord = app.audit.record.bind(app.audit);
  app.audit.record = async (e) => {
    if (e.action === 'call.delete') throw new Error('the audit log is unavailable');
    return realRecord(e);
  };
  try {
    const res = await del(call.id);
    assert.equal(res.statusCode, 500, res.body);
  } finally {
    app.audit.record = realRecord;
  }
  assert.equal(await app.db.repos.calls.get(call.id), null);
  assert.deepEqual((await app.db.repos.retention.tombstones(10)).map((t) => t.callId), [call.id]);
  await app.retention.purge({ actor: { userId: null, username: 'system', role: null, via: 'system' } });
  assert.deepEqual(
    (await entriesOf(call.id)).map((e) => `${e.action} ${e.outcome} ${e.actorUsername}`),
    ['call.delete allowed admin.deleter'],
  );
});
