import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AppContext } from '../../src/app/app-context.js';
import { HEADER_BYTES } from '../../src/crypto/chunked-cipher.js';
import { waitForCalls } from '../../src/pipeline/wait-for-calls.js';
import { verifyRecordings, type VerifyResult } from '../../src/integrity/verify-recordings.js';
import { callInput, segments, testApp, wavBuffer } from '../support/factories.js';

let seed = 7100;
async function ingestRecordings(app: AppContext & { dataDir: string }, n: number, extra: Record<string, unknown> = {}) {
  const out: Array<{ id: string; file: string; bytes: Buffer }> = [];
  for (let i = 0; i < n; i++) {
    const bytes = wavBuffer({ seconds: 1, seed: ++seed });
    const src = path.join(app.dataDir, `in-${seed}.wav`);
    await writeFile(src, bytes);
    const { call } = await app.ingest.acceptFile(src, callInput(extra), `in-${seed}.wav`);
    const rec = (await app.db.repos.recordings.getByCallId(call.id))!;
    out.push({ id: call.id, file: path.join(app.dataDir, 'recordings', rec.blobKey), bytes });
  }
  return out;
}

async function verify(app: AppContext) {
  const results = new Map<string, VerifyResult>();
  const summary = await verifyRecordings({ recordings: app.db.repos.recordings, blobs: app.blobs }, { pageSize: 2, onResult: (r) => results.set(r.callId, r) });
  return { summary, results };
}

describe('tingjian verify: recordings re-hashed against their recorded sha256', () => {
  it('plain store: an overwritten original is changed, a deleted one missing, the rest ok', async (t) => {
    const app = await testApp();
    t.after(() => app.close());
    assert.equal(app.keys, null);
    const [a, b, c] = await ingestRecordings(app, 3);
    assert.deepEqual((await verify(app)).summary, { total: 3, ok: 3, changed: 0, missing: 0, unreadable: 0 });
    await writeFile(a!.file, wavBuffer({ seconds: 1, seed: 99_999 }));
    await rm(b!.file);
    const { summary, results } = await verify(app);
    assert.deepEqual(summary, { total: 3, ok: 1, changed: 1, missing: 1, unreadable: 0 });
    assert.equal(results.get(a!.id)!.status, 'changed');
    assert.notEqual(results.get(a!.id)!.sha256, results.get(a!.id)!.expectedSha256);
    assert.equal(results.get(b!.id)!.status, 'missing');
    assert.equal(results.get(c!.id)!.status, 'ok');
  });

  it('encrypted store: a flipped ciphertext byte fails reads with INTEGRITY_MISMATCH and verify reports unreadable', async (t) => {
    const app = await testApp({ config: { masterKey: randomBytes(32).toString('base64') } });
    t.after(() => app.close());
    assert.ok(app.keys);
    const [a, b] = await ingestRecordings(app, 2);
    const onDisk = await readFile(a!.file);
    assert.notDeepEqual(onDisk.subarray(0, 44), a!.bytes.subarray(0, 44), 'the WAV header is not on disk in the clear');
    assert.deepEqual((await verify(app)).summary, { total: 2, ok: 2, changed: 0, missing: 0, unreadable: 0 });
    onDisk[HEADER_BYTES + 1234] = onDisk[HEADER_BYTES + 1234]! ^ 0x80;
    await writeFile(a!.file, onDisk);
    await assert.rejects(
      async () => {
        for await (const _ of app.blobs.read(path.relative(path.join(app.dataDir, 'recordings'), a!.file))) void _;
      },
      { code: 'INTEGRITY_MISMATCH' },
    );
    const { summary, results } = await verify(app);
    assert.deepEqual(summary, { total: 2, ok: 1, changed: 0, missing: 0, unreadable: 1 });
    assert.match(results.get(a!.id)!.error!, /^INTEGRITY_MISMATCH: stored recording sha256\/.* was altered/);
    assert.equal(results.get(b!.id)!.status, 'ok');
  });

  it('encryption on: the whole pipeline runs on an encrypted recording (ffmpeg gets a decrypted copy) and the call reads back', async (t) => {
    const app = await testApp({ workers: true, config: { masterKey: randomBytes(32).toString('base64') } });
    t.after(() => app.close());
    const [a] = await ingestRecordings(app, 1, { segments: segments() });
    const [call] = await waitForCalls(app.db, [a!.id], { timeoutMs: 60_000 });
    assert.equal(call!.status, 'done', JSON.stringify(call!.stages));
    assert.equal(call!.stages.decode.status, 'done');
    const detail = await app.calls.detail(a!.id);
    assert.deepEqual(
      detail.transcript!.segments.map((s) => s.text),
      segments().map((s) => s.text),
    );
    assert.ok(detail.text, 'the text analysis decrypts');
    assert.deepEqual((await verify(app)).summary, { total: 1, ok: 1, changed: 0, missing: 0, unreadable: 0 });
  });
});
