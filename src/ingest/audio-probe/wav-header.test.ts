import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWavHeader } from './wav-header.js';

interface WavSpec {
  tag?: number;
  channels?: number;
  sampleRate?: number;
  bits?: number;
  blockAlign?: number;
  /** Sub-format tag; when set, the fmt chunk is WAVE_FORMAT_EXTENSIBLE. */
  extensibleSubTag?: number;
  /** Declared data chunk size; default: the real sample byte count. */
  declaredDataSize?: number;
  sampleBytes?: number;
  /** Chunks before fmt (e.g. an odd-sized LIST) and after data. */
  before?: Buffer[];
  after?: Buffer[];
  dataBeforeFmt?: boolean;
  omitFmt?: boolean;
  omitData?: boolean;
}

function chunk(id: string, body: Buffer, declaredSize = body.length): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(declaredSize, 4);
  const pad = body.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([header, body, pad]);
}

/** A WAV file built byte by byte, so every header oddity can be produced exactly. */
function wav(spec: WavSpec = {}): Buffer {
  const channels = spec.channels ?? 1;
  const bits = spec.bits ?? 16;
  const sampleRate = spec.sampleRate ?? 8000;
  const blockAlign = spec.blockAlign ?? (channels * bits) / 8;
  const fmtBody = Buffer.alloc(spec.extensibleSubTag !== undefined ? 40 : 16);
  fmtBody.writeUInt16LE(spec.extensibleSubTag !== undefined ? 0xfffe : (spec.tag ?? 1), 0);
  fmtBody.writeUInt16LE(channels, 2);
  fmtBody.writeUInt32LE(sampleRate, 4);
  fmtBody.writeUInt32LE(sampleRate * blockAlign, 8);
  fmtBody.writeUInt16LE(blockAlign, 12);
  fmtBody.writeUInt16LE(bits, 14);
  if (spec.extensibleSubTag !== undefined) {
    fmtBody.writeUInt16LE(22, 16); // cbSize
    fmtBody.writeUInt16LE(bits, 18); // valid bits
    fmtBody.writeUInt16LE(spec.extensibleSubTag, 24); // GUID starts with the classic tag
    Buffer.from('000000001000800000aa00389b71', 'hex').copy(fmtBody, 26);
  }
  const samples = Buffer.alloc(spec.sampleBytes ?? sampleRate * blockAlign); // 1 s by default
  const fmt = spec.omitFmt ? Buffer.alloc(0) : chunk('fmt ', fmtBody);
  const data = spec.omitData ? Buffer.alloc(0) : chunk('data', samples, spec.declaredDataSize ?? samples.length);
  const body = Buffer.concat([...(spec.before ?? []), ...(spec.dataBeforeFmt ? [data, fmt] : [fmt, data]), ...(spec.after ?? [])]);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + body.length, 4);
  riff.write('WAVE', 8, 'latin1');
  return Buffer.concat([riff, body]);
}

const parse = (buf: Buffer) => parseWavHeader(buf, buf.length);

test('PCM 16-bit stereo 8 kHz: codec, layout, data offset and duration', () => {
  const buf = wav({ channels: 2, sampleRate: 8000, bits: 16, sampleBytes: 8000 * 4 * 3 });
  assert.deepEqual(parse(buf), {
    codec: 'pcm_s16le',
    channels: 2,
    sampleRate: 8000,
    bitsPerSample: 16,
    blockAlign: 4,
    dataOffset: 44,
    dataBytes: 96000,
    durationMs: 3000,
  });
});

test('codec names follow ffmpeg for every supported format tag', () => {
  assert.equal(parse(wav({ bits: 8 })).codec, 'pcm_u8');
  assert.equal(parse(wav({ bits: 24 })).codec, 'pcm_s24le');
  assert.equal(parse(wav({ bits: 32 })).codec, 'pcm_s32le');
  assert.equal(parse(wav({ tag: 3, bits: 32 })).codec, 'pcm_f32le');
  assert.equal(parse(wav({ tag: 3, bits: 64 })).codec, 'pcm_f64le');
  assert.equal(parse(wav({ tag: 6, bits: 8 })).codec, 'pcm_alaw');
  assert.equal(parse(wav({ tag: 7, bits: 8 })).codec, 'pcm_mulaw');
  // 20 significant bits stored in 3 bytes read as 24-bit, as ffmpeg does.
  assert.equal(parse(wav({ bits: 20, blockAlign: 3 })).codec, 'pcm_s24le');
});

test('WAVE_FORMAT_EXTENSIBLE takes the codec from the sub-format GUID', () => {
  const info = parse(wav({ extensibleSubTag: 1, channels: 2, bits: 24, sampleRate: 48000 }));
  assert.equal(info.codec, 'pcm_s24le');
  assert.equal(info.channels, 2);
  assert.equal(info.durationMs, 1000);
  assert.equal(parse(wav({ extensibleSubTag: 3, bits: 32 })).codec, 'pcm_f32le');
});

test('odd-sized chunks are padded to even when walking', () => {
  const list = chunk('LIST', Buffer.from('INFOabc')); // 7 bytes + 1 pad
  const info = parse(wav({ before: [list] }));
  assert.equal(info.dataOffset, 12 + 16 + 24 + 8);
  assert.equal(info.durationMs, 1000);
});

test('data before fmt is accepted when both are in the bytes given', () => {
  const info = parse(wav({ dataBeforeFmt: true, sampleBytes: 1600 }));
  assert.equal(info.codec, 'pcm_s16le');
  assert.equal(info.durationMs, 100);
});

test('rejects non-RIFF input, and RF64 / RIFX as unsupported', () => {
  assert.throws(() => parse(Buffer.from('ID3\x04 not a wav at all')), { code: 'INVALID_AUDIO', message: /does not start with a RIFF\/WAVE header/ });
  const rf64 = wav();
  rf64.write('RF64', 0, 'latin1');
  assert.throws(() => parse(rf64), { code: 'UNSUPPORTED_FORMAT', message: /RF64.*ffmpeg -i in\.wav -c:a pcm_s16le/ });
});

test('missing fmt or data chunk', () => {
  assert.throws(() => parse(wav({ omitFmt: true })), { code: 'INVALID_AUDIO', message: /no "fmt " chunk in the file/ });
  assert.throws(() => parse(wav({ omitData: true })), { code: 'INVALID_AUDIO', message: /no "data" chunk in the file/ });
  // Only the first bytes are given: say so, do not claim the file lacks the chunk.
  const huge = chunk('JUNK', Buffer.alloc(70_000));
  const buf = wav({ before: [huge] });
  assert.throws(() => parseWavHeader(buf.subarray(0, 65_536), buf.length), { code: 'INVALID_AUDIO', message: /in the first 65536 bytes/ });
});

test('zero channels or zero sample rate', () => {
  assert.throws(() => parse(wav({ channels: 0, blockAlign: 2 })), { code: 'INVALID_AUDIO', message: /0 channels/ });
  assert.throws(() => parse(wav({ sampleRate: 0 })), { code: 'INVALID_AUDIO', message: /sample rate of 0 Hz/ });
});

test('unsupported codec names the codec, the supported list and the ffmpeg fix', () => {
  assert.throws(() => parse(wav({ tag: 0x11, bits: 4, blockAlign: 256 })), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'UNSUPPORTED_FORMAT');
    assert.match(e.message, /IMA ADPCM \(format tag 0x0011\)/);
    assert.match(e.message, /PCM .*μ-law and A-law/);
    assert.match(e.message, /ffmpeg -i in\.wav -c:a pcm_s16le out\.wav/);
    return true;
  });
  assert.throws(() => parse(wav({ tag: 0x1234 })), { code: 'UNSUPPORTED_FORMAT', message: /format tag 0x1234/ });
  assert.throws(() => parse(wav({ tag: 6, bits: 16 })), { code: 'UNSUPPORTED_FORMAT', message: /sample size/ });
});

test('empty data chunk: no audio samples', () => {
  assert.throws(() => parse(wav({ sampleBytes: 0 })), { code: 'INVALID_AUDIO', message: /contains no audio samples/ });
  // Size 0 followed by a real chunk is a genuinely empty data chunk, not a placeholder.
  const list = chunk('LIST', Buffer.from('INFOISFT'));
  assert.throws(() => parse(wav({ sampleBytes: 0, after: [list] })), { code: 'INVALID_AUDIO', message: /contains no audio samples/ });
});

test('streaming placeholders (0xFFFFFFFF, 0x7FFFF000, 0 with samples after) read to end of file', () => {
  for (const declaredDataSize of [0xffffffff, 0x7ffff000, 0]) {
    const info = parse(wav({ declaredDataSize, sampleBytes: 16_000 }));
    assert.equal(info.dataBytes, 16_000, `declared 0x${declaredDataSize.toString(16)}`);
    assert.equal(info.durationMs, 1000);
  }
});

test('data chunk larger than the file: truncated, with both byte counts', () => {
  const full = wav({ sampleBytes: 16_000 });
  const cut = full.subarray(0, 44 + 6_000);
  assert.throws(() => parse(cut), {
    code: 'INVALID_AUDIO',
    message: 'the file is truncated: data chunk declares 16000 bytes but only 6000 are present; re-export or re-upload the recording',
  });
});

test('a trailing partial sample frame is ignored; duration rounds to ms', () => {
  const info = parse(wav({ channels: 2, sampleRate: 8000, sampleBytes: 4 * 12_345 + 3 }));
  assert.equal(info.durationMs, Math.round((12_345 / 8000) * 1000));
});
