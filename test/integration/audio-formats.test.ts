import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { locateFfmpeg } from '../../src/adapters/ffmpeg/locate-ffmpeg.js';
import { decodeToPcmWav } from '../../src/decode/decode-audio.js';
import type { Call } from '../../src/domain/call.js';
import type { TimeSpan } from '../../src/domain/signals.js';
import type { TranscriptSegment } from '../../src/domain/transcript.js';
import { waitForCalls } from '../../src/pipeline/wait-for-calls.js';
import { REPO_ROOT } from '../support/cli.js';
import { callInput, tempDir, testApp } from '../support/factories.js';

/**
 * Decode + VAD + audio signals on real speech in every telephone format we take: a bundled
 * sample call (espeak-ng Mandarin, stereo 8 kHz μ-law) converted by ffmpeg into A-law, MP3,
 * mono and a copy whose customer channel is silent. Its sidecar's segment times are the truth
 * the voice activity is held to. No transcript is sent, so every signal comes from the audio.
 */
const SAMPLE = path.join(REPO_ROOT, 'samples/calls/demo-ecom-001.wav');
const truth = (JSON.parse(readFileSync(SAMPLE.replace(/\.wav$/, '.json'), 'utf8')) as { segments: TranscriptSegment[] }).segments;
const tmp = tempDir('tingjian-audio-formats-');
let app: Awaited<ReturnType<typeof testApp>>;
let ffmpeg: string;

before(async () => {
  app = await testApp({ workers: true });
  ffmpeg = (await locateFfmpeg()).path;
});
after(async () => {
  await app.close();
  tmp.cleanup();
});

function convert(name: string, args: string[]): string {
  const out = path.join(tmp.dir, name);
  execFileSync(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-i', SAMPLE, ...args, out]);
  return out;
}

async function ingestAndWait(file: string, meta: Record<string, unknown> = {}): Promise<Call> {
  const { call } = await app.ingest.acceptFile(file, callInput({ language: 'zh-CN', ...meta }), path.basename(file));
  const [done] = await waitForCalls(app.db, [call.id], { timeoutMs: 60_000, pollMs: 50 });
  return done!;
}

const overlapMs = (a: TimeSpan[], b: TimeSpan[]) => a.reduce((n, x) => n + b.reduce((m, y) => m + Math.max(0, Math.min(x.endMs, y.endMs) - Math.max(x.startMs, y.startMs)), 0), 0);
const length = (s: TimeSpan[]) => s.reduce((n, x) => n + x.endMs - x.startMs, 0);

/** The detector found ≥ 90 % of the truth's speech, and little speech where there was none. */
function assertFindsSpeech(found: TimeSpan[], expected: TimeSpan[], label: string) {
  const hit = overlapMs(found, expected) / length(expected);
  const extra = (length(found) - overlapMs(found, expected)) / length(expected);
  assert.ok(hit >= 0.9, `${label}: ${(hit * 100).toFixed(0)}% of the speech found`);
  assert.ok(extra <= 0.2, `${label}: ${(extra * 100).toFixed(0)}% extra`);
}

const side = (speaker: string) => truth.filter((s) => s.speaker === speaker);

describe('decode, voice activity and audio signals across formats', () => {
  for (const [label, make, codec] of [
    ['8 kHz μ-law WAV', () => SAMPLE, 'pcm_mulaw 8000 Hz × 2'],
    ['8 kHz A-law WAV', () => convert('alaw.wav', ['-c:a', 'pcm_alaw']), 'pcm_alaw 8000 Hz × 2'],
    ['MP3', () => convert('call.mp3', ['-c:a', 'libmp3lame', '-b:a', '32k']), 'mp3'],
  ] as const) {
    test(`${label}: decoded to 16 kHz, speech found on each channel, signals from the audio`, async () => {
      const call = await ingestAndWait(make());
      assert.equal(call.status, 'done', JSON.stringify(call.stages));
      assert.match(call.stages.decode.note ?? '', new RegExp(`^${codec}.* → 16 kHz PCM \\(agent, customer\\)`));
      const activity = (await app.db.repos.artifacts.getVoiceActivity(call.id))!;
      assert.equal(activity.detector, 'silero');
      assert.deepEqual(activity.channels.map((c) => c.speaker), ['agent', 'customer']);
      assertFindsSpeech(activity.channels[0]!.spans, side('agent'), `${label} agent`);
      assertFindsSpeech(activity.channels[1]!.spans, side('customer'), `${label} customer`);
      for (const s of activity.channels.flatMap((c) => c.spans)) assert.ok(s.rmsDbfs! < 0 && s.rmsDbfs! > -60 && s.peakDbfs! >= s.rmsDbfs!);
      const signals = (await app.db.repos.artifacts.getSignals(call.id))!;
      assert.equal(signals.source, 'audio');
      assert.ok(Math.abs(signals.talkMs.agent - length(side('agent'))) < 0.15 * length(side('agent')));
      assert.ok(signals.talkRatio.agent! > signals.talkRatio.customer!);
      assert.equal(signals.speech.agent.length, activity.channels[0]!.spans.length);
      assert.deepEqual(await app.db.repos.transcripts.get(call.id), null, 'no transcript without an ASR engine');
      assert.equal(await app.media.decoded.read(call.id), null, 'the decoded scratch copy is gone once transcribe has run');
    });
  }

  test('mono: one mixed channel, speech found for both speakers as unknown, silence still measured', async () => {
    const call = await ingestAndWait(convert('mono.wav', ['-ac', '1']));
    assert.equal(call.status, 'done');
    assert.match(call.stages.decode.note ?? '', /mono: mixed speakers/);
    const activity = (await app.db.repos.artifacts.getVoiceActivity(call.id))!;
    assert.deepEqual(activity.channels.map((c) => c.speaker), ['unknown']);
    assertFindsSpeech(activity.channels[0]!.spans, truth, 'mono');
    const signals = (await app.db.repos.artifacts.getSignals(call.id))!;
    assert.deepEqual(signals.talkMs, { agent: 0, customer: 0 });
    assert.ok(signals.unattributedTalkMs > 0.8 * length(truth));
    assert.deepEqual(signals.overlaps, [], 'no overlaps can be told apart in one mixed channel');
  });

  test('a channel silent throughout: no speech on it, no talk for that side, the other side unaffected', async () => {
    const call = await ingestAndWait(convert('silent-right.wav', ['-af', 'pan=stereo|c0=c0|c1=0*c1', '-c:a', 'pcm_mulaw', '-ar', '8000']));
    assert.equal(call.status, 'done');
    const activity = (await app.db.repos.artifacts.getVoiceActivity(call.id))!;
    assert.deepEqual(activity.channels[1]!.spans, []);
    assert.deepEqual(activity.channels[1]!.loudness, { rmsDbfs: null, peakDbfs: null }, 'digital silence has no level');
    assertFindsSpeech(activity.channels[0]!.spans, side('agent'), 'agent');
    const signals = (await app.db.repos.artifacts.getSignals(call.id))!;
    assert.equal(signals.talkMs.customer, 0);
    assert.equal(signals.loudness!.customer, null);
    assert.ok(signals.silence.spans.length > 0, 'the customer turns are dead air now');
  });

  test('an MP3 corrupt half-way: refused naming the damage, the decoder says the same, the pipeline goes on with others', async () => {
    const good = readFileSync(convert('good.mp3', ['-c:a', 'libmp3lame', '-b:a', '32k']));
    const bad = Buffer.from(good);
    for (let i = Math.floor(bad.length / 2); i < Math.floor(bad.length / 2) + 4000; i++) bad[i] = (i * 131 + 7) & 0xff;
    const badPath = path.join(tmp.dir, 'corrupt-half-way.mp3');
    writeFileSync(badPath, bad);
    await assert.rejects(app.ingest.acceptFile(badPath, callInput(), 'corrupt-half-way.mp3'), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'INVALID_AUDIO');
      assert.match(e.message, /corrupt or truncated.*re-export or re-upload/);
      return true;
    });
    await assert.rejects(decodeToPcmWav(badPath, path.join(tmp.dir, 'out.wav'), { ffmpegPath: ffmpeg, format: 'mp3' }), { code: 'INVALID_AUDIO' });
    const next = await ingestAndWait(convert('after-corrupt.wav', ['-c:a', 'pcm_alaw']));
    assert.equal(next.status, 'done');
  });

  test('a disk that is full while decoding is this machine\'s problem, not the recording\'s: retryable, and says so', async () => {
    await assert.rejects(decodeToPcmWav(SAMPLE, '/dev/full', { ffmpegPath: ffmpeg, format: 'wav' }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'INTERNAL', 'retried by the job runner, not failed as bad input');
      assert.match(e.message, /No space left on device.*free disk space/);
      assert.doesNotMatch(e.message, /re-upload/);
      return true;
    });
  });
});
