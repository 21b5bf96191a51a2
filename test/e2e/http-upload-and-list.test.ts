import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { callDetailSchema } from '../../src/analyze/analysis-document.schema.js';
import { callInput, transcriptInput } from '../support/factories.js';
import { filesUnder, freshWav, makeToneMp3, sha256, startHttpServer, type ErrorBody, type ListPage } from '../support/http-harness.js';

// End-to-end over real HTTP (see ../support/http-harness.ts): health, uploads of each kind walking
// the pipeline, listing with filters and pages, the OpenAPI document, and the pipeline and blob
// store afterwards. The pipeline test counts the calls the tests before it stored (10 or more
// done), so the uploads and the listing stay in this file, ahead of it.
// Every await of the setup happens before any test is declared (see probe-audio.test.ts): a root
// `after` registered behind a top-level await can otherwise run between batches of tests.

const api = await startHttpServer();
const { app, base, get, upload, postJson, waitForCall, listAll } = api;
const tone = await makeToneMp3();
const mp3 = tone.bytes;

after(async () => {
  await api.close();
  tone.remove();
});

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
    assert.equal(s.decode.status, 'done');
    assert.match(s.decode.note ?? '', /pcm_s16le 8000 Hz × 2 → 16 kHz PCM \(agent, customer\)/);
    assert.equal(s.vad.status, 'done');
    assert.equal(s.transcribe.status, 'skipped', 'no transcript and no ASR engine');
    assert.match(s.transcribe.note ?? '', /TINGJIAN_ASR_ENGINE/);
    assert.equal(s.enrich.status, 'done', 'the audio is measured even without a transcript');
    assert.equal(detail.signals?.source, 'audio');
    assert.equal(detail.signals?.durationMs, 1000);
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

    const audio = await api.fetch(`${base}/api/v1/calls/${body.call.id}/audio`);
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
      assert.deepEqual(nobody.body, { items: [], nextCursor: null, total: 0 });
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
