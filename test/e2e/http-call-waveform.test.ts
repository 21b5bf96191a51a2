import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { locateFfmpeg } from '../../src/adapters/ffmpeg/locate-ffmpeg.js';
import { blobPath } from '../../src/adapters/blob/local-disk-blob-store.js';
import { buildServer } from '../../src/http/build-server.js';
import { callInput, testApp, transcriptInput, wavBuffer } from '../support/factories.js';
import type { TextAnalysis } from '../../src/domain/text-analysis.js';
import Database from 'better-sqlite3';
import { accountWithToken, adminAuth, json, startHttpServer, type Accepted, type ErrorBody } from '../support/http-harness.js';

// GET /api/v1/calls/:id/waveform over real HTTP: peaks from the original through ffmpeg, stored
// with the call, 404s, the data scope, a damaged recording, and the time of a 12-minute call's
// first request. No pipeline workers: the waveform needs only the stored recording, and the
// timing must not compete with VAD.

interface WaveformBody {
  durationMs: number;
  channels: Array<{ index: number; role: string; peaks: number[] }>;
}

const fixtures = mkdtempSync(path.join(tmpdir(), 'tingjian-waveform-'));
const ffmpeg = (await locateFfmpeg()).path;
/** A stereo 8 kHz μ-law WAV made by ffmpeg from per-channel expressions of t. */
function mulawWav(name: string, seconds: number, left: string, right: string): Buffer {
  const file = path.join(fixtures, name);
  execFileSync(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc=exprs='${left}|${right}':s=8000:d=${seconds}`, '-c:a', 'pcm_mulaw', file]);
  return readFileSync(file);
}
// Twelve minutes: the agent a steady tone at half scale, the customer quiet but for a loud second at 6:00.
const longCall = mulawWav('long.wav', 720, '0.5*sin(2*PI*440*t)', 'if(between(t,360,361),0.9,0.05)*sin(2*PI*300*t)');
const twoSeconds = mulawWav('two-seconds.wav', 2, '0.3*sin(2*PI*440*t)', '0.3*sin(2*PI*300*t)');

const app = await testApp({ workers: false, config: { maxUploadMb: 20 } });
const server = await buildServer(app);
await server.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
const admin = await adminAuth(app);
const agent = await accountWithToken(app, { username: 'agent-w1', role: 'agent', agentId: 'A1' });

// The same app with encryption at rest: the stored waveform is sealed like every artifact.
const encrypted = await startHttpServer({ masterKey: randomBytes(32).toString('base64') });

after(async () => {
  await server.close();
  await app.close();
  await encrypted.close();
  rmSync(fixtures, { recursive: true, force: true });
});

async function upload(bytes: Buffer, name: string, metadata: Record<string, unknown>): Promise<string> {
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  form.append('audio', new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }), name);
  const res = await fetch(`${base}/api/v1/calls`, { method: 'POST', headers: admin, body: form });
  assert.equal(res.status, 201, await res.clone().text());
  return (await json<Accepted>(res)).call.id;
}

const waveform = (id: string, query = '', headers: Record<string, string> = admin) => fetch(`${base}/api/v1/calls/${id}/waveform${query}`, { headers });

const longId = await upload(longCall, 'long.wav', callInput({ agentId: 'A1', channelRoles: ['agent', 'customer'] }));
const otherId = await upload(wavBuffer({ seconds: 1, channels: 1, seed: 4242 }), 'mono.wav', callInput({ agentId: 'A2' }));
const damagedId = await upload(twoSeconds, 'damaged.wav', callInput({ agentId: 'A1' }));
const chat = await fetch(`${base}/api/v1/calls`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(transcriptInput({ ...callInput({ agentId: 'A1' }), channel: 'chat' })) });
const chatId = (await json<Accepted>(chat)).call.id;

describe('GET /api/v1/calls/:id/waveform', () => {
  test("a 12-minute stereo 8 kHz call: the first request decodes it in one pass, 2000 peaks per channel where the sound is", async () => {
    const t0 = performance.now();
    const res = await waveform(longId);
    const firstMs = performance.now() - t0;
    assert.equal(res.status, 200, await res.clone().text());
    const body = await json<WaveformBody>(res);
    console.log(`first waveform request of a 12-minute stereo 8 kHz call: ${firstMs.toFixed(0)} ms`);
    // ~200 ms on the dev machine (also part of bench:console's detail time); the bound here only
    // catches a decode gone pathologically slow on a loaded CI machine.
    assert.ok(firstMs < 3000, `first request took ${firstMs.toFixed(0)} ms`);
    assert.ok(Math.abs(body.durationMs - 720_000) <= 1, String(body.durationMs));
    assert.deepEqual(body.channels.map((c) => [c.index, c.role, c.peaks.length]), [[0, 'agent', 2000], [1, 'customer', 2000]]);
    const [agentSide, customer] = body.channels.map((c) => c.peaks);
    // μ-law keeps a half-scale tone within a couple of percent
    assert.ok(agentSide!.every((p) => p > 0.47 && p < 0.53), `agent ${Math.min(...agentSide!)}..${Math.max(...agentSide!)}`);
    // the customer's loud second is 6:00–6:01 of 12:00: buckets 1000..1002 of 2000 (0.36 s each)
    const loud = customer!.flatMap((p, i) => (p > 0.5 ? [i] : []));
    assert.deepEqual(loud, [1000, 1001, 1002]);
    assert.ok(customer!.every((p, i) => loud.includes(i) || p < 0.06));
    assert.ok(customer!.every((p) => Number.isInteger(Math.round(p * 1000)) && Math.abs(p * 1000 - Math.round(p * 1000)) < 1e-9), '3 decimals');
  });

  test('the second request is a database read of the stored waveform, folded to the points asked for', async () => {
    const stored = await app.db.repos.artifacts.getWaveform(longId);
    assert.ok(stored, 'stored as an artifact');
    assert.equal(stored.peaks.length, 2);
    assert.equal(stored.peaks[0]!.length, 8000);
    // A marker in the stored copy shows up: the answer comes from the database, not from ffmpeg.
    await app.db.repos.artifacts.saveWaveform(longId, { ...stored, peaks: [stored.peaks[0]!.map(() => 0.123), stored.peaks[1]!] }, Date.now());
    const t0 = performance.now();
    const res = await waveform(longId, '?points=200');
    const ms = performance.now() - t0;
    assert.equal(res.status, 200);
    const body = await json<WaveformBody>(res);
    assert.ok(body.channels[0]!.peaks.every((p) => p === 0.123));
    assert.equal(body.channels[1]!.peaks.length, 200);
    assert.deepEqual(body.channels[1]!.peaks.flatMap((p, i) => (p > 0.5 ? [i] : [])), [100]);
    assert.ok(ms < 1000, `second request took ${ms.toFixed(0)} ms (a database read, no decode)`);
    await app.db.repos.artifacts.saveWaveform(longId, stored, Date.now());
  });

  test('points outside 200–8000 → 400 naming the parameter; 8000 gives the stored resolution', async () => {
    for (const q of ['?points=199', '?points=8001', '?points=abc']) {
      const res = await waveform(longId, q);
      assert.equal(res.status, 400, q);
      const body = await json<ErrorBody>(res);
      assert.equal(body.error.code, 'INVALID_REQUEST');
      assert.match(body.error.message, /points/);
    }
    const full = await json<WaveformBody>(await waveform(longId, '?points=8000'));
    assert.equal(full.channels[1]!.peaks.length, 8000);
  });

  test('a mono recording is one mixed channel; a one-second file gives the 2000 peaks', async () => {
    const body = await json<WaveformBody>(await waveform(otherId));
    assert.deepEqual(body.channels.map((c) => [c.index, c.role, c.peaks.length]), [[0, 'mixed', 2000]]);
    const peaks = body.channels[0]!.peaks;
    // the factory's tone is 6000/32768 ≈ 0.183 plus a little noise; 4 samples a bucket catch its top now and then
    assert.ok(Math.max(...peaks) > 0.18 && Math.max(...peaks) < 0.2, String(Math.max(...peaks)));
  });

  test('a chat has no recording → 404 saying so; an unknown id → 404 like any call', async () => {
    const res = await waveform(chatId);
    assert.equal(res.status, 404);
    const body = await json<ErrorBody>(res);
    assert.equal(body.error.code, 'NOT_FOUND');
    assert.match(body.error.message, /has no recording/);
    const unknown = await json<ErrorBody>(await waveform('no-such-call'));
    assert.equal(unknown.error.code, 'NOT_FOUND');
    assert.match(unknown.error.message, /call no-such-call does not exist/);
  });

  test('an agent (no pii:view) sees the stretch of personal data drawn at the tone’s level, as the audio they hear; 409 before it is located', async () => {
    const listener = await accountWithToken(app, { username: 'agent-w1-listens', role: 'agent', agentId: 'A1' });
    const before = await waveform(longId, '', listener.headers);
    assert.equal(before.status, 409, 'no text analysis yet: the personal data is not located');
    assert.match((await json<ErrorBody>(before)).error.message, /personal data covered/);
    // A phone number said from 100.0 s to 103.0 s (padded by 250 ms on each side, as the audio's tone).
    const analysis: TextAnalysis = {
      version: 1,
      segments: [],
      customerSentiment: null,
      curve: { points: [], start: null, end: null, lowest: null, turningPoints: [], trend: null },
      topics: [],
      summary: { problem: null, actions: [], outcome: 'unresolved', outcomeEvidence: null },
      pii: [{ segmentIndex: 0, type: 'phone', start: 0, end: 11, startMs: 100_000, endMs: 103_000 }],
    };
    await app.db.repos.artifacts.saveTextAnalysis(longId, analysis, Date.now());
    const seen = await json<WaveformBody>(await waveform(longId, '?points=7200', listener.headers));
    const shown = await json<WaveformBody>(await waveform(longId, '?points=7200'));
    // 7200 points over 720 s: 100 ms each; 99.75–103.25 s are buckets 997–1032.
    const [agentSide, original] = [seen.channels[0]!.peaks, shown.channels[0]!.peaks];
    assert.deepEqual([...new Set(agentSide.slice(997, 1033))], [0.25], 'covered: the tone’s level');
    assert.ok(original.slice(997, 1033).every((p) => p > 0.47), 'the admin sees the speech');
    assert.deepEqual(agentSide.slice(0, 996), original.slice(0, 996), 'the rest as it is');
    assert.deepEqual(agentSide.slice(1034), original.slice(1034));
    assert.deepEqual([...new Set(seen.channels[1]!.peaks.slice(997, 1033))], [0.25], 'on every channel');
  });

  test('an agent gets the waveform of their own call and 404 for another agent’s, audited as denied', async () => {
    assert.equal((await waveform(longId, '', agent.headers)).status, 200);
    const res = await waveform(otherId, '', agent.headers);
    assert.equal(res.status, 404);
    assert.equal((await json<ErrorBody>(res)).error.message, `call ${otherId} does not exist`);
    const entries = (await app.audit.search({ action: 'call.waveform' }, { limit: 50 })).items;
    const by = (actor: string, target: string) => entries.filter((e) => e.actorUsername === actor && e.targetId === target).map((e) => e.outcome);
    assert.deepEqual(by('agent-w1', longId), ['allowed']);
    assert.deepEqual(by('agent-w1', otherId), ['denied']);
    assert.ok(by('test-admin', longId).length >= 3);
  });

  test('a recording damaged on disk → 422 INVALID_AUDIO that says what to do; nothing is stored', async () => {
    const rec = await app.db.repos.recordings.getByCallId(damagedId);
    const file = blobPath(path.join(app.dataDir, 'recordings'), rec!.blobKey);
    const bytes = readFileSync(file);
    bytes.write('JUNK', 0); // no RIFF header: not a WAV any more
    bytes.write('JUNK', 8);
    writeFileSync(file, bytes);
    const res = await waveform(damagedId);
    assert.equal(res.status, 422);
    const body = await json<ErrorBody>(res);
    assert.equal(body.error.code, 'INVALID_AUDIO');
    assert.match(body.error.message, new RegExp(`recording of call ${damagedId} cannot be decoded.*tingjian verify`));
    assert.equal(await app.db.repos.artifacts.getWaveform(damagedId), null);
  });

  test('with encryption at rest the stored waveform is sealed, and read back the same', async () => {
    const { res, body } = await encrypted.upload(twoSeconds, 'sealed.wav', callInput());
    assert.equal(res.status, 201);
    const id = body.call.id;
    const first = await json<WaveformBody>(await encrypted.fetch(`${encrypted.base}/api/v1/calls/${id}/waveform?points=200`));
    assert.equal(first.channels.length, 2);
    assert.ok(Math.max(...first.channels[0]!.peaks) > 0.29, 'the tone is there');
    const raw = new Database(path.join(encrypted.app.dataDir, 'tingjian.db'), { readonly: true });
    try {
      const row = raw.prepare("select body from artifacts where call_id = ? and kind = 'waveform'").get(id) as { body: string } | undefined;
      assert.ok(row, 'stored');
      assert.equal(typeof JSON.parse(row.body), 'string', 'one sealed string, not the peaks');
      assert.doesNotMatch(row.body, /peaks|durationMs/);
    } finally {
      raw.close();
    }
    assert.deepEqual(await json<WaveformBody>(await encrypted.fetch(`${encrypted.base}/api/v1/calls/${id}/waveform?points=200`)), first);
  });
});
