/**
 * A canonical 44-byte PCM s16le WAV header — for fixtures in tests and benchmarks.
 * @example pcmWavHeader({ sampleRate: 8000, channels: 2, dataBytes: 32000 })
 */
export function pcmWavHeader(spec: { sampleRate: number; channels: number; dataBytes: number }): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + spec.dataBytes, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(spec.channels, 22);
  h.writeUInt32LE(spec.sampleRate, 24);
  h.writeUInt32LE(spec.sampleRate * spec.channels * 2, 28);
  h.writeUInt16LE(spec.channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(spec.dataBytes, 40);
  return h;
}
