import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../src/adapters/db/open-database.js';
import { CHUNK_BYTES } from '../../src/crypto/chunked-cipher.js';
import { callInput, transcriptInput } from '../support/factories.js';
import { freshWav, sha256, startHttpServer, type StoredCall } from '../support/http-harness.js';

// The HTTP API with encryption at rest on (TINGJIAN_MASTER_KEY): audio and Range requests
// decrypt from the chunked format, the call detail reads its encrypted transcript, and what is on
// disk and in the database is ciphertext. Setup awaits before any test is declared (see
// http-call-audio.test.ts).

const api = await startHttpServer({ masterKey: randomBytes(32).toString('base64') });
const { base, upload, postJson, get, waitForCall } = api;
after(() => api.close());

describe('HTTP API with encryption at rest', () => {
  // 5 s of 16-bit stereo 8 kHz: 160 kB, three 64 KiB chunks.
  const wav = freshWav({ seconds: 5 });
  let audioId = '';

  test('an uploaded recording is stored encrypted and comes back byte for byte, with ranges across chunk boundaries', async () => {
    const { res, body } = await upload(wav, 'enc.wav', callInput());
    assert.equal(res.status, 201);
    audioId = body.call.id;
    await waitForCall(audioId, 30_000);
    const rec = (await api.app.db.repos.recordings.getByCallId(audioId))!;
    const onDisk = readFileSync(path.join(api.app.dataDir, 'recordings', rec.blobKey));
    assert.equal(onDisk.indexOf(wav.subarray(0, 44)), -1, 'the WAV header is not on disk');
    const whole = await api.fetch(`${base}/api/v1/calls/${audioId}/audio`);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-length'), String(wav.length));
    assert.equal(whole.headers.get('x-content-sha256'), sha256(wav));
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(wav));
    for (const [start, end] of [
      [0, 99],
      [CHUNK_BYTES - 10, CHUNK_BYTES + 9],
      [CHUNK_BYTES, 2 * CHUNK_BYTES],
      [wav.length - 7, wav.length - 1],
    ] as const) {
      const res = await api.fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: `bytes=${start}-${end}` } });
      assert.equal(res.status, 206);
      assert.equal(res.headers.get('content-range'), `bytes ${start}-${end}/${wav.length}`);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(wav.subarray(start, end + 1)), `${start}-${end}`);
    }
  });

  test('a transcript reads back through the API; its stored segments are ciphertext', async () => {
    const input = transcriptInput();
    const { res, body } = await postJson(input);
    assert.equal(res.status, 201);
    await waitForCall(body.call.id, 30_000);
    const detail = await get<{ call: StoredCall; transcript: { segments: Array<{ text: string }> } }>(`/api/v1/calls/${body.call.id}`);
    assert.equal(detail.res.status, 200);
    assert.deepEqual(
      detail.body.transcript.segments.map((s) => s.text),
      (input.segments as Array<{ text: string }>).map((s) => s.text),
    );
    const plain = await openDatabase(api.app.config.databaseUrl);
    try {
      const rows = await plain.repos.transcripts.get(body.call.id);
      assert.ok(rows!.segments.every((s) => s.text.startsWith('enc1:') && !s.text.includes('面膜')), 'without the decorator the rows are ciphertext');
    } finally {
      await plain.close();
    }
  });
});
