import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { locateFfmpeg } from '../../src/adapters/ffmpeg/locate-ffmpeg.js';
import { buildServer } from '../../src/http/build-server.js';
import { callInput, testApp, transcriptInput, wavBuffer } from '../support/factories.js';
import { adminAuth } from '../support/http-harness.js';

// Bad input over real HTTP: every rejected request must get a 4xx with a stable error code and a
// message naming the problem, and must leave no trace: no call row, no blob, no staging file.
// Setup is awaited before any test is declared (see probe-audio.test.ts).

const app = await testApp({ workers: true, config: { maxUploadMb: 1 } });
const server = await buildServer(app);
await server.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
const auth = await adminAuth(app);
const api = { fetch: (url: string, init: RequestInit = {}) => fetch(url, { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } }) };
const blobDir = path.join(app.dataDir, 'recordings', 'sha256');
const stagingDir = path.join(app.dataDir, 'recordings', '.staging');

const fixtures = mkdtempSync(path.join(tmpdir(), 'tingjian-e2e-bad-'));
const ffmpeg = (await locateFfmpeg()).path;
const flacPath = path.join(fixtures, 'tone.flac');
execFileSync(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-ac', '1', '-ar', '8000', '-c:a', 'flac', flacPath]);
const flac = readFileSync(flacPath);

// One good call stored first, so "nothing stored" is checked against a non-empty store.
const good = wavBuffer({ seconds: 0.5, seed: 4242 });
{
  const form = new FormData();
  form.append('metadata', JSON.stringify(callInput()));
  form.append('audio', new Blob([good]), 'good.wav');
  const res = await api.fetch(`${base}/api/v1/calls`, { method: 'POST', body: form });
  if (res.status !== 201) throw new Error(`setup upload failed: ${res.status} ${await res.text()}`);
}

after(async () => {
  await server.close();
  await app.close();
  rmSync(fixtures, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// fixtures

/** RIFF/WAVE magic, then pseudo-random bytes where the chunks should be. */
function corruptWav(): Buffer {
  const b = Buffer.alloc(4096);
  let s = 0x9e3779b9;
  for (let i = 0; i < b.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[i] = s >>> 24;
  }
  b.write('RIFF', 0);
  b.writeUInt32LE(b.length - 8, 4);
  b.write('WAVE', 8);
  return b;
}

let seed = 5000;
/** A valid WAV nobody uploaded yet, so a duplicate match cannot hide the error under test. */
const fresh = (channels = 2) => wavBuffer({ seconds: 0.5, channels, seed: ++seed });

/** A WAV whose header declares 2 s of data, cut after 0.5 s. */
function truncatedWav(): Buffer {
  const full = wavBuffer({ seconds: 2, seed: 77 });
  return full.subarray(0, 44 + 8000 * 4 * 0.5);
}

// ---------------------------------------------------------------------------------------------
// helpers

interface ErrorBody {
  error: { code: string; message: string };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

async function snapshot(): Promise<{ calls: number; listed: number; blobs: string[] }> {
  const res = await api.fetch(`${base}/api/v1/calls?limit=500`);
  const page = (await res.json()) as { items: unknown[] };
  return { calls: await app.db.repos.calls.count({}), listed: page.items.length, blobs: filesUnder(blobDir).sort() };
}

type Part = { field: string; value: string } | { field: string; bytes: Buffer; filename: string; type?: string };

function form(parts: Part[]): FormData {
  const f = new FormData();
  for (const p of parts) {
    if ('bytes' in p) f.append(p.field, new Blob([p.bytes], p.type ? { type: p.type } : {}), p.filename);
    else f.append(p.field, p.value);
  }
  return f;
}
const meta = (m: unknown = callInput()): Part => ({ field: 'metadata', value: typeof m === 'string' ? m : JSON.stringify(m) });
const file = (bytes: Buffer, filename = 'call.wav', field = 'audio'): Part => ({ field, bytes, filename });

interface BadCase {
  name: string;
  request: () => RequestInit;
  status: number;
  code: string;
  /** Substrings the message must contain (it names the problem). */
  mentions: string[];
}

const multipart = (...parts: Part[]) => () => ({ method: 'POST', body: form(parts) });
const jsonBody = (body: string, contentType = 'application/json') => () => ({ method: 'POST', headers: { 'content-type': contentType }, body });

const cases: BadCase[] = [
  // --- the recording
  { name: 'corrupt audio (RIFF/WAVE magic, garbage chunks)', request: multipart(meta(), file(corruptWav())), status: 422, code: 'INVALID_AUDIO', mentions: ['WAV'] },
  { name: 'truncated WAV (header declares more data than sent)', request: multipart(meta(), file(truncatedWav())), status: 422, code: 'INVALID_AUDIO', mentions: ['truncated'] },
  { name: 'zero-length file', request: multipart(meta(), file(Buffer.alloc(0))), status: 400, code: 'EMPTY_UPLOAD', mentions: ['empty'] },
  { name: 'a text file', request: multipart(meta(), file(Buffer.from('call notes: customer wants a refund\n'), 'notes.txt')), status: 415, code: 'UNSUPPORTED_FORMAT', mentions: ['unsupported audio format', 'plain text'] },
  { name: 'a FLAC made by ffmpeg', request: multipart(meta(), file(flac, 'call.flac')), status: 415, code: 'UNSUPPORTED_FORMAT', mentions: ['FLAC'] },
  { name: 'a FLAC misnamed .wav', request: multipart(meta(), file(flac, 'call.wav')), status: 415, code: 'UNSUPPORTED_FORMAT', mentions: ['FLAC'] },
  {
    name: 'an upload over maxUploadMb (2 MB WAV, limit 1 MB)',
    request: multipart(meta(), file(wavBuffer({ seconds: 65, seed: 9 }))),
    status: 413,
    code: 'UPLOAD_TOO_LARGE',
    mentions: ['TINGJIAN_MAX_UPLOAD_MB'],
  },
  // --- the metadata field
  { name: 'metadata that is not JSON', request: multipart(meta('{agentId: A1001'), file(fresh())), status: 400, code: 'INVALID_METADATA', mentions: ['"metadata"', 'not valid JSON'] },
  { name: 'metadata with an unknown field (agnetId)', request: multipart(meta({ ...callInput(), agnetId: 'A1' }), file(fresh())), status: 400, code: 'INVALID_METADATA', mentions: ['agnetId'] },
  { name: 'metadata durationMs "abc"', request: multipart(meta(callInput({ durationMs: 'abc' })), file(fresh())), status: 400, code: 'INVALID_METADATA', mentions: ['durationMs'] },
  { name: 'metadata startedAt "yesterday"', request: multipart(meta(callInput({ startedAt: 'yesterday' })), file(fresh())), status: 400, code: 'INVALID_METADATA', mentions: ['startedAt'] },
  // Feb 30 passes the ISO regex and Date.parse rolls it over to Mar 2; it must be refused.
  { name: 'metadata startedAt 2025-02-30 (not a real day)', request: multipart(meta(callInput({ startedAt: '2025-02-30T10:00:00+08:00' })), file(fresh())), status: 400, code: 'INVALID_METADATA', mentions: ['startedAt', '2025-02-30'] },
  { name: 'metadata startedAt 2025-04-31, on an already stored recording', request: multipart(meta(callInput({ startedAt: '2025-04-31 10:00' })), file(good)), status: 400, code: 'INVALID_METADATA', mentions: ['startedAt'] },
  {
    name: 'metadata with three wrong types at once',
    request: multipart(meta(callInput({ durationMs: 'abc', startedAt: 'yesterday', channel: 'fax' })), file(fresh())),
    status: 400,
    code: 'INVALID_METADATA',
    mentions: ['durationMs', 'startedAt', 'channel'],
  },
  { name: 'metadata channel "fax"', request: multipart(meta(callInput({ channel: 'fax' })), file(fresh())), status: 400, code: 'INVALID_METADATA', mentions: ['channel'] },
  { name: 'metadata that is a JSON array', request: multipart(meta([callInput()]), file(fresh())), status: 400, code: 'INVALID_METADATA', mentions: ['JSON object'] },
  {
    name: 'channelRoles for 3 channels on a stereo recording',
    request: multipart(meta(callInput({ channelRoles: ['agent', 'customer', 'agent'] })), file(fresh())),
    status: 400,
    code: 'INVALID_METADATA',
    mentions: ['channelRoles', '3', '2'],
  },
  // A re-push of a stored recording is still validated: wrong roles must not be answered 200.
  {
    name: 'channelRoles for 3 channels on an already stored stereo recording',
    request: multipart(meta(callInput({ channelRoles: ['agent', 'customer', 'agent'] })), file(good)),
    status: 400,
    code: 'INVALID_METADATA',
    mentions: ['channelRoles'],
  },
  {
    name: 'channelRoles for 2 channels on a mono recording',
    request: multipart(meta(callInput({ channelRoles: ['agent', 'customer'] })), file(fresh(1))),
    status: 400,
    code: 'INVALID_METADATA',
    mentions: ['channelRoles'],
  },
  // --- transcript JSON bodies
  {
    name: 'a transcript segment with endMs < startMs',
    request: jsonBody(JSON.stringify(transcriptInput({ segments: [{ speaker: 'agent', startMs: 5000, endMs: 1000, text: '您好' }] }))),
    status: 400,
    code: 'INVALID_TRANSCRIPT',
    mentions: ['endMs'],
  },
  { name: 'a transcript with an empty segments list', request: jsonBody(JSON.stringify(transcriptInput({ segments: [] }))), status: 400, code: 'INVALID_TRANSCRIPT', mentions: ['no segments'] },
  { name: 'a transcript body without segments', request: jsonBody(JSON.stringify(callInput())), status: 400, code: 'INVALID_REQUEST', mentions: ['segments'] },
  {
    name: 'a transcript segment with an unknown speaker',
    request: jsonBody(JSON.stringify(transcriptInput({ segments: [{ speaker: 'robot', startMs: 0, endMs: 1000, text: 'hi' }] }))),
    status: 400,
    code: 'INVALID_TRANSCRIPT',
    mentions: ['speaker'],
  },
  { name: 'a JSON body that is an array', request: jsonBody(JSON.stringify([transcriptInput()])), status: 400, code: 'INVALID_METADATA', mentions: ['JSON object'] },
  { name: 'a JSON body that is null', request: jsonBody('null'), status: 400, code: 'INVALID_REQUEST', mentions: ['multipart/form-data'] },
  { name: 'an empty JSON body', request: jsonBody(''), status: 400, code: 'INVALID_REQUEST', mentions: ['empty'] },
  { name: 'malformed JSON', request: jsonBody('{"externalId": "x",'), status: 400, code: 'INVALID_REQUEST', mentions: ['JSON'] },
  { name: 'a POST with no body at all', request: () => ({ method: 'POST' }), status: 400, code: 'INVALID_REQUEST', mentions: ['multipart/form-data'] },
  { name: 'a text/plain body', request: jsonBody(JSON.stringify(transcriptInput()), 'text/plain'), status: 400, code: 'INVALID_REQUEST', mentions: ['application/json'] },
  { name: 'an unsupported content type', request: jsonBody('<call/>', 'application/xml'), status: 400, code: 'INVALID_REQUEST', mentions: ['multipart/form-data'] },
  // --- multipart shape
  { name: 'metadata that is not JSON, after the file part', request: multipart(file(fresh()), meta('not json')), status: 400, code: 'INVALID_METADATA', mentions: ['not valid JSON'] },
  { name: 'the metadata field sent twice', request: multipart(meta(callInput({ agentId: 'A1' })), meta(callInput({ agentId: 'A2' })), file(fresh())), status: 400, code: 'INVALID_REQUEST', mentions: ['"metadata"', 'twice'] },
  { name: 'multipart with no file part', request: multipart(meta()), status: 400, code: 'INVALID_REQUEST', mentions: ['no file part'] },
  {
    name: 'multipart without a boundary',
    request: () => ({ method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'whatever' }),
    status: 400,
    code: 'INVALID_REQUEST',
    mentions: ['multipart'],
  },
  {
    name: 'a multipart body cut short',
    request: () => ({
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\ncontent-disposition: form-data; name="audio"; filename="a.wav"\r\ncontent-type: audio/wav\r\n\r\nRIFF....WAVE',
    }),
    status: 400,
    code: 'INVALID_REQUEST',
    mentions: ['malformed'],
  },
  { name: 'a NUL character in metadata', request: multipart(meta(callInput({ agentId: 'A\u00001' })), file(fresh())), status: 400, code: 'INVALID_METADATA', mentions: ['agentId', 'NUL'] },
  { name: 'startedAt far beyond 2100 (microseconds sent as milliseconds)', request: multipart(meta(callInput({ startedAt: 1_758_162_600_000_000 })), file(fresh())), status: 400, code: 'INVALID_METADATA', mentions: ['startedAt', '2100'] },
  { name: 'multipart with two files', request: multipart(meta(), file(fresh(), 'a.wav'), file(fresh(), 'b.wav', 'audio2')), status: 400, code: 'INVALID_REQUEST', mentions: ['one recording per request'] },
  { name: 'multipart with an unknown form field before the file', request: multipart(meta(), { field: 'agentId', value: 'A1' }, file(fresh())), status: 400, code: 'INVALID_METADATA', mentions: ['unknown form field', 'agentId'] },
  { name: 'multipart with an unknown form field after the file', request: multipart(meta(), file(fresh()), { field: 'agnetId', value: 'A1' }), status: 400, code: 'INVALID_METADATA', mentions: ['agnetId'] },
];

describe('bad input over HTTP: 4xx with a clear code, nothing stored', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const before = await snapshot();
      const res = await api.fetch(`${base}/api/v1/calls`, c.request());
      const text = await res.text();
      let body: ErrorBody;
      try {
        body = JSON.parse(text) as ErrorBody;
      } catch {
        assert.fail(`${res.status}: body is not JSON: ${text.slice(0, 200)}`);
      }
      assert.equal(res.status, c.status, `status; body: ${text}`);
      assert.equal(body.error?.code, c.code, `code; body: ${text}`);
      for (const m of c.mentions) assert.ok(body.error.message.includes(m), `message should mention ${JSON.stringify(m)}: ${body.error.message}`);
      assert.doesNotMatch(body.error.message, /\n\s+at /, 'no stack trace');

      const afterwards = await snapshot();
      assert.equal(afterwards.calls, before.calls, 'no call stored');
      assert.equal(afterwards.listed, before.listed, 'no call listed');
      assert.deepEqual(afterwards.blobs, before.blobs, 'no blob stored');
      assert.deepEqual(readdirSync(stagingDir), [], 'staging is empty');
    });
  }

  test('a client that disconnects mid-upload leaves nothing behind', async () => {
    const before = await snapshot();
    const boundary = 'tingjian-e2e-abort';
    const wav = wavBuffer({ seconds: 20, seed: 888 }); // 640 kB, under the 1 MB limit
    const head = Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify(callInput())}\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="audio"; filename="cut.wav"\r\ncontent-type: audio/wav\r\n\r\n`,
    );
    const { port } = server.server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/calls', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + wav.length + 100 } });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.write(head);
      req.write(wav.subarray(0, wav.length / 2), () => setTimeout(() => req.destroy(), 100));
    });
    // The server notices the closed socket asynchronously; give it a moment to clean up.
    const deadline = Date.now() + 5000;
    while (readdirSync(stagingDir).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(readdirSync(stagingDir), [], 'staging is empty');
    const afterwards = await snapshot();
    assert.equal(afterwards.calls, before.calls, 'no call stored');
    assert.deepEqual(afterwards.blobs, before.blobs, 'no blob stored');
  });

  test('the server is still healthy after all of it, and still accepts a good call', async () => {
    const health = await api.fetch(`${base}/api/v1/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
    const res = await api.fetch(`${base}/api/v1/calls`, { method: 'POST', body: form([meta(), file(fresh())]) });
    assert.equal(res.status, 201, await res.text());
    assert.equal(await app.db.repos.calls.count({ status: 'failed' }), 0);
  });
});
