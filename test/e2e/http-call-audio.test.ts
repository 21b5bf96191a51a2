import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { callInput, transcriptInput } from '../support/factories.js';
import { freshWav, json, sha256, startHttpServer, type ErrorBody } from '../support/http-harness.js';

// End-to-end over real HTTP (see ../support/http-harness.ts): one call's detail and its audio —
// 404s, the bytes back, and Range requests.
// Every await of the setup happens before any test is declared (see probe-audio.test.ts): a root
// `after` registered behind a top-level await can otherwise run between batches of tests.

const api = await startHttpServer();
const { base, get, upload, postJson } = api;

after(async () => {
  await api.close();
});

describe('HTTP API end to end (real server, SQLite, in-process workers)', () => {
  describe('GET /api/v1/calls/:id and /audio', () => {
    const wav = freshWav({ seconds: 1 });
    let audioId = '';
    let transcriptId = '';

    test('setup: one WAV call, one transcript call', async () => {
      const a = await upload(wav, 'range.wav', callInput());
      assert.equal(a.res.status, 201);
      audioId = a.body.call.id;
      const t = await postJson(transcriptInput());
      assert.equal(t.res.status, 201);
      transcriptId = t.body.call.id;
    });

    test('an unknown id → 404 NOT_FOUND', async () => {
      for (const p of ['/api/v1/calls/no-such-call', '/api/v1/calls/no-such-call/audio']) {
        const { res, body } = await get<ErrorBody>(p);
        assert.equal(res.status, 404);
        assert.equal(body.error.code, 'NOT_FOUND');
        assert.match(body.error.message, /no-such-call/);
      }
    });

    test('an unknown route → 404 NOT_FOUND', async () => {
      const { res, body } = await get<ErrorBody>('/api/v1/nothing-here');
      assert.equal(res.status, 404);
      assert.equal(body.error.code, 'NOT_FOUND');
    });

    test('the audio comes back byte for byte', async () => {
      const res = await api.fetch(`${base}/api/v1/calls/${audioId}/audio`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'audio/wav');
      assert.equal(res.headers.get('accept-ranges'), 'bytes');
      assert.equal(res.headers.get('content-length'), String(wav.length));
      assert.equal(res.headers.get('x-content-sha256'), sha256(wav));
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(wav));
    });

    test('Range bytes=0-99 → 206 with the first 100 bytes', async () => {
      const res = await api.fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: 'bytes=0-99' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers.get('content-range'), `bytes 0-99/${wav.length}`);
      assert.equal(res.headers.get('content-length'), '100');
      const got = Buffer.from(await res.arrayBuffer());
      assert.equal(got.length, 100);
      assert.ok(got.equals(wav.subarray(0, 100)));
    });

    test('a middle range and an open-ended range', async () => {
      const mid = await api.fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: 'bytes=1000-1999' } });
      assert.equal(mid.status, 206);
      assert.ok(Buffer.from(await mid.arrayBuffer()).equals(wav.subarray(1000, 2000)));
      const open = await api.fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: `bytes=${wav.length - 5}-` } });
      assert.equal(open.status, 206);
      assert.equal(open.headers.get('content-range'), `bytes ${wav.length - 5}-${wav.length - 1}/${wav.length}`);
      assert.ok(Buffer.from(await open.arrayBuffer()).equals(wav.subarray(wav.length - 5)));
    });

    test('suffix range bytes=-10 → the last 10 bytes', async () => {
      const res = await api.fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: 'bytes=-10' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers.get('content-range'), `bytes ${wav.length - 10}-${wav.length - 1}/${wav.length}`);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(wav.subarray(wav.length - 10)));
    });

    test('a reversed range (bytes=5-2) is ignored: the whole file, 200', async () => {
      const res = await api.fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: 'bytes=5-2' } });
      assert.equal(res.status, 200);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(wav));
    });

    test('a range off the end → 416 with Content-Range bytes */size', async () => {
      const res = await api.fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: 'bytes=999999999-' } });
      assert.equal(res.status, 416);
      assert.equal(res.headers.get('content-range'), `bytes */${wav.length}`);
      const body = await json<ErrorBody>(res);
      assert.equal(body.error.code, 'RANGE_NOT_SATISFIABLE');
    });

    test('a transcript-only call has no audio → 404', async () => {
      const { res, body } = await get<ErrorBody>(`/api/v1/calls/${transcriptId}/audio`);
      assert.equal(res.status, 404);
      assert.equal(body.error.code, 'NOT_FOUND');
      assert.match(body.error.message, /recording/);
    });
  });
});
