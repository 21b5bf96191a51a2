/**
 * The mix as a stereo telephone recording — agent left, customer right, 8 kHz G.711 μ-law — and
 * reading the WAV back to check it.
 */
import { readFileSync } from 'node:fs';
import { run } from './external-tools.js';
import { randInt } from './rng.js';
import { SAMPLE_RATE } from './telephone-format.js';
import type { PlacedUtterance } from './timeline-layout.js';

/** Interleaved 16-bit stereo: agent on the left channel, customer on the right. */
export function mixStereo(placed: PlacedUtterance[], totalSamples: number, rng: () => number): Buffer {
  const mix = new Int16Array(totalSamples * 2);
  // A faint line-noise floor (≈ −60 dBFS): real calls are never digitally silent.
  for (let i = 0; i < mix.length; i++) mix[i] = randInt(rng, -30, 30);
  for (const { turn, startSample, samples } of placed) {
    const channel = turn.speaker === 'agent' ? 0 : 1;
    for (let j = 0; j < samples.length; j++) {
      const k = (startSample + j) * 2 + channel;
      mix[k] = Math.max(-32768, Math.min(32767, (mix[k] ?? 0) + (samples[j] ?? 0)));
    }
  }
  return Buffer.from(mix.buffer, mix.byteOffset, mix.byteLength);
}

/** Encodes G.711 μ-law; -bitexact and no metadata keep the header stable across ffmpeg builds. */
export function encodeMulawWav(pcm: Buffer, outPath: string): void {
  run(
    'ffmpeg',
    ['-v', 'error', '-y', '-f', 's16le', '-ar', String(SAMPLE_RATE), '-ac', '2', '-i', 'pipe:0',
      '-c:a', 'pcm_mulaw', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:a', '+bitexact', outPath],
    pcm,
  );
}

/** Reads the fmt and data chunks back, to prove the file is what the sidecar claims. */
export function inspectWav(path: string): { formatTag: number; channels: number; sampleRate: number; durationMs: number } {
  const buf = readFileSync(path);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not a WAV file`);
  let offset = 12;
  let fmt: { formatTag: number; channels: number; sampleRate: number; blockAlign: number } | undefined;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      fmt = { formatTag: buf.readUInt16LE(offset + 8), channels: buf.readUInt16LE(offset + 10), sampleRate: buf.readUInt32LE(offset + 12), blockAlign: buf.readUInt16LE(offset + 20) };
    } else if (id === 'data' && fmt) {
      const frames = size / fmt.blockAlign;
      return { formatTag: fmt.formatTag, channels: fmt.channels, sampleRate: fmt.sampleRate, durationMs: Math.round((frames * 1000) / fmt.sampleRate) };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no fmt/data chunk`);
}
