import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loudness } from './loudness.js';
import { spansFromFrames, splitLongSpans } from './speech-spans.js';

const shaping = { minSilenceMs: 90, minSpeechMs: 90, maxSpeechMs: 20_000 };

test('frames → spans: short pauses bridged, blips dropped', () => {
  // 30 ms frames: speech 0-90, pause 60 (bridged), speech 150-240, long pause, blip 30 ms (dropped), speech 600-900
  const d = Uint8Array.from([1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(spansFromFrames(d, 30, shaping), [
    { startMs: 0, endMs: 240 },
    { startMs: 600, endMs: 900 },
  ]);
  assert.deepEqual(spansFromFrames(new Uint8Array(10), 30, shaping), []);
});

test('long spans are cut into equal parts no longer than the maximum', () => {
  assert.deepEqual(splitLongSpans([{ startMs: 1000, endMs: 26_000 }], 10_000), [
    { startMs: 1000, endMs: 9333 },
    { startMs: 9333, endMs: 17_667 },
    { startMs: 17_667, endMs: 26_000 },
  ]);
  assert.deepEqual(splitLongSpans([{ startMs: 0, endMs: 500 }], 10_000), [{ startMs: 0, endMs: 500 }]);
});

test('loudness: RMS and peak in dBFS; digital silence has none', () => {
  assert.deepEqual(loudness(Float32Array.of(0.5, -0.5, 0.5, -0.5)), { rmsDbfs: -6, peakDbfs: -6 });
  assert.deepEqual(loudness(Float32Array.of(1, 0, 0, 0)), { rmsDbfs: -6, peakDbfs: 0 });
  assert.deepEqual(loudness(new Float32Array(8)), { rmsDbfs: null, peakDbfs: null });
  assert.deepEqual(loudness(Float32Array.of(0.5, 0.1), 1, 1), { rmsDbfs: null, peakDbfs: null }, 'an empty range');
});

test('spans padded for ASR stay within the audio and never merge: at most half of each gap is taken', async () => {
  const { padSpans } = await import('./speech-spans.js');
  assert.deepEqual(padSpans([{ startMs: 100, endMs: 1000 }, { startMs: 1300, endMs: 2000 }, { startMs: 5000, endMs: 5900 }], 200, 6000), [
    { startMs: 0, endMs: 1150 },
    { startMs: 1150, endMs: 2200 },
    { startMs: 4800, endMs: 6000 },
  ]);
  // Pieces the VAD split at its maximum length touch: they stay separate pieces.
  const split = [{ startMs: 0, endMs: 18_000 }, { startMs: 18_000, endMs: 36_000 }];
  assert.deepEqual(padSpans(split, 300, 40_000), [{ startMs: 0, endMs: 18_000 }, { startMs: 18_000, endMs: 36_300 }]);
});
