import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pcmWavHeader } from '../../test/support/wav-header.js';

/** Shape of the benchmark recordings: what a contact center stores for a 6-minute call. */
export interface WavSpec {
  seconds: number;
  sampleRate: number;
  channels: number;
}

export const SIX_MINUTE_STEREO_8K: WavSpec = { seconds: 360, sampleRate: 8000, channels: 2 };

export const wavBytes = (s: WavSpec): number => 44 + Math.round(s.seconds * s.sampleRate) * s.channels * 2;

/** The header of a benchmark file. */
const header = (spec: WavSpec): Buffer => pcmWavHeader({ sampleRate: spec.sampleRate, channels: spec.channels, dataBytes: wavBytes(spec) - 44 });

/**
 * One file: a tone per channel plus xorshift noise seeded by `seed`, so every file has its own
 * sha256. Not speech-like (the bench measures bytes, not audio), written in 1 MiB blocks.
 */
async function writeWav(file: string, spec: WavSpec, seed: number): Promise<void> {
  const frames = Math.round(spec.seconds * spec.sampleRate);
  const framesPerBlock = Math.floor((1024 * 1024) / (spec.channels * 2));
  let state = (seed * 2654435761) >>> 0 || 1;
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.write(header(spec));
    for (let start = 0; start < frames; start += framesPerBlock) {
      const n = Math.min(framesPerBlock, frames - start);
      const block = Buffer.alloc(n * spec.channels * 2);
      for (let i = 0; i < n; i++) {
        const t = start + i;
        for (let c = 0; c < spec.channels; c++) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          const noise = ((state >>> 0) / 0xffffffff - 0.5) * 800;
          const v = Math.sin((2 * Math.PI * (300 + 170 * c + (seed % 50)) * t) / spec.sampleRate) * 6000 + noise;
          block.writeInt16LE(Math.round(v), (i * spec.channels + c) * 2);
        }
      }
      await fh.write(block);
    }
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

/**
 * Ensure `count` distinct WAVs exist in `dir` (generated once, reused by later runs). Files that
 * already have the expected size are kept; extra files from a larger earlier run are ignored.
 */
export async function ensureWavFixtures(dir: string, count: number, spec: WavSpec, onProgress?: (msg: string) => void): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const size = wavBytes(spec);
  const files: string[] = [];
  let made = 0;
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `call-${String(i + 1).padStart(4, '0')}.wav`);
    const s = await stat(file).catch(() => null);
    if (!s || s.size !== size) {
      await writeWav(file, spec, i + 1);
      made++;
    }
    files.push(file);
  }
  for (const e of await readdir(dir)) if (e.endsWith('.tmp')) await rm(path.join(dir, e), { force: true });
  if (made) onProgress?.(`generated ${made} WAV file(s) in ${dir}`);
  return files;
}
