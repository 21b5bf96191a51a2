import { invalidAudio } from '../domain/errors.js';
import { parseWavHeader } from '../ingest/audio-probe/wav-header.js';
import { PCM_SAMPLE_RATE } from '../ports/voice-activity-detector.js';

/** Decoded audio: one Float32Array per channel, 16 kHz, samples in [-1, 1]. */
export interface PcmAudio {
  sampleRate: typeof PCM_SAMPLE_RATE;
  channels: Float32Array[];
  durationMs: number;
}

/**
 * Reads the 16-bit PCM WAV the decoder wrote (ffmpeg may add a LIST chunk, so the header is
 * parsed, not assumed to be 44 bytes) into per-channel float arrays. Pure.
 * @example pcmFromWav(await readFile('call.16k.wav')).channels.length // 2
 */
export function pcmFromWav(bytes: Buffer): PcmAudio {
  const info = parseWavHeader(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)), bytes.length);
  if (info.codec !== 'pcm_s16le' || info.sampleRate !== PCM_SAMPLE_RATE) {
    throw invalidAudio(`decoded audio must be 16-bit PCM at ${PCM_SAMPLE_RATE} Hz, got ${info.codec} at ${info.sampleRate} Hz; decode the recording again`);
  }
  const n = info.channels;
  const frames = Math.floor(info.dataBytes / (2 * n));
  // Copy into an aligned buffer: the data offset of a WAV need not be even.
  const aligned = new Int16Array(frames * n);
  Buffer.from(aligned.buffer).set(bytes.subarray(info.dataOffset, info.dataOffset + frames * n * 2));
  const channels = Array.from({ length: n }, () => new Float32Array(frames));
  for (let f = 0, i = 0; f < frames; f++) {
    for (let c = 0; c < n; c++, i++) channels[c]![f] = aligned[i]! / 32768;
  }
  return { sampleRate: PCM_SAMPLE_RATE, channels, durationMs: Math.round((frames / PCM_SAMPLE_RATE) * 1000) };
}

/** Sample indexes [from, to) of [startMs, endMs), clamped to a channel of `length` samples. */
export function sliceBounds(startMs: number, endMs: number, length: number): [number, number] {
  const from = Math.min(length, Math.max(0, Math.floor((startMs * PCM_SAMPLE_RATE) / 1000)));
  const to = Math.min(length, Math.ceil((endMs * PCM_SAMPLE_RATE) / 1000));
  return [from, Math.max(from, to)];
}

/** Samples of [startMs, endMs) of a channel (a view, not a copy). */
export function sliceMs(samples: Float32Array, startMs: number, endMs: number): Float32Array {
  return samples.subarray(...sliceBounds(startMs, endMs, samples.length));
}
