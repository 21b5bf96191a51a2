import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blockFramesFor, bucketPeaks, coverPeaks, PcmPeakBlocks, rebucketPeaks, roundPeak } from './waveform-peaks.js';

/** Interleaved s16le frames from per-channel sample arrays. */
function s16(...channels: number[][]): Buffer {
  const frames = channels[0]!.length;
  const b = Buffer.alloc(frames * channels.length * 2);
  for (let f = 0; f < frames; f++) for (let c = 0; c < channels.length; c++) b.writeInt16LE(channels[c]![f]!, (f * channels.length + c) * 2);
  return b;
}

describe('waveform peaks', () => {
  test('bucketPeaks: max |sample| per bucket, negative samples included, rounded to 3 decimals', () => {
    assert.deepEqual(bucketPeaks([0.1, -0.5, 0.2, 0.05], 2), [0.5, 0.2]);
    assert.deepEqual(bucketPeaks([0.12345, -0.98765], 1), [0.988]);
    assert.deepEqual(bucketPeaks([0, 0, 0], 3), [0, 0, 0]);
  });

  test('bucketPeaks: every sample lands in exactly one bucket when the length does not divide', () => {
    // 10 samples into 3 buckets: [0,3) [3,6) [6,10)
    const s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
    assert.deepEqual(bucketPeaks(s, 3), [0.3, 0.6, 1]);
    // a lone loud sample shows up in exactly one bucket, wherever it is
    for (let at = 0; at < 10; at++) {
      const one = new Array<number>(10).fill(0);
      one[at] = -0.75;
      const p = bucketPeaks(one, 4);
      assert.equal(p.filter((v) => v === 0.75).length, 1, `sample ${at}`);
    }
  });

  test('bucketPeaks: fewer samples than buckets gives one bucket per sample; none gives none', () => {
    assert.deepEqual(bucketPeaks([0.5, -0.25], 2000), [0.5, 0.25]);
    assert.deepEqual(bucketPeaks([], 2000), []);
  });

  test('roundPeak clamps to 0..1', () => {
    assert.equal(roundPeak(1.2), 1);
    assert.equal(roundPeak(-0.1), 0);
    assert.equal(roundPeak(0.0004), 0);
    assert.equal(roundPeak(0.0005), 0.001);
  });

  test('rebucketPeaks: exact when the old count is a multiple of the new one', () => {
    const samples = Array.from({ length: 8000 }, (_, i) => Math.sin(i / 37) * (i % 101) / 100);
    const base = bucketPeaks(samples, 800);
    for (const n of [400, 200, 100, 8]) assert.deepEqual(rebucketPeaks(base, n), bucketPeaks(samples, n), `n=${n}`);
  });

  test('rebucketPeaks: otherwise each bucket takes every old bucket it overlaps; never more buckets than given', () => {
    assert.deepEqual(rebucketPeaks([0.1, 0.9, 0.3, 0.2], 2), [0.9, 0.3]);
    // 3 → 2: the middle old bucket overlaps both new ones
    assert.deepEqual(rebucketPeaks([0.1, 0.9, 0.3], 2), [0.9, 0.9]);
    assert.deepEqual(rebucketPeaks([0.1, 0.2], 10), [0.1, 0.2]);
  });

  test('PcmPeakBlocks: per-channel block peaks of interleaved s16le, chunks split anywhere', () => {
    const left = [100, -200, 300, -32768, 5, 6, 7];
    const right = [0, 16384, -1, 2, 3, -8192, 1];
    const bytes = s16(left, right);
    for (const split of [1, 3, 4, 7, 13, bytes.length]) {
      const acc = new PcmPeakBlocks(2, 3);
      for (let i = 0; i < bytes.length; i += split) acc.push(bytes.subarray(i, i + split));
      assert.equal(acc.frameCount, 7);
      const [l, r] = acc.finish();
      assert.deepEqual(l, [300 / 32768, 1, 7 / 32768], `split ${split}`);
      assert.deepEqual(r, [0.5, 0.25, 1 / 32768], `split ${split}`);
    }
  });

  test('PcmPeakBlocks folded by bucketPeaks: a click shows in the right place of a long stereo recording', () => {
    const frames = 8000 * 60; // a minute at 8 kHz
    const left = new Array<number>(frames).fill(100);
    const right = new Array<number>(frames).fill(-100);
    left[frames / 2] = 30000; // half-way on the left
    right[frames - 1] = -32768; // the very end on the right
    const acc = new PcmPeakBlocks(2, blockFramesFor(frames, 200));
    acc.push(s16(left, right));
    const [l, r] = acc.finish().map((blocks) => bucketPeaks(blocks, 200));
    assert.equal(l!.length, 200);
    assert.equal(l![100], roundPeak(30000 / 32768));
    assert.equal(l!.filter((v) => v > 0.5).length, 1);
    assert.equal(r![199], 1);
    assert.equal(r!.filter((v) => v > 0.5).length, 1);
    assert.equal(l![0], roundPeak(100 / 32768));
  });

  test('blockFramesFor: at least 8 blocks per point, never 0 frames', () => {
    assert.equal(blockFramesFor(5_760_000, 8000), 90);
    assert.equal(blockFramesFor(100, 8000), 1);
  });

  test('coverPeaks: every bucket a range touches takes the level, partly covered ones too; the rest and the input stay as they were', () => {
    const peaks = [0.9, 0.8, 0.7, 0.6];
    assert.deepEqual(coverPeaks(peaks, 4000, [{ startMs: 1500, endMs: 2100 }], 0.25), [0.9, 0.25, 0.25, 0.6]);
    assert.deepEqual(coverPeaks(peaks, 4000, [{ startMs: 1000, endMs: 2000 }], 0.25), [0.9, 0.25, 0.7, 0.6], 'a range ending on a bucket edge does not touch the next');
    assert.deepEqual(coverPeaks(peaks, 4000, [{ startMs: 0, endMs: 10 }, { startMs: 3990, endMs: 9000 }], 0), [0, 0.8, 0.7, 0], 'ranges past the end are clamped');
    assert.deepEqual(coverPeaks(peaks, 4000, [], 0.25), peaks);
    assert.deepEqual(coverPeaks([], 4000, [{ startMs: 0, endMs: 100 }], 0.25), []);
    assert.deepEqual(peaks, [0.9, 0.8, 0.7, 0.6], 'not changed in place');
  });
});
