import { invalidAudio, unsupportedFormat } from '../../domain/errors.js';

/** What the RIFF/WAVE header says about a file, with codec names as ffmpeg spells them. */
export interface WavInfo {
  /** pcm_u8 | pcm_s16le | pcm_s24le | pcm_s32le | pcm_f32le | pcm_f64le | pcm_alaw | pcm_mulaw */
  codec: string;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Sample bytes actually present (see the note on placeholder sizes in {@link parseWavHeader}). */
  dataBytes: number;
  durationMs: number;
}

const FORMAT_PCM = 0x0001;
const FORMAT_IEEE_FLOAT = 0x0003;
const FORMAT_ALAW = 0x0006;
const FORMAT_MULAW = 0x0007;
const FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Data sizes that streaming writers leave behind when they cannot seek back to fix the header:
 * ffmpeg writes 0xFFFFFFFF, sox writes 0x7FFFF000. Readers (ffmpeg, sox) treat them as "until end
 * of file", and so do we. Any other size larger than the file means the file was cut short.
 */
const PLACEHOLDER_DATA_SIZES = new Set([0xffffffff, 0x7ffff000]);

/** Names of common non-PCM WAV codecs, so the error can say what the file actually holds. */
const KNOWN_UNSUPPORTED: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  0x0022: 'TrueSpeech',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0055: 'MP3',
  0x0064: 'G.726 ADPCM',
  0x0065: 'G.722 ADPCM',
  0x00ff: 'AAC',
  0x0161: 'WMA',
  0x1610: 'AAC (HE)',
};

const SUPPORTED_WAV_CODECS = 'PCM (8/16/24/32-bit), IEEE float (32/64-bit), G.711 μ-law and A-law';
const CONVERT_HINT = 'convert it first, e.g. `ffmpeg -i in.wav -c:a pcm_s16le out.wav`';

/**
 * Parses a RIFF/WAVE header from the first bytes of a file, walking chunks (odd sizes are padded
 * to even) until `fmt ` and `data` are both found. Pure: no I/O. `fileSize` is the whole file's
 * size, used to tell how many sample bytes are really there.
 *
 * Data chunk size rules:
 * - 0xFFFFFFFF / 0x7FFFF000 (streaming placeholders) → samples run to end of file.
 * - 0 with nothing after it, or followed by another chunk header → "contains no audio samples".
 * - 0 followed by bytes that are not a chunk header → a writer that never fixed up the header
 *   (some recorders write 0 first); samples run to end of file.
 * - anything else larger than what the file holds → truncated.
 * Throws invalidAudio / unsupportedFormat with a message saying what is wrong and how to fix it.
 *
 * @example
 *   parseWavHeader(first64KiB, fileSize);
 *   // { codec: 'pcm_s16le', channels: 2, sampleRate: 8000, bitsPerSample: 16, blockAlign: 4, dataOffset: 44, dataBytes: 96000, durationMs: 3000 }
 */
export function parseWavHeader(head: Buffer, fileSize: number): WavInfo {
  const magic = head.toString('latin1', 0, 4);
  if (head.length < 12 || head.toString('latin1', 8, 12) !== 'WAVE' || (magic !== 'RIFF' && magic !== 'RIFX' && magic !== 'RF64')) {
    throw invalidAudio('not a valid WAV file: it does not start with a RIFF/WAVE header; re-export the recording as WAV or upload it in its original format');
  }
  if (magic !== 'RIFF') {
    const what = magic === 'RF64' ? 'RF64 (WAV larger than 4 GiB)' : 'big-endian RIFX WAV';
    throw unsupportedFormat(`${what} is not supported; ${CONVERT_HINT}`, { container: magic });
  }

  let fmt: FmtChunk | undefined;
  let data: { offset: number; declaredSize: number } | undefined;
  let pos = 12;
  while (pos + 8 <= head.length && !(fmt && data)) {
    const id = head.toString('latin1', pos, pos + 4);
    const size = head.readUInt32LE(pos + 4);
    const bodyStart = pos + 8;
    if (id === 'fmt ') {
      fmt = readFmtChunk(head.subarray(bodyStart, Math.min(head.length, bodyStart + size)));
    } else if (id === 'data') {
      data = { offset: bodyStart, declaredSize: size };
      // Chunks after `data` matter only if `fmt ` was (non-conformingly) put after it.
      if (!fmt && PLACEHOLDER_DATA_SIZES.has(size)) break;
    }
    pos = bodyStart + size + (size % 2);
  }

  const inspected = Math.min(head.length, fileSize);
  const where = fileSize <= head.length ? 'the file' : `the first ${inspected} bytes`;
  if (!fmt) {
    throw invalidAudio(`not a valid WAV file: no "fmt " chunk in ${where}, so the sample format is unknown; re-export the recording as a standard WAV`);
  }
  if (!data) {
    throw invalidAudio(`not a valid WAV file: no "data" chunk in ${where}; the file is truncated or not a standard WAV — re-export or re-upload the recording`);
  }

  if (fmt.channels === 0) throw invalidAudio('not a valid WAV file: the header declares 0 channels; re-export the recording');
  if (fmt.sampleRate === 0) throw invalidAudio('not a valid WAV file: the header declares a sample rate of 0 Hz; re-export the recording');
  const codec = codecOf(fmt);
  const blockAlign = fmt.blockAlign || (fmt.channels * fmt.bitsPerSample) / 8;
  if (!Number.isInteger(blockAlign) || blockAlign <= 0) {
    throw invalidAudio(`not a valid WAV file: inconsistent block size (${fmt.blockAlign} bytes for ${fmt.channels} channels of ${fmt.bitsPerSample} bits); re-export the recording`);
  }

  const present = Math.max(0, fileSize - data.offset);
  let dataBytes: number;
  if (PLACEHOLDER_DATA_SIZES.has(data.declaredSize)) {
    dataBytes = present;
  } else if (data.declaredSize === 0) {
    dataBytes = present > 0 && !looksLikeChunkHeader(head, data.offset, fileSize) ? present : 0;
  } else if (data.declaredSize > present) {
    throw invalidAudio(
      `the file is truncated: data chunk declares ${data.declaredSize} bytes but only ${present} are present; re-export or re-upload the recording`,
      { declaredBytes: data.declaredSize, presentBytes: present },
    );
  } else {
    dataBytes = data.declaredSize;
  }

  const frames = Math.floor(dataBytes / blockAlign);
  if (frames === 0) {
    throw invalidAudio('the WAV file contains no audio samples (its data chunk is empty); check the recorder and upload a recording with audio');
  }
  return {
    codec,
    channels: fmt.channels,
    sampleRate: fmt.sampleRate,
    bitsPerSample: fmt.bitsPerSample,
    blockAlign,
    dataOffset: data.offset,
    dataBytes,
    durationMs: Math.round((frames / fmt.sampleRate) * 1000),
  };
}

interface FmtChunk {
  /** The effective format tag (the sub-format's for WAVE_FORMAT_EXTENSIBLE). */
  formatTag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

function readFmtChunk(body: Buffer): FmtChunk {
  if (body.length < 16) {
    throw invalidAudio(`not a valid WAV file: the "fmt " chunk is ${body.length} bytes, shorter than the 16 it must have; re-export the recording`);
  }
  let formatTag = body.readUInt16LE(0);
  if (formatTag === FORMAT_EXTENSIBLE) {
    // WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) then the sub-format GUID, whose
    // first two bytes are the classic format tag (KSDATAFORMAT_SUBTYPE_PCM = 0001…, FLOAT = 0003…).
    if (body.length < 26) {
      throw invalidAudio('not a valid WAV file: WAVE_FORMAT_EXTENSIBLE header is too short to hold its sub-format; re-export the recording');
    }
    formatTag = body.readUInt16LE(24);
  }
  return {
    formatTag,
    channels: body.readUInt16LE(2),
    sampleRate: body.readUInt32LE(4),
    blockAlign: body.readUInt16LE(12),
    bitsPerSample: body.readUInt16LE(14),
  };
}

function codecOf(fmt: FmtChunk): string {
  // Container bits per sample: a 20-bit file stores 3 bytes per sample, like ffmpeg reads it.
  const containerBits = fmt.blockAlign > 0 ? (fmt.blockAlign / fmt.channels) * 8 : Math.ceil(fmt.bitsPerSample / 8) * 8;
  switch (fmt.formatTag) {
    case FORMAT_PCM: {
      const codec = ({ 8: 'pcm_u8', 16: 'pcm_s16le', 24: 'pcm_s24le', 32: 'pcm_s32le' } as Record<number, string>)[containerBits];
      if (codec) return codec;
      break;
    }
    case FORMAT_IEEE_FLOAT: {
      const codec = ({ 32: 'pcm_f32le', 64: 'pcm_f64le' } as Record<number, string>)[containerBits];
      if (codec) return codec;
      break;
    }
    case FORMAT_ALAW:
      if (containerBits === 8) return 'pcm_alaw';
      break;
    case FORMAT_MULAW:
      if (containerBits === 8) return 'pcm_mulaw';
      break;
    default: {
      const tag = `0x${fmt.formatTag.toString(16).padStart(4, '0')}`;
      const name = KNOWN_UNSUPPORTED[fmt.formatTag];
      throw unsupportedFormat(
        `unsupported WAV codec ${name ? `${name} (format tag ${tag})` : `with format tag ${tag}`}; supported WAV codecs are ${SUPPORTED_WAV_CODECS}; ${CONVERT_HINT}`,
        { formatTag: fmt.formatTag },
      );
    }
  }
  throw unsupportedFormat(
    `unsupported WAV sample size: ${fmt.bitsPerSample} bits (${containerBits} stored) for format tag 0x${fmt.formatTag.toString(16).padStart(4, '0')}; supported WAV codecs are ${SUPPORTED_WAV_CODECS}; ${CONVERT_HINT}`,
    { formatTag: fmt.formatTag, bitsPerSample: fmt.bitsPerSample },
  );
}

/** True when `offset` holds a plausible RIFF chunk header: four printable ASCII bytes and a size that fits the file. */
function looksLikeChunkHeader(head: Buffer, offset: number, fileSize: number): boolean {
  if (offset + 8 > head.length) return false;
  for (let i = offset; i < offset + 4; i++) {
    const b = head[i]!;
    if (b < 0x20 || b > 0x7e) return false;
  }
  return offset + 8 + head.readUInt32LE(offset + 4) <= fileSize;
}
