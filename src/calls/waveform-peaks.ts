/**
 * Peaks for drawing a waveform (pure): the largest absolute sample of each bucket, buckets being
 * equal stretches of the recording. Bucket j of n over L samples covers
 * [floor(j·L/n), floor((j+1)·L/n)), so every sample lands in exactly one bucket.
 */

/** 0..1 with 3 decimals (what the API sends: enough for a few hundred pixels of height). */
export const roundPeak = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;

const bucketStart = (j: number, length: number, buckets: number): number => Math.floor((j * length) / buckets);

/**
 * Max |sample| per bucket, at most `buckets` buckets (fewer when there are fewer samples), each
 * rounded with roundPeak.
 * @example bucketPeaks([0.1, -0.5, 0.2, 0.05], 2) // [0.5, 0.2]
 */
export function bucketPeaks(samples: ArrayLike<number>, buckets: number): number[] {
  const n = Math.min(Math.max(0, Math.floor(buckets)), samples.length);
  const out = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    const end = bucketStart(j + 1, samples.length, n);
    let max = 0;
    for (let i = bucketStart(j, samples.length, n); i < end; i++) {
      const v = samples[i]!;
      const a = v < 0 ? -v : v;
      if (a > max) max = a;
    }
    out[j] = roundPeak(max);
  }
  return out;
}

/**
 * Peaks folded to fewer buckets: each new bucket takes the max of the old buckets it overlaps.
 * Exact (the same as bucketPeaks over the samples) when the old count is a multiple of the new
 * one; otherwise a bucket may also see up to one old bucket beyond its edges.
 * @example rebucketPeaks([0.1, 0.9, 0.3, 0.2], 2) // [0.9, 0.3]
 */
export function rebucketPeaks(peaks: readonly number[], buckets: number): number[] {
  const from = peaks.length;
  const n = Math.min(Math.max(0, Math.floor(buckets)), from);
  if (n === from) return [...peaks];
  const out = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    // Old buckets [a, b) overlapping [j/n, (j+1)/n) of the whole.
    const a = Math.floor((j * from) / n);
    const b = Math.ceil(((j + 1) * from) / n);
    let max = 0;
    for (let i = a; i < b; i++) if (peaks[i]! > max) max = peaks[i]!;
    out[j] = max;
  }
  return out;
}

/**
 * Peaks of interleaved 16-bit little-endian PCM as it streams in (ffmpeg's stdout), without
 * keeping the samples: each channel's max |sample| per block of `blockFrames` frames. Chunks may
 * end in the middle of a sample or frame; the rest is carried to the next chunk.
 */
export class PcmPeakBlocks {
  private readonly blocks: number[][];
  private readonly current: number[];
  private frames = 0;
  private inBlock = 0;
  private carry: Buffer = Buffer.alloc(0);

  constructor(
    readonly channels: number,
    readonly blockFrames: number,
  ) {
    if (!Number.isInteger(channels) || channels < 1) throw new Error(`channels must be a positive integer, got ${channels}`);
    if (!Number.isInteger(blockFrames) || blockFrames < 1) throw new Error(`blockFrames must be a positive integer, got ${blockFrames}`);
    this.blocks = Array.from({ length: channels }, () => []);
    this.current = new Array<number>(channels).fill(0);
  }

  push(chunk: Buffer): void {
    const frameBytes = 2 * this.channels;
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = data.length - (data.length % frameBytes);
    // An aligned copy so the samples can be read as an Int16Array (a chunk's offset may be odd).
    const samples = new Int16Array(whole / 2);
    Buffer.from(samples.buffer).set(data.subarray(0, whole));
    this.carry = Buffer.from(data.subarray(whole));
    const c = this.channels;
    const current = this.current;
    let inBlock = this.inBlock;
    for (let i = 0; i < samples.length; i += c) {
      for (let ch = 0; ch < c; ch++) {
        const v = samples[i + ch]!;
        const a = v < 0 ? -v : v;
        if (a > current[ch]!) current[ch] = a;
      }
      if (++inBlock === this.blockFrames) {
        this.closeBlock();
        inBlock = 0;
      }
    }
    this.inBlock = inBlock;
    this.frames += samples.length / c;
  }

  private closeBlock(): void {
    for (let ch = 0; ch < this.channels; ch++) {
      this.blocks[ch]!.push(this.current[ch]! / 32768);
      this.current[ch] = 0;
    }
    this.inBlock = 0;
  }

  /** Frames seen so far (whole frames only). */
  get frameCount(): number {
    return this.frames;
  }

  /** Each channel's block peaks (0..1, unrounded); the last block may be shorter. */
  finish(): number[][] {
    if (this.inBlock > 0) this.closeBlock();
    return this.blocks;
  }
}

/**
 * Frames per block for a recording of about `expectedFrames` frames: at least `perPoint` blocks
 * per point of `points`, so folding blocks into points strays from the exact bucket edges by
 * at most 1/perPoint of a point.
 */
export const blockFramesFor = (expectedFrames: number, points: number, perPoint = 8): number => Math.max(1, Math.floor(expectedFrames / (points * perPoint)));

/**
 * Peaks over `durationMs` with every bucket that touches one of the time ranges set to `level`:
 * the waveform of a copy whose stretches were replaced (a tone over personal data), drawn without
 * decoding that copy. A bucket only partly inside a range is covered whole, so no peak of the
 * covered speech shows at a range's edge.
 * @example coverPeaks([0.9, 0.8, 0.7, 0.6], 4000, [{ startMs: 1500, endMs: 2100 }], 0.25) // [0.9, 0.25, 0.25, 0.6]
 */
export function coverPeaks(peaks: readonly number[], durationMs: number, ranges: ReadonlyArray<{ startMs: number; endMs: number }>, level: number): number[] {
  const out = [...peaks];
  const n = out.length;
  if (n === 0 || durationMs <= 0) return out;
  for (const r of ranges) {
    const first = Math.max(0, Math.floor((r.startMs / durationMs) * n));
    const last = Math.min(n - 1, Math.ceil((r.endMs / durationMs) * n) - 1);
    for (let j = first; j <= last; j++) out[j] = level;
  }
  return out;
}
