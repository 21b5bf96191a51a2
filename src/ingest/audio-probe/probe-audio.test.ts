import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFfmpeg, locateFfmpeg, npmFfmpegPath } from '../../adapters/ffmpeg/locate-ffmpeg.js';
import { runFfmpeg } from '../../adapters/ffmpeg/run-ffmpeg.js';
import { probeAudioFile, type AudioProbe } from './probe-audio.js';

// Fixtures are made here, at test time, by the same ffmpeg the app would use (locateFfmpeg()).
// All awaiting happens before any test is registered: node:test starts running tests as soon as
// they are declared, and a root `after` would otherwise fire between batches.
const dir = await mkdtemp(path.join(tmpdir(), 'tingjian-probe-'));
const fixture = (name: string) => path.join(dir, name);

const generator = (await locateFfmpeg()).path;
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3'];

async function ffmpegMake(bin: string, name: string, args: string[]): Promise<void> {
  const run = await runFfmpeg(bin, ['-nostdin', '-v', 'error', '-y', ...args, fixture(name)], { timeoutMs: 20_000 });
  if (run.code !== 0) throw new Error(`could not generate fixture ${name}: ${run.stderr}`);
}
const encode = (name: string, ...args: string[]) => ffmpegMake(generator, name, [...TONE, ...args]);

async function cutHalf(from: string, to: string): Promise<void> {
  const bytes = await readFile(fixture(from));
  await writeFile(fixture(to), bytes.subarray(0, Math.floor(bytes.length / 2)));
}

/** Overwrites 2000 bytes in the middle with deterministic pseudo-random garbage. */
async function garble(from: string, to: string): Promise<void> {
  const bytes = Buffer.from(await readFile(fixture(from)));
  let seed = 0x2545f491;
  const start = Math.floor(bytes.length / 2);
  for (let i = start; i < Math.min(bytes.length, start + 2000); i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  await writeFile(fixture(to), bytes);
}

/** Debian's ffmpeg 5.1 has no AMR encoders (libopencore_amrnb, libvo_amrwbenc); the npm static build has both. */
async function binaryWithEncoder(encoder: string): Promise<string | null> {
  for (const bin of [generator, npmFfmpegPath()]) {
    if (!bin) continue;
    const run = await runFfmpeg(bin, ['-hide_banner', '-encoders']).catch(() => null);
    if (run?.code === 0 && new RegExp(`\\b${encoder}\\b`).test(run.stdout)) return bin;
  }
  return null;
}
const amrBin = await binaryWithEncoder('libopencore_amrnb');
const amrWbBin = await binaryWithEncoder('libvo_amrwbenc');
const NO_AMR = 'no available ffmpeg has the libopencore_amrnb encoder (Debian ffmpeg lacks it; the npm static build has it)';
const NO_AMR_WB = 'no available ffmpeg has the libvo_amrwbenc encoder (Debian ffmpeg lacks it; the npm static build has it)';

await Promise.all([
  encode('pcm16-stereo-8k.wav', '-ac', '2', '-ar', '8000', '-c:a', 'pcm_s16le'),
  encode('pcm16-mono-16k.wav', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le'),
  encode('mulaw-8k.wav', '-ac', '1', '-ar', '8000', '-c:a', 'pcm_mulaw'),
  encode('alaw-8k.wav', '-ac', '1', '-ar', '8000', '-c:a', 'pcm_alaw'),
  encode('float-16k.wav', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_f32le'),
  encode('s24-stereo-48k.wav', '-ac', '2', '-ar', '48000', '-c:a', 'pcm_s24le'), // WAVE_FORMAT_EXTENSIBLE
  encode('ima-adpcm.wav', '-ac', '1', '-ar', '8000', '-c:a', 'adpcm_ima_wav'),
  ffmpegMake(generator, 'no-samples.wav', ['-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '0']),
  encode('stereo-8k.mp3', '-ac', '2', '-ar', '8000', '-c:a', 'libmp3lame', '-b:a', '32k'),
  encode('mono-16k.ogg', '-ac', '1', '-ar', '16000', '-c:a', 'libvorbis'),
  // Vorbis setup headers take ~3.4 KB, half of a 3 s file: a longer one puts the middle in the audio.
  ffmpegMake(generator, 'long-16k.ogg', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=10', '-ac', '1', '-ar', '16000', '-c:a', 'libvorbis']),
  encode('mono.opus', '-ac', '1', '-ar', '16000', '-c:a', 'libopus'),
  encode('stereo-16k.m4a', '-ac', '2', '-ar', '16000', '-c:a', 'aac'),
  encode('faststart.m4a', '-ac', '1', '-ar', '8000', '-c:a', 'aac', '-movflags', '+faststart'),
  ffmpegMake(generator, 'video-only.mp4', ['-f', 'lavfi', '-i', 'color=size=64x64:duration=1', '-c:v', 'mpeg4']),
  amrBin ? ffmpegMake(amrBin, 'mono-8k.amr', [...TONE, '-ac', '1', '-ar', '8000', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k']) : null,
  amrWbBin ? ffmpegMake(amrWbBin, 'mono-16k-wb.amr', [...TONE, '-ac', '1', '-ar', '16000', '-c:a', 'libvo_amrwbenc', '-f', 'amr']) : null,
  writeFile(fixture('empty.wav'), Buffer.alloc(0)),
  writeFile(fixture('notes.txt'), 'Agent: 您好，请问有什么可以帮您？\nCustomer: hello\n'),
]);
await Promise.all([
  cutHalf('pcm16-stereo-8k.wav', 'truncated.wav'),
  cutHalf('stereo-8k.mp3', 'truncated.mp3'),
  garble('stereo-8k.mp3', 'garbled.mp3'),
  copyFile(fixture('stereo-8k.mp3'), fixture('mp3-named.wav')),
  cutHalf('mono.opus', 'truncated.opus'),
  garble('long-16k.ogg', 'garbled.ogg'),
  garble('mono-16k.ogg', 'garbled-header.ogg'),
  garble('stereo-16k.m4a', 'garbled.m4a'),
  cutHalf('stereo-16k.m4a', 'no-moov.m4a'), // ffmpeg writes moov last: the cut loses it
  cutHalf('faststart.m4a', 'truncated-faststart.m4a'),
  amrBin ? cutHalf('mono-8k.amr', 'truncated.amr') : null,
]);

// Every ffmpeg the app may run: the system one and the npm static fallback (older, logs differ).
const candidates = [...new Set([generator, npmFfmpegPath()].filter((p): p is string => p !== null))];
const decoders: string[] = [];
for (const bin of candidates) {
  if (await findFfmpeg(bin).then(() => true, () => false)) decoders.push(bin);
}

after(() => rm(dir, { recursive: true, force: true }));

const DURATION_TOLERANCE_MS = 60;

function assertProbe(actual: AudioProbe, expected: AudioProbe): void {
  const { durationMs, ...rest } = actual;
  const { durationMs: expectedMs, ...expectedRest } = expected;
  assert.deepEqual(rest, expectedRest);
  assert.ok(Math.abs(durationMs - expectedMs) <= DURATION_TOLERANCE_MS, `durationMs ${durationMs}, expected ${expectedMs} ± ${DURATION_TOLERANCE_MS}`);
}

async function assertRejects(file: string, code: string, message: RegExp, ffmpegPath: () => Promise<string>): Promise<void> {
  await assert.rejects(probeAudioFile(fixture(file), { ffmpegPath }), (e: Error & { code?: string }) => {
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    assert.doesNotMatch(e.message, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no server path in user-facing messages');
    return true;
  });
}

describe('WAV: header only, never ffmpeg', () => {
  const noFfmpeg = () => Promise.reject(new Error('ffmpeg must not be spawned for WAV'));
  const wavCases: [string, Omit<AudioProbe, 'format'>][] = [
    ['pcm16-stereo-8k.wav', { codec: 'pcm_s16le', sampleRate: 8000, channels: 2, durationMs: 3000 }],
    ['pcm16-mono-16k.wav', { codec: 'pcm_s16le', sampleRate: 16000, channels: 1, durationMs: 3000 }],
    ['mulaw-8k.wav', { codec: 'pcm_mulaw', sampleRate: 8000, channels: 1, durationMs: 3000 }],
    ['alaw-8k.wav', { codec: 'pcm_alaw', sampleRate: 8000, channels: 1, durationMs: 3000 }],
    ['float-16k.wav', { codec: 'pcm_f32le', sampleRate: 16000, channels: 1, durationMs: 3000 }],
    ['s24-stereo-48k.wav', { codec: 'pcm_s24le', sampleRate: 48000, channels: 2, durationMs: 3000 }],
  ];
  for (const [file, expected] of wavCases) {
    test(file, async () => {
      assert.deepEqual(await probeAudioFile(fixture(file), { ffmpegPath: noFfmpeg }), { format: 'wav', ...expected });
    });
  }
  test('WAV cut in half is truncated', () =>
    assertRejects('truncated.wav', 'INVALID_AUDIO', /^the file is truncated: data chunk declares 96000 bytes but only \d+ are present; re-export or re-upload/, noFfmpeg));
  test('WAV with an empty data chunk', () => assertRejects('no-samples.wav', 'INVALID_AUDIO', /contains no audio samples/, noFfmpeg));
  test('ADPCM WAV is unsupported, with the fix', () =>
    assertRejects('ima-adpcm.wav', 'UNSUPPORTED_FORMAT', /IMA ADPCM \(format tag 0x0011\).*ffmpeg -i in\.wav -c:a pcm_s16le/, noFfmpeg));
  test('empty file', () => assertRejects('empty.wav', 'EMPTY_UPLOAD', /^the file is empty \(0 bytes\)/, noFfmpeg));
  test('not audio at all', () =>
    assertRejects('notes.txt', 'UNSUPPORTED_FORMAT', /looks like plain text.*supported formats are WAV .*MP3, OGG \(Vorbis\), OGG\/Opus, AMR \(NB\/WB\) and M4A/, noFfmpeg));
});

for (const bin of decoders) {
  describe(`via ffmpeg ${bin}`, () => {
    const ffmpegPath = () => Promise.resolve(bin);
    const probe = (file: string) => probeAudioFile(fixture(file), { ffmpegPath });

    test('MP3 stereo 8 kHz', async () => assertProbe(await probe('stereo-8k.mp3'), { format: 'mp3', codec: 'mp3', sampleRate: 8000, channels: 2, durationMs: 3000 }));
    test('OGG Vorbis mono 16 kHz', async () =>
      assertProbe(await probe('mono-16k.ogg'), { format: 'ogg', codec: 'vorbis', sampleRate: 16000, channels: 1, durationMs: 3000 }));
    test('Opus (decoded at 48 kHz whatever the input rate)', async () =>
      assertProbe(await probe('mono.opus'), { format: 'opus', codec: 'opus', sampleRate: 48000, channels: 1, durationMs: 3000 }));
    test('M4A/AAC stereo 16 kHz', async () =>
      assertProbe(await probe('stereo-16k.m4a'), { format: 'm4a', codec: 'aac', sampleRate: 16000, channels: 2, durationMs: 3000 }));
    test('AMR-NB 8 kHz', { skip: amrBin ? false : NO_AMR }, async () =>
      assertProbe(await probe('mono-8k.amr'), { format: 'amr', codec: 'amr_nb', sampleRate: 8000, channels: 1, durationMs: 3000 }));
    test('AMR-WB 16 kHz', { skip: amrWbBin ? false : NO_AMR_WB }, async () =>
      assertProbe(await probe('mono-16k-wb.amr'), { format: 'amr', codec: 'amr_wb', sampleRate: 16000, channels: 1, durationMs: 3000 }));
    test('magic bytes win over the file name', async () => assert.equal((await probe('mp3-named.wav')).format, 'mp3'));

    test('MP3 cut in half', () => assertRejects('truncated.mp3', 'INVALID_AUDIO', /^the MP3 file is truncated: its header declares 3\.\d+ s but only 1\.\d+ s/, ffmpegPath));
    test('MP3 with garbage in the middle', () =>
      assertRejects('garbled.mp3', 'INVALID_AUDIO', /^the MP3 file is corrupt or truncated: ffmpeg reported \d+ error\(s\) while decoding, first: "/, ffmpegPath));
    test('Opus cut in half (ffmpeg itself says nothing)', () =>
      assertRejects('truncated.opus', 'INVALID_AUDIO', /^the OGG\/Opus file is truncated: the last Ogg page declares \d+ bytes but only \d+ are present/, ffmpegPath));
    test('OGG Vorbis with garbage in the middle', () => assertRejects('garbled.ogg', 'INVALID_AUDIO', /^the OGG file is corrupt or truncated/, ffmpegPath));
    test('OGG whose setup header is garbage cannot be opened', () =>
      assertRejects('garbled-header.ogg', 'INVALID_AUDIO', /^not a valid OGG: ffmpeg says: .+; the file is damaged or is not really this format/, ffmpegPath));
    test('M4A with garbage in the middle', () => assertRejects('garbled.m4a', 'INVALID_AUDIO', /^the M4A file is corrupt or truncated/, ffmpegPath));
    test('M4A cut in half loses its moov atom', () =>
      assertRejects('no-moov.m4a', 'INVALID_AUDIO', /^not a valid M4A: ffmpeg says: moov atom not found; the M4A index \(moov atom\) is missing/, ffmpegPath));
    test('faststart M4A cut in half (moov intact, samples missing)', () =>
      assertRejects('truncated-faststart.m4a', 'INVALID_AUDIO', /^the M4A file is corrupt or truncated: .*only \d\.\d+ s of 3\.00 s could be decoded/, ffmpegPath));
    test('AMR cut in half', { skip: amrBin ? false : NO_AMR }, () =>
      assertRejects('truncated.amr', 'INVALID_AUDIO', /^the AMR file is corrupt or truncated/, ffmpegPath));
    test('MP4 without an audio track', () => assertRejects('video-only.mp4', 'INVALID_AUDIO', /^the M4A file contains no audio stream/, ffmpegPath));
  });
}
