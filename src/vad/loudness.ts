import type { Loudness } from '../domain/voice-activity.js';

const dbfs = (amplitude: number): number | null => (amplitude > 0 ? Math.round(20 * Math.log10(amplitude) * 10) / 10 : null);

/**
 * RMS and peak level of samples[from, to) in dBFS, rounded to 0.1 dB; null for digital silence.
 * Pure. @example loudness(Float32Array.of(0.5, -0.5)) // { rmsDbfs: -6, peakDbfs: -6 }
 */
export function loudness(samples: Float32Array, from = 0, to = samples.length): Loudness {
  let sum = 0;
  let peak = 0;
  for (let i = from; i < to; i++) {
    const v = samples[i]!;
    sum += v * v;
    const a = v < 0 ? -v : v;
    if (a > peak) peak = a;
  }
  const n = to - from;
  return { rmsDbfs: n > 0 ? dbfs(Math.sqrt(sum / n)) : null, peakDbfs: dbfs(peak) };
}
