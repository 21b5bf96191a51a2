import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { locateFfmpeg } from '../../src/adapters/ffmpeg/locate-ffmpeg.js';
import { callDetailSchema } from '../../src/analyze/analysis-document.schema.js';
import { buildServer } from '../../src/http/build-server.js';
import { callInput, testApp, transcriptInput, wavBuffer } from '../support/factories.js';

// End-to-end over real HTTP: the whole app (SQLite, blob store, in-process workers) behind a
// listening Fastify, driven with the global fetch/FormData/Blob a real client would use.
// Every await of the setup happens before any test is declared (see probe-audio.test.ts): a root
// `after` registered behind a top-level await can otherwise run between batches of tests.

const app = await testApp({ workers: true, config: { maxUploadMb: 1 } });
const server = await buildServer(app);
await server.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

// A real MP3, made at test time by the same ffmpeg the app uses to probe it.
const fixtures = mkdtempSync(path.join(tmpdir(), 'tingjian-e2e-api-'));
const ffmpeg = (await locateFfmpeg()).path;
const mp3Path = path.join(fixtures, 'tone.mp3');
execFileSync(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-ac', '2', '-ar', '8000', '-c:a', 'libmp3lame', '-b:a', '32k', mp3Path]);
const mp3 = readFileSync(mp3Path);

after(async () => {
  await server.close();
  await app.close();
  rmSync(fixtures, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// helpers

interface ErrorBody {
  error: { code: string; message: string };
}
interface StoredCall {
  id: string;
  externalId: string | null;
  status: 'processing' | 'done' | 'failed';
  agentId: string | null;
  teamId: string | null;
  businessLine: string | null;
  startedAt: string | null;
  stages: Record<string, { status: string; note?: string; error?: string }>;
  [k: string]: unknown;
}
interface Accepted {
  call: StoredCall;
  created: boolean;
  matchedBy?: 'externalId' | 'sha256';
}
interface ListPage {
  items: StoredCall[];
  nextCursor: string | null;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let seed = 1000;
/** A WAV no other test uploads (the seed changes the noise, so the sha256). */
const freshWav = (opts: { seconds?: number; channels?: number } = {}) => wavBuffer({ seconds: opts.seconds ?? 0.5, channels: opts.channels ?? 2, seed: ++seed });

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${res.status} ${res.url}: body is not JSON: ${text.slice(0, 200)}`);
  }
}

function uploadForm(bytes: Buffer, name: string, metadata?: Record<string, unknown>, type = 'audio/wav'): FormData {
  const form = new FormData();
  if (metadata) form.append('metadata', JSON.stringify(metadata));
  form.append('audio', new Blob([bytes], { type }), name);
  return form;
}

async function upload(bytes: Buffer, name: string, metadata?: Record<string, unknown>, type?: string): Promise<{ res: Response; body: Accepted }> {
  const res = await fetch(`${base}/api/v1/calls`, { method: 'POST', body: uploadForm(bytes, name, metadata, type) });
  return { res, body: await json<Accepted>(res) };
}

async function postJson(body: unknown): Promise<{ res: Response; body: Accepted }> {
  const res = await fetch(`${base}/api/v1/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { res, body: await json<Accepted>(res) };
}

async function get<T>(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ res: Response; body: T }> {
  const res = await fetch(`${base}${pathAndQuery}`, { headers });
  return { res, body: await json<T>(res) };
}

/** Polls the call until the pipeline is finished (done or failed), for at most `timeoutMs`. */
async function waitForCall(id: string, timeoutMs = 10_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { res, body } = await get<{ call: StoredCall }>(`/api/v1/calls/${id}`);
    assert.equal(res.status, 200);
    if (body.call.status !== 'processing') {
      assert.equal(body.call.status, 'done', `call ${id} failed: ${JSON.stringify(body.call.stages)}`);
      return body;
    }
    if (Date.now() > deadline) assert.fail(`call ${id} still processing after ${timeoutMs} ms: ${JSON.stringify(body.call.stages)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function listAll(query: string, limit: number): Promise<StoredCall[]> {
  const all: StoredCall[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const { res, body }: { res: Response; body: ListPage } = await get<ListPage>(`/api/v1/calls?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.ok(body.items.length <= limit);
    all.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return all;
  }
  throw new Error('more than 100 pages');
}

// ---------------------------------------------------------------------------------------------

describe('HTTP API end to end (real server, SQLite, in-process workers)', () => {
  test('GET /api/v1/health answers ok on SQLite', async () => {
    const { res, body } = await get<{ status: string; database: string; workers: boolean; version: string }>('/api/v1/health');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(body.status, 'ok');
    assert.equal(body.database, 'sqlite');
    assert.equal(body.workers, true);
    assert.equal(typeof body.version, 'string');
  });

  test('a stereo WAV upload is stored, verified and walks the pipeline to done', async () => {
    const wav = freshWav({ seconds: 1 });
    const meta = callInput({ agentId: 'A-E2E-WAV', customerTags: ['VIP', '复购'], extra: { ticket: 'T-9' } });
    const { res, body } = await upload(wav, 'call.wav', meta);
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.created, true);
    assert.equal(body.matchedBy, undefined);
    const c = body.call;
    assert.equal(c.externalId, meta.externalId);
    assert.equal(c.agentId, 'A-E2E-WAV');
    assert.equal(c.teamId, meta.teamId);
    assert.equal(c.businessLine, meta.businessLine);
    assert.equal(c.channel, 'phone');
    assert.equal(c.direction, 'inbound');
    assert.equal(c.startedAt, '2025-09-18T02:30:00.000Z');
    assert.equal(c.durationMs, 1000, 'duration from the WAV header');
    assert.deepEqual(c.customerTags, ['VIP', '复购']);
    assert.deepEqual(c.extra, { ticket: 'T-9' });
    assert.equal(c.status, 'processing');
    assert.equal(c.stages.ingest?.status, 'queued');

    const detail = callDetailSchema.parse(await waitForCall(c.id));
    const s = detail.call.stages;
    assert.equal(s.ingest.status, 'done');
    assert.match(s.ingest.note ?? '', /verified/);
    assert.equal(s.decode.status, 'skipped');
    assert.equal(s.vad.status, 'skipped');
    assert.equal(s.transcribe.status, 'skipped', 'no transcript and no ASR engine');
    assert.equal(s.enrich.status, 'skipped');
    assert.equal(s.inspect.status, 'skipped');
    assert.equal(s.index.status, 'done');
    assert.ok(detail.recording);
    assert.equal(detail.recording.format, 'wav');
    assert.equal(detail.recording.codec, 'pcm_s16le');
    assert.equal(detail.recording.sampleRate, 8000);
    assert.equal(detail.recording.channels, 2);
    assert.deepEqual(detail.recording.channelRoles, ['agent', 'customer']);
    assert.equal(detail.recording.durationMs, 1000);
    assert.equal(detail.recording.sizeBytes, wav.length);
    assert.equal(detail.recording.sha256, sha256(wav));
    assert.equal(detail.recording.originalName, 'call.wav');
    assert.equal(detail.transcript, null);
    assert.equal(detail.signals, null);
  });

  test('an MP3 upload is probed with ffmpeg and stored as mp3', async () => {
    const { res, body } = await upload(mp3, 'call.mp3', callInput({ agentId: 'A-E2E-MP3' }), 'audio/mpeg');
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.created, true);
    assert.ok(body.call.durationMs !== null && Math.abs((body.call.durationMs as number) - 2000) < 200, `durationMs ${String(body.call.durationMs)}`);
    const detail = callDetailSchema.parse(await waitForCall(body.call.id));
    assert.ok(detail.recording);
    assert.equal(detail.recording.format, 'mp3');
    assert.equal(detail.recording.codec, 'mp3');
    assert.equal(detail.recording.sampleRate, 8000);
    assert.equal(detail.recording.channels, 2);
    assert.deepEqual(detail.recording.channelRoles, ['agent', 'customer']);
    assert.equal(detail.recording.sha256, sha256(mp3));
    assert.match(detail.call.stages.ingest.note ?? '', /verified/);

    const audio = await fetch(`${base}/api/v1/calls/${body.call.id}/audio`);
    assert.equal(audio.status, 200);
    assert.equal(audio.headers.get('content-type'), 'audio/mpeg');
    assert.ok(Buffer.from(await audio.arrayBuffer()).equals(mp3));
  });

  test('a mono WAV gets channelRoles ["unknown"] (both sides mixed)', async () => {
    const { res, body } = await upload(freshWav({ channels: 1 }), 'mono.wav', callInput());
    assert.equal(res.status, 201, JSON.stringify(body));
    const detail = callDetailSchema.parse(await waitForCall(body.call.id));
    assert.ok(detail.recording);
    assert.equal(detail.recording.channels, 1);
    assert.deepEqual(detail.recording.channelRoles, ['unknown']);
  });

  test('a WAV without metadata is accepted with defaults', async () => {
    const { res, body } = await upload(freshWav(), 'bare.wav');
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.call.externalId, null);
    assert.equal(body.call.channel, 'phone');
    await waitForCall(body.call.id);
  });

  test('a transcript-only JSON call gets its segments sorted and indexed, and signals', async () => {
    const input = transcriptInput({
      agentId: 'A-E2E-TX',
      segments: [
        { speaker: 'customer', startMs: 4000, endMs: 8000, text: '我买的面膜过敏了，想退货。' },
        { speaker: 'agent', startMs: 500, endMs: 3500, text: '您好，很高兴为您服务，请问有什么可以帮您？' },
        { speaker: 'agent', startMs: 8500, endMs: 12_000, text: '非常抱歉给您带来不便，我马上为您处理退货。', confidence: 0.9 },
      ],
    });
    const { res, body } = await postJson(input);
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.created, true);
    assert.equal(body.call.channel, 'chat');
    assert.equal(body.call.durationMs, 12_000, 'duration from the last segment');

    const detail = callDetailSchema.parse(await waitForCall(body.call.id));
    assert.equal(detail.recording, null);
    assert.ok(detail.transcript);
    assert.equal(detail.transcript.engine, 'provided');
    assert.deepEqual(
      detail.transcript.segments.map((s) => [s.index, s.speaker, s.startMs]),
      [
        [0, 'agent', 500],
        [1, 'customer', 4000],
        [2, 'agent', 8500],
      ],
    );
    assert.equal(detail.transcript.segments[2]?.confidence, 0.9);
    assert.ok(detail.signals, 'enrich computed signals from the transcript');
    assert.equal(detail.signals.source, 'transcript');
    assert.equal(detail.signals.talkMs.agent, 3000 + 3500);
    assert.equal(detail.signals.talkMs.customer, 4000);
    const s = detail.call.stages;
    assert.equal(s.ingest.status, 'done');
    assert.match(s.ingest.note ?? '', /transcript only/);
    assert.equal(s.decode.status, 'skipped');
    assert.equal(s.vad.status, 'skipped');
    assert.equal(s.transcribe.status, 'done');
    assert.equal(s.enrich.status, 'done');
    assert.equal(s.index.status, 'done');
  });

  describe('idempotent ingest', () => {
    test('the same multipart upload twice returns the first call (matchedBy externalId)', async () => {
      const wav = freshWav();
      const meta = callInput();
      const first = await upload(wav, 'twice.wav', meta);
      assert.equal(first.res.status, 201);
      const again = await upload(wav, 'twice.wav', meta);
      assert.equal(again.res.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.created, false);
      assert.equal(again.body.matchedBy, 'externalId');
      assert.equal(again.body.call.id, first.body.call.id);
    });

    test('the same audio bytes under another externalId, or none, match by sha256', async () => {
      const wav = freshWav();
      const first = await upload(wav, 'a.wav', callInput());
      assert.equal(first.res.status, 201);
      const other = await upload(wav, 'b.wav', callInput());
      assert.equal(other.res.status, 200, JSON.stringify(other.body));
      assert.equal(other.body.created, false);
      assert.equal(other.body.matchedBy, 'sha256');
      assert.equal(other.body.call.id, first.body.call.id);
      const none = await upload(wav, 'c.wav');
      assert.equal(none.res.status, 200);
      assert.equal(none.body.matchedBy, 'sha256');
      assert.equal(none.body.call.id, first.body.call.id);
    });

    test('the same transcript JSON twice returns the first call', async () => {
      const input = transcriptInput();
      const first = await postJson(input);
      assert.equal(first.res.status, 201);
      const again = await postJson(input);
      assert.equal(again.res.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.created, false);
      assert.equal(again.body.matchedBy, 'externalId');
      assert.equal(again.body.call.id, first.body.call.id);
    });

    test('20 identical concurrent uploads store exactly one call', async () => {
      const wav = freshWav();
      const meta = callInput({ agentId: 'A-E2E-RACE' });
      const results = await Promise.all(Array.from({ length: 20 }, () => upload(wav, 'race.wav', meta)));
      const statuses = results.map((r) => r.res.status);
      assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 200).length, 19, `statuses: ${statuses.join(',')}`);
      assert.equal(new Set(results.map((r) => r.body.call.id)).size, 1, 'everyone got the same call');
      const { body } = await get<ListPage>('/api/v1/calls?agentId=A-E2E-RACE');
      assert.equal(body.items.length, 1);
      await waitForCall(body.items[0]!.id);
      // the one blob is intact after 19 discarded duplicates
      const audio = await fetch(`${base}/api/v1/calls/${body.items[0]!.id}/audio`);
      assert.ok(Buffer.from(await audio.arrayBuffer()).equals(wav));
    });

    test('the same new audio sent at once under different externalIds stores one call (sha256)', async () => {
      const wav = freshWav();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => upload(wav, `race-${i}.wav`, i % 2 ? callInput({ agentId: 'A-E2E-RACE2' }) : undefined)));
      const statuses = results.map((r) => r.res.status);
      assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
      assert.ok(
        results.filter((r) => r.res.status === 200).every((r) => r.body.matchedBy === 'sha256'),
        'losers matched by sha256',
      );
      assert.equal(new Set(results.map((r) => r.body.call.id)).size, 1);
      const id = results[0]!.body.call.id;
      await waitForCall(id);
      const audio = await fetch(`${base}/api/v1/calls/${id}/audio`);
      assert.ok(Buffer.from(await audio.arrayBuffer()).equals(wav));
    });
  });

  describe('GET /api/v1/calls', () => {
    // Seven transcript-only calls of one agent, a day apart, over two teams and two lines.
    const agentId = `A-LIST-${process.pid}`;
    const days = [1, 2, 3, 4, 5, 6, 7];
    const startedAt = (d: number) => `2025-03-0${d}T09:00:00+08:00`;
    const ids = new Map<number, string>();

    test('setup: seven calls', async () => {
      for (const d of days) {
        const { res, body } = await postJson(transcriptInput({ agentId, teamId: d % 2 ? 'T-ODD' : 'T-EVEN', businessLine: d <= 3 ? '金融' : '物流', startedAt: startedAt(d) }));
        assert.equal(res.status, 201);
        ids.set(d, body.call.id);
      }
      for (const id of ids.values()) await waitForCall(id);
    });

    test('filters by agentId, teamId, businessLine and status, newest first', async () => {
      const all = await get<ListPage>(`/api/v1/calls?agentId=${agentId}`);
      assert.equal(all.res.status, 200);
      assert.deepEqual(
        all.body.items.map((c) => c.id),
        [...days].reverse().map((d) => ids.get(d)),
      );
      assert.equal(all.body.nextCursor, null);

      const odd = await get<ListPage>(`/api/v1/calls?agentId=${agentId}&teamId=T-ODD`);
      assert.deepEqual(odd.body.items.map((c) => c.id).sort(), [1, 3, 5, 7].map((d) => ids.get(d)).sort());
      assert.ok(odd.body.items.every((c) => c.teamId === 'T-ODD'));

      const line = await get<ListPage>(`/api/v1/calls?agentId=${agentId}&businessLine=${encodeURIComponent('金融')}`);
      assert.deepEqual(line.body.items.map((c) => c.id).sort(), [1, 2, 3].map((d) => ids.get(d)).sort());

      const done = await get<ListPage>(`/api/v1/calls?agentId=${agentId}&status=done`);
      assert.equal(done.body.items.length, 7);
      const processing = await get<ListPage>(`/api/v1/calls?agentId=${agentId}&status=processing`);
      assert.equal(processing.body.items.length, 0);

      const nobody = await get<ListPage>('/api/v1/calls?agentId=NOBODY');
      assert.deepEqual(nobody.body, { items: [], nextCursor: null });
    });

    test('filters by time: from inclusive, to exclusive (ISO 8601)', async () => {
      const q = `agentId=${agentId}&from=${encodeURIComponent(startedAt(3))}&to=${encodeURIComponent(startedAt(6))}`;
      const { res, body } = await get<ListPage>(`/api/v1/calls?${q}`);
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.deepEqual(
        body.items.map((c) => c.id),
        [5, 4, 3].map((d) => ids.get(d)),
      );
      const epoch = await get<ListPage>(`/api/v1/calls?agentId=${agentId}&from=${Date.parse(startedAt(6))}`);
      assert.deepEqual(
        epoch.body.items.map((c) => c.id),
        [7, 6].map((d) => ids.get(d)),
        'epoch ms',
      );
      const utc = await get<ListPage>(`/api/v1/calls?agentId=${agentId}&from=2025-03-07T01:00:00Z`);
      assert.deepEqual(
        utc.body.items.map((c) => c.id),
        [ids.get(7)],
      );
    });

    test('limit + cursor walk every page once', async () => {
      for (const limit of [1, 2, 3, 7]) {
        const walked = await listAll(`agentId=${agentId}`, limit);
        const got = walked.map((c) => c.id);
        assert.equal(new Set(got).size, got.length, `no duplicates at limit ${limit}`);
        assert.deepEqual(
          got,
          [...days].reverse().map((d) => ids.get(d)),
          `limit ${limit}`,
        );
      }
      const first = await get<ListPage>(`/api/v1/calls?agentId=${agentId}&limit=2`);
      assert.equal(first.body.items.length, 2);
      assert.equal(typeof first.body.nextCursor, 'string');
    });

    for (const [label, query, mentions] of [
      ['limit=0', 'limit=0', 'limit'],
      ['limit over 500', 'limit=501', 'limit'],
      ['limit not a number', 'limit=ten', 'limit'],
      ['an unknown query parameter', 'agnetId=A1', 'agnetId'],
      ['a bad cursor', 'cursor=not-a-cursor', 'cursor'],
      ['a bad status', 'status=finished', 'status'],
      ['a bad from', 'from=yesterday', 'from'],
      ['an impossible to date (Feb 30)', 'to=2025-02-30T00:00:00Z', 'to'],
    ] as const) {
      test(`${label} → 400 INVALID_REQUEST`, async () => {
        const { res, body } = await get<ErrorBody>(`/api/v1/calls?${query}`);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(body.error.code, 'INVALID_REQUEST');
        assert.ok(body.error.message.includes(mentions), body.error.message);
      });
    }
  });

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
      const res = await fetch(`${base}/api/v1/calls/${audioId}/audio`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'audio/wav');
      assert.equal(res.headers.get('accept-ranges'), 'bytes');
      assert.equal(res.headers.get('content-length'), String(wav.length));
      assert.equal(res.headers.get('x-content-sha256'), sha256(wav));
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(wav));
    });

    test('Range bytes=0-99 → 206 with the first 100 bytes', async () => {
      const res = await fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: 'bytes=0-99' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers.get('content-range'), `bytes 0-99/${wav.length}`);
      assert.equal(res.headers.get('content-length'), '100');
      const got = Buffer.from(await res.arrayBuffer());
      assert.equal(got.length, 100);
      assert.ok(got.equals(wav.subarray(0, 100)));
    });

    test('a middle range and an open-ended range', async () => {
      const mid = await fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: 'bytes=1000-1999' } });
      assert.equal(mid.status, 206);
      assert.ok(Buffer.from(await mid.arrayBuffer()).equals(wav.subarray(1000, 2000)));
      const open = await fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: `bytes=${wav.length - 5}-` } });
      assert.equal(open.status, 206);
      assert.equal(open.headers.get('content-range'), `bytes ${wav.length - 5}-${wav.length - 1}/${wav.length}`);
      assert.ok(Buffer.from(await open.arrayBuffer()).equals(wav.subarray(wav.length - 5)));
    });

    test('suffix range bytes=-10 → the last 10 bytes', async () => {
      const res = await fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: 'bytes=-10' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers.get('content-range'), `bytes ${wav.length - 10}-${wav.length - 1}/${wav.length}`);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(wav.subarray(wav.length - 10)));
    });

    test('a reversed range (bytes=5-2) is ignored: the whole file, 200', async () => {
      const res = await fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: 'bytes=5-2' } });
      assert.equal(res.status, 200);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(wav));
    });

    test('a range off the end → 416 with Content-Range bytes */size', async () => {
      const res = await fetch(`${base}/api/v1/calls/${audioId}/audio`, { headers: { range: 'bytes=999999999-' } });
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

  test('GET /api/openapi.json describes the API', async () => {
    const { res, body } = await get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('/api/openapi.json');
    assert.equal(res.status, 200);
    assert.match(body.openapi, /^3\./);
    for (const p of ['/api/v1/calls', '/api/v1/calls/{id}', '/api/v1/calls/{id}/audio', '/api/v1/health', '/api/v1/pipeline']) {
      assert.ok(body.paths[p], `path ${p} in ${Object.keys(body.paths).join(', ')}`);
    }
    assert.ok(body.paths['/api/v1/calls']?.post);
    assert.ok(body.paths['/api/v1/calls']?.get);
    assert.equal(body.paths['/api/openapi.json'], undefined, 'the document itself is hidden');
  });

  test('GET /api/v1/pipeline counts calls and jobs per stage', async () => {
    const { res, body } = await get<{ calls: { processing: number; done: number; failed: number }; stages: Record<string, Record<string, number>> }>('/api/v1/pipeline');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(body.stages), ['ingest', 'decode', 'vad', 'transcribe', 'enrich', 'inspect', 'index']);
    for (const counts of Object.values(body.stages)) assert.deepEqual(Object.keys(counts).sort(), ['done', 'failed', 'queued', 'running']);
    const stored = await app.db.repos.calls.count({});
    assert.equal(body.calls.processing + body.calls.done + body.calls.failed, stored);
    assert.ok(body.calls.done >= 10, `done: ${body.calls.done}`);
    assert.equal(body.calls.failed, 0);
    assert.ok((body.stages.ingest?.done ?? 0) >= body.calls.done);
    assert.ok((body.stages.index?.done ?? 0) >= body.calls.done);
  });

  test('one blob per stored recording, nothing left in staging', async () => {
    const calls = await listAll('status=done', 500);
    const processing = await listAll('status=processing', 500);
    const shas = new Set<string>();
    for (const c of [...calls, ...processing]) {
      const { body } = await get<{ recording: { sha256: string } | null }>(`/api/v1/calls/${c.id}`);
      if (body.recording) shas.add(body.recording.sha256);
    }
    const blobs = filesUnder(path.join(app.dataDir, 'recordings', 'sha256'));
    assert.deepEqual(blobs.map((f) => path.basename(f)).sort(), [...shas].sort());
    assert.deepEqual(readdirSync(path.join(app.dataDir, 'recordings', '.staging')), []);
  });
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
