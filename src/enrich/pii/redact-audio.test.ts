import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { locateFfmpeg } from '../../adapters/ffmpeg/locate-ffmpeg.js';
import { parseWavHeader } from '../../ingest/audio-probe/wav-header.js';
import { wavBuffer } from '../../../test/support/factories.js';
import { needs } from '../../../test/support/tiers.js';
import { redactAudio, redactionRanges } from './redact-audio.js';

// Awaited before any test is declared (node:test starts tests as soon as they are declared).
const ffmpeg = await locateFfmpeg().then(
  (found) => found.path,
  () => null,
);
const dir = await mkdtemp(path.join(tmpdir(), 'tingjian-redact-'));
after(() => rm(dir, { recursive: true, force: true }));
const INSTALL = 'apt-get install -y ffmpeg';

/** 8 kHz stereo telephone audio: a 300 Hz tone left, 500 Hz right, with noise. */
const RATE = 8000;
const original = wavBuffer({ seconds: 2, sampleRate: RATE, channels: 2, seed: 3 });
const input = path.join(dir, 'call.wav');
await writeFile(input, original);

function pcm(bytes: Buffer): { sampleRate: number; channels: number; frames: number; at: (frame: number, channel: number) => number } {
  const info = parseWavHeader(bytes.subarray(0, 4096), bytes.length);
  assert.equal(info.codec, 'pcm_s16le');
  const frames = Math.floor(info.dataBytes / info.blockAlign);
  return { sampleRate: info.sampleRate, channels: info.channels, frames, at: (f, c) => bytes.readInt16LE(info.dataOffset + f * info.blockAlign + c * 2) };
}

/** Power of one frequency over frames [from, to) of a channel (Goertzel). */
function power(audio: ReturnType<typeof pcm>, channel: number, from: number, to: number, hz: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / audio.sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let f = from; f < to; f++) [s1, s2] = [audio.at(f, channel) + k * s1 - s2, s1];
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / (to - from) ** 2;
}

/** Every frame outside [from, to] ranges is the original sample for sample. */
function assertUnchangedOutside(out: ReturnType<typeof pcm>, inside: (frame: number) => boolean): void {
  const src = pcm(original);
  assert.equal(out.frames, src.frames);
  for (let f = 0; f < out.frames; f++) {
    if (inside(f)) continue;
    for (let c = 0; c < 2; c++) if (out.at(f, c) !== src.at(f, c)) assert.fail(`frame ${f} channel ${c} changed outside the spans`);
  }
}

test('silence: the samples inside the spans are zero, to the sample; the rest is untouched', async (t) => {
  if (!needs(t, 'ffmpeg', ffmpeg !== null, INSTALL)) return;
  const output = path.join(dir, 'silence.wav');
  const spans = [
    { startMs: 500, endMs: 1_000 },
    { startMs: 1_500, endMs: 1_700 },
  ];
  assert.deepEqual(await redactAudio({ input, output, spans, mode: 'silence', ffmpegPath: ffmpeg!, padMs: 0 }), spans);
  const out = pcm(await readFile(output));
  assert.equal(out.sampleRate, RATE);
  assert.equal(out.channels, 2);
  // between(t, a, b) includes both ends: frames 4000..8000 and 12000..13600
  const inside = (f: number) => (f >= 4_000 && f <= 8_000) || (f >= 12_000 && f <= 13_600);
  for (let f = 0; f < out.frames; f++) if (inside(f)) for (let c = 0; c < 2; c++) assert.equal(out.at(f, c), 0, `frame ${f}`);
  assertUnchangedOutside(out, inside);
});

test('many spans (the filter is a search tree over them): each silenced exactly, the rest untouched', async (t) => {
  if (!needs(t, 'ffmpeg', ffmpeg !== null, INSTALL)) return;
  const output = path.join(dir, 'many.wav');
  const spans = Array.from({ length: 13 }, (_, i) => ({ startMs: 100 + i * 140, endMs: 100 + i * 140 + 20 }));
  assert.deepEqual(await redactAudio({ input, output, spans, mode: 'silence', ffmpegPath: ffmpeg!, padMs: 0 }), spans);
  const out = pcm(await readFile(output));
  const inside = (f: number) => spans.some((r) => f >= (r.startMs * RATE) / 1000 && f <= (r.endMs * RATE) / 1000);
  for (let f = 0; f < out.frames; f++) if (inside(f)) for (let c = 0; c < 2; c++) assert.equal(out.at(f, c), 0, `frame ${f}`);
  assertUnchangedOutside(out, inside);
});

test('tone: a 1 kHz beep on every channel inside the (padded) span; the rest is untouched', async (t) => {
  if (!needs(t, 'ffmpeg', ffmpeg !== null, INSTALL)) return;
  const output = path.join(dir, 'tone.wav');
  const ranges = await redactAudio({ input, output, spans: [{ startMs: 600, endMs: 900 }], mode: 'tone', ffmpegPath: ffmpeg!, padMs: 100 });
  assert.deepEqual(ranges, [{ startMs: 500, endMs: 1_000 }]);
  const out = pcm(await readFile(output));
  const src = pcm(original);
  for (let c = 0; c < 2; c++) {
    const ownTone = c === 0 ? 300 : 500;
    assert.ok(power(out, c, 4_000, 8_000, 1_000) > 1_000 * power(out, c, 4_000, 8_000, ownTone), `channel ${c}: the beep replaced the speech`);
    assert.ok(power(src, c, 4_000, 8_000, ownTone) > 1_000 * power(src, c, 4_000, 8_000, 1_000), `channel ${c}: the original had no beep`);
    let peak = 0;
    for (let f = 4_000; f <= 8_000; f++) peak = Math.max(peak, Math.abs(out.at(f, c)));
    assert.ok(peak > 7_500 && peak < 8_500, `channel ${c}: -12 dBFS, peak ${peak}`);
  }
  assertUnchangedOutside(out, (f) => f >= 4_000 && f <= 8_000);
});

test('no spans: a clean copy', async (t) => {
  if (!needs(t, 'ffmpeg', ffmpeg !== null, INSTALL)) return;
  const output = path.join(dir, 'copy.wav');
  assert.deepEqual(await redactAudio({ input, output, spans: [], mode: 'tone', ffmpegPath: ffmpeg! }), []);
  assertUnchangedOutside(pcm(await readFile(output)), () => false);
});

test('ffmpeg failing leaves no output; the recording itself is never the output', async (t) => {
  if (!needs(t, 'ffmpeg', ffmpeg !== null, INSTALL)) return;
  const broken = path.join(dir, 'broken.wav');
  await writeFile(broken, Buffer.from('RIFF-not-really-a-wav-file'));
  const output = path.join(dir, 'broken-out.wav');
  await assert.rejects(redactAudio({ input: broken, output, spans: [{ startMs: 0, endMs: 10 }], mode: 'silence', ffmpegPath: ffmpeg! }), { code: 'INTERNAL', message: /ffmpeg could not write the redacted copy/ });
  await assert.rejects(stat(output), { code: 'ENOENT' });
  await assert.rejects(redactAudio({ input, output: input, spans: [], mode: 'silence', ffmpegPath: ffmpeg! }), { code: 'INVALID_REQUEST' });
});

test('redactionRanges pads (250 ms by default), clamps at 0, sorts and merges', () => {
  assert.deepEqual(
    redactionRanges([
      { startMs: 5_000, endMs: 5_200 },
      { startMs: 100, endMs: 300 },
      { startMs: 5_600, endMs: 6_000 },
      { startMs: 9_000, endMs: 8_000 },
    ]),
    [
      { startMs: 0, endMs: 550 },
      { startMs: 4_750, endMs: 6_250 },
    ],
  );
  assert.deepEqual(redactionRanges([{ startMs: 100, endMs: 300 }], 0), [{ startMs: 100, endMs: 300 }]);
});
